// The open sessions of a live run kept in live_sessions: after any sequence of saves the table holds
// exactly the open sessions, and a restart reads them back as they were.
#include "serve/live/live_sessions.hpp"
#include "record/schema/schema.hpp"
#include "record/schema/sqlite_db.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

LiveSession session(SessionId id, ConnectorIndex connector, double register_kwh) {
    LiveSession s;
    s.id = id;
    s.connector = connector;
    s.transaction_id = "tx-" + std::to_string(id);
    s.arrival = Time(1'719'820'800'000 + 60'000 * id);
    s.declared_departure = s.arrival + Duration::hours(4);
    s.requested_kwh = 20.0;
    s.meter_start_kwh = 1000.0;
    s.register_kwh = register_kwh;
    s.register_t = s.arrival + Duration::minutes(5);
    s.initial_soc = 0.3;
    if (id % 2 == 0) s.reported_soc = 0.45;
    if (id % 3 == 0) s.declared_discharge_kw = 7.0;                   // a bidirectional vehicle's rating
    if (id % 3 == 0) s.export_start_kwh = 40.0, s.export_kwh = 41.5;  // and its export register
    if (id % 3 == 0) s.declared_min_soc = 0.2;
    if (id % 2 == 1) s.needs = {2.0, s.arrival + Duration::hours(2), 12.0, 0.25};  // a driver's needs
    return s;
}

struct LiveSessionsTest : ::testing::Test {
    std::filesystem::path dir = evtwin::test::temp_dir("live_sessions");
    sqlite::Db db{dir / "live.db", sqlite::Db::Mode::read_write_create};
    void SetUp() override {
        results_schema::create_or_check(db);
        create_live_sessions(db);
    }
    std::vector<LiveSession> stored(RunId run) { return load_live_resume(db, run, Time(0)).open; }
};

TEST_F(LiveSessionsTest, TheTableHoldsExactlyTheOpenSessionsAfterEverySave) {
    LiveSessionStore store(db, 1);
    std::vector<LiveSession> open = {session(1, 0, 1001.0), session(2, 1, 1002.0), session(3, 2, 1003.0)};
    store.save(open);
    EXPECT_EQ(stored(1), open);

    open[1].register_kwh = 1004.5;  // metered
    open[1].reported_soc = 0.5;
    open[1].declared_discharge_kw = 0.0;  // renegotiated: no V2G now
    open[1].needs.min_charge_kw = 3.0;    // the driver asks more
    open.erase(open.begin());             // session 1 ended
    open.push_back(session(4, 0, 1000.0));
    store.save(open);
    EXPECT_EQ(stored(1), open);

    store.save(open);  // nothing changed
    EXPECT_EQ(stored(1), open);
    store.save({});
    EXPECT_TRUE(stored(1).empty());
}

TEST_F(LiveSessionsTest, ANewStoreReplacesWhatTheRunHeldAndLeavesOtherRuns) {
    LiveSessionStore(db, 1).save({session(1, 0, 1001.0), session(2, 1, 1002.0)});
    LiveSessionStore(db, 2).save({session(7, 0, 1007.0)});

    // The run resumed after a crash: its new store starts from the sessions the twin goes on with.
    const std::vector<LiveSession> resumed = {session(2, 1, 1003.0)};
    LiveSessionStore(db, 1).save(resumed);
    EXPECT_EQ(stored(1), resumed);
    EXPECT_EQ(stored(2), std::vector<LiveSession>{session(7, 0, 1007.0)});
}

}  // namespace
}  // namespace evtwin::serve
