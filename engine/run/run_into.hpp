#pragma once
// run_scenario (evtwin/run.hpp) into a results writer the caller opened beforehand: `evtwin run`
// opens its results file before it loads the scenario, so that the writer's thread has set the file
// up by the time the run starts.
#include <evtwin/run.hpp>

#include "record/writer/sqlite_run_writer.hpp"

#include <filesystem>

namespace evtwin {

// How a run's results file is written (its journal) for these options.
WriterOptions run_writer_options(const RunOptions& options);

// As run_scenario, into `writer` (opened on options.db with run_writer_options) or, when it is
// null, into a writer of its own, opened once the strategy is loaded. With an `observation_log`
// file, every Observation and Decision of the run is written there (host/observation_log.hpp);
// throws ObservationLogError when the file cannot be created or written.
RunOutcome run_scenario_into(const Scenario& scenario, const RunOptions& options, SqliteRunWriter* writer,
                             const std::filesystem::path& observation_log = {});

}  // namespace evtwin
