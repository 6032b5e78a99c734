#pragma once
// Adding to a finished run what is computed from it (KPIs, battery grades): one transaction on the
// results file, after checking its format and that it holds the run.
#include "record/schema/records.hpp"
#include "record/schema/sqlite_db.hpp"

#include <filesystem>
#include <functional>

namespace evtwin {

// Runs `write` inside one transaction (rolled back if it throws). Throws ResultsError for a missing
// or foreign file or an unknown run.
void update_run(const std::filesystem::path& file, RunId id, const std::function<void(sqlite::Db&)>& write);
// The same on a connection already open on a results database (e.g. the writer's own).
void update_run(sqlite::Db& db, RunId id, const std::function<void(sqlite::Db&)>& write);

}  // namespace evtwin
