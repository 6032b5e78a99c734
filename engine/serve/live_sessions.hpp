#pragma once
// The open sessions of a live run, kept in the results database (table live_sessions,
// docs/results-schema.md) so that a central system restarted after a crash goes on with them.
#include "serve/live_twin.hpp"

#include <evtwin/results.hpp>

#include <vector>

namespace evtwin {
namespace sqlite {
class Db;
}
}  // namespace evtwin

namespace evtwin::serve {

// Creates the table where missing (outside a transaction).
void create_live_sessions(sqlite::Db& db);
// Replaces the run's rows by `open`, inside the caller's transaction.
void save_live_sessions(sqlite::Db& db, RunId run, const std::vector<LiveSession>& open);
// Where the run stands: its stored open sessions, the next session id (after every session it
// recorded) and its last recorded instant `at`.
LiveResume load_live_resume(sqlite::Db& db, RunId run, Time at);
// The newest run left `running` of this scenario and strategy, or 0.
RunId running_live_run(sqlite::Db& db, const std::string& scenario, const std::string& strategy);

}  // namespace evtwin::serve
