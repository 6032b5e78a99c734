#pragma once
// What `evtwin run`, `compare` and `ocpp whatif` share: loading a scenario and running it under a
// strategy through the engine's run (evtwin/run.hpp), with what the user must be told thrown as
// CommandFailure (message and exit code); main prints the message and returns the code.
#include "model/local_time.hpp"

#include <evtwin/run.hpp>
#include <evtwin/scenario.hpp>
#include <evtwin/util/args.hpp>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace evtwin {
class SqliteRunWriter;
}

namespace evtwin::cli {

struct CommandFailure : std::runtime_error {
    CommandFailure(int code, const std::string& message) : std::runtime_error(message), exit_code(code) {}
    int exit_code;
};

// Throws CommandFailure(kBadInput) with the loader's "file:line: ..." message.
Scenario load_scenario_or_fail(const std::filesystem::path& file, const ScenarioOptions& options);

// run_scenario(), into `writer` when there is one, with every decision in `observation_log` when it
// is given; throws CommandFailure: kBadInput for the scenario or its site, kPluginRefused ("evtwin
// <verb>: <why>") for a strategy that is refused or fails, kFailure for a log that cannot be created.
RunOutcome run_or_fail(const std::string& verb, const Scenario& scenario, const RunOptions& options,
                       SqliteRunWriter* writer = nullptr, const std::filesystem::path& observation_log = {});

// A run's results file (options.db), opened and set up by the writer's thread while the scenario
// loads; a file that cannot be used is reported when the run begins. A file made here is removed
// again when no run began in it (the scenario, the strategy or the file failed first).
class EarlyResults {
public:
    explicit EarlyResults(const RunOptions& options);
    ~EarlyResults();
    EarlyResults(const EarlyResults&) = delete;
    EarlyResults& operator=(const EarlyResults&) = delete;
    SqliteRunWriter* writer() { return writer_.get(); }

private:
    std::filesystem::path file_;
    bool made_here_;
    std::unique_ptr<SqliteRunWriter> writer_;
};

// Non-negative integer (a seed); throws UsageError naming `option`.
std::uint64_t parse_seed(const std::string& text, const std::string& option);

// Option `name` as a whole number from `least` to `most` (a count, a size, an id); `fallback` when
// it is absent. Throws UsageError naming the option and the range.
std::uint64_t whole_number_option(const Args& args, const std::string& name, std::uint64_t fallback,
                                  std::uint64_t least, std::uint64_t most);

// "2024-07-01 00:00" in the site's zone: what the scenario's author wrote.
std::string local_minutes(Time t, const TimeZone& zone);

// While alive, Ctrl-C sets the flag runs are stopped by (at the next instant); a second Ctrl-C
// ends the process at once. `run` and `compare` make it before a run writes its row, so a row with
// status running tells a supervisor (and the tests) that a SIGINT from then on is handled.
class SigintScope {
public:
    SigintScope();
    ~SigintScope();
    SigintScope(const SigintScope&) = delete;
    SigintScope& operator=(const SigintScope&) = delete;
    static bool interrupted();
    static const std::atomic<bool>* flag();
};

}  // namespace evtwin::cli
