#pragma once
// The open sessions of a live run, kept in the results database (table live_sessions,
// docs/results-schema.md) so that a central system restarted after a crash goes on with them.
#include "serve/live/live_twin.hpp"

#include "record/schema/sqlite_db.hpp"

#include <evtwin/results.hpp>

#include <map>
#include <vector>

namespace evtwin::serve {

// Creates the table where missing (outside a transaction).
void create_live_sessions(sqlite::Db& db);

// Keeps the run's rows equal to its open sessions, inside the caller's transaction (made inside it
// too: it removes what the table held for the run). A save writes only the sessions that changed or
// closed since the last, so that a commit for one transaction's start or end rewrites no others.
class LiveSessionStore {
public:
    LiveSessionStore(sqlite::Db& db, RunId run);
    void save(const std::vector<LiveSession>& open);

private:
    struct Saved {
        LiveSession session;
        std::uint64_t seen = 0;  // the save that last found it open
    };

    RunId run_;
    sqlite::Stmt upsert_, remove_;
    std::uint64_t saves_ = 0;
    std::map<SessionId, Saved> saved_;
};

// Where the run stands: its stored open sessions, the next session id (after every session it
// recorded) and its last recorded instant `at`.
LiveResume load_live_resume(sqlite::Db& db, RunId run, Time at);
// The newest run left `running` of this scenario and strategy, or 0.
RunId running_live_run(sqlite::Db& db, const std::string& scenario, const std::string& strategy);

}  // namespace evtwin::serve
