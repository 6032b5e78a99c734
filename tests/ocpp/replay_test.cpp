// The replay of a logged transaction by the twin under its charging profile, and the comparison:
// a hand-made log whose meter readings follow the profile exactly must compare with no error.
#include "ocpp/replay.hpp"
#include <evtwin/errors.hpp>
#include "core/simulator.hpp"
#include "jsonl_log.hpp"
#include "record/schema/sqlite_db.hpp"
#include "record/writer/sqlite_run_writer.hpp"
#include "scenario/scenario_loader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin::ocpp {
namespace {

using test::jsonl;
using test::rec;

std::string meter(const std::string& id, const std::string& ts, const std::string& values) {
    return rec(ts, R"([2,")" + id +
                       R"(","MeterValues",{"connectorId":1,"transactionId":5,"meterValue":[{"timestamp":")" +
                       ts + R"(","sampledValue":[)" + values + "]}]}]") +
           rec(ts, R"([3,")" + id + R"(",{}])");
}

// 10:00-12:00, one transaction limited by the remote start's TxProfile: 5 kW for 50 min, then
// 2 kW; 6 kWh wanted, reached at 11:45. The meter readings are what that gives.
std::string limited_session_log() {
    return rec("2024-03-01T09:59:59Z",
               R"([2,"r","RemoteStartTransaction",{"connectorId":1,"idTag":"T","chargingProfile":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Relative","chargingSchedule":{"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":5000},{"startPeriod":3000,"limit":2000}]}}}])") +
           rec("2024-03-01T09:59:59Z", R"([3,"r",{"status":"Accepted"}])") +
           rec("2024-03-01T10:00:00Z",
               R"([2,"st","StatusNotification",{"connectorId":1,"status":"Preparing","errorCode":"NoError"}])") +
           rec("2024-03-01T10:00:00Z", R"([3,"st",{}])") +
           rec("2024-03-01T10:00:00Z",
               R"([2,"s","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2024-03-01T10:00:00Z"}])") +
           rec("2024-03-01T10:00:00Z", R"([3,"s",{"transactionId":5,"idTagInfo":{"status":"Accepted"}}])") +
           meter("m1", "2024-03-01T10:30:00Z",
                 R"({"value":"2500"},{"value":"5000","unit":"W","measurand":"Power.Active.Import"})") +
           meter("m2", "2024-03-01T11:00:00Z", R"({"value":"4.5","unit":"kWh"})") +
           meter("m3", "2024-03-01T11:15:00Z",
                 R"({"value":"2","unit":"kW","measurand":"Power.Active.Import"})") +
           meter("m4", "2024-03-01T11:45:00Z", R"({"value":"6000"})") +
           rec("2024-03-01T12:00:00Z",
               R"([2,"e","StopTransaction",{"transactionId":5,"meterStop":6000,"timestamp":"2024-03-01T12:00:00Z"}])") +
           rec("2024-03-01T12:00:00Z", R"([3,"e",{}])");
}

ScenarioSpec site(const std::string& chargers) {
    const auto dir = test::temp_dir("ocpp-replay-site");
    const auto file = test::write_file(
        dir / "site.lua",
        R"(scenario { name = "s", timezone = "UTC", start = "2024-03-01", duration = days(1) }
grid { import_kw = 100, export_kw = 0 }
tariff { file = ")" +
            test::source_file("scenarios/tariffs").string() +
            R"(/kepco_ev_self_consumption.json", variant = "low_voltage" }
)" + chargers);
    return load_scenario(file);
}

TEST(OcppReplay, ChargersAreMappedByChargePointNameWithAClearError) {
    const Import im = jsonl(limited_session_log());
    const std::string missing = test::error_of<DataError>(
        [&] { build_replay(im, site(R"(charger { name = "CP2", max_kw = 11 })")); });
    EXPECT_NE(missing.find("site.lua: no charger 'CP1' for the log's charge point CP1"), std::string::npos)
        << missing;
    EXPECT_NE(missing.find("the scenario has: CP2"), std::string::npos) << missing;
    const Import two = jsonl(
        limited_session_log() +
        rec("2024-03-01T12:01:00Z",
            R"([2,"x","StatusNotification",{"connectorId":2,"status":"Available","errorCode":"NoError"}])"));
    const std::string connectors = test::error_of<DataError>(
        [&] { build_replay(two, site(R"(charger { name = "CP1", max_kw = 11 })")); });
    EXPECT_NE(connectors.find("charger 'CP1' has 1 connector(s), but the log uses connector 2"),
              std::string::npos)
        << connectors;

    const Replay r = build_replay(im, site(R"(charger { name = "CP1", max_kw = 11 })"));
    ASSERT_EQ(r.sessions.size(), 1u);
    ASSERT_EQ(r.spec.sessions.size(), 1u);
    EXPECT_EQ(r.spec.sessions[0].station, "CP1");
    EXPECT_DOUBLE_EQ(r.spec.sessions[0].requested_kwh, 6.0);
    EXPECT_EQ(r.spec.sessions[0].departure - r.spec.sessions[0].arrival, Duration::hours(2));
    EXPECT_EQ(r.sessions[0].limits.size(), 2u);  // 5 kW, then 2 kW
    EXPECT_TRUE(r.spec.script);                  // wakes the strategy at 10:50
}

// The scenario's own period has prices; the log's, in another year, has none.
TEST(OcppReplay, ATariffWithoutPricesForTheLogsPeriodIsAClearError) {
    const auto file = test::write_file(
        test::temp_dir("ocpp-replay-prices") / "site.lua",
        R"(scenario { name = "s", timezone = "UTC", start = "2016-03-01", duration = days(1) }
grid { import_kw = 100, export_kw = 0 }
tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), timezone = "Europe/Amsterdam", price_scale = 0.001,
         currency = "EUR" }
charger { name = "CP1", max_kw = 11 }
)");
    const std::string message =
        test::error_of<DataError>([&] { build_replay(jsonl(limited_session_log()), load_scenario(file)); });
    EXPECT_NE(message.find("site.lua: its tariff has prices from 2015-12-31T23:00:00.000Z to "
                           "2016-12-31T23:00:00.000Z, not for the log's period 2024-03-01T09:59:00.000Z to "
                           "2024-03-01T12:01:00.000Z"),
              std::string::npos)
        << message;
}

TEST(OcppReplay, TwinFollowingTheLoggedProfileMatchesTheLogExactly) {
    const Import im = jsonl(limited_session_log());
    const Replay replay =
        build_replay(im, site(R"(charger { name = "CP1", max_kw = 11, efficiency = 1.0 })"));
    const auto db = test::temp_dir("ocpp-replay") / "r.db";
    RunId run = 0;
    {
        SqliteRunWriter writer(db);
        LoggedLimitsStrategy strategy(replay);
        Simulator sim(replay.spec, strategy, writer);
        RunInfo info;
        info.scenario_name = "replay";
        sim.run(info);
        run = writer.run_id();
    }
    const RunReader reader(db);
    Thresholds th;
    th.energy_error_pct = 0.01;
    th.power_mae_kw = 0.01;
    th.timing_error_s = 1;
    const auto rows = compare_run(im, replay, reader, run, th);
    ASSERT_EQ(rows.size(), 1u);
    const SessionComparison& c = rows[0];
    EXPECT_EQ(c.charger, "CP1");
    EXPECT_NEAR(c.logged_kwh, 6.0, 1e-12);
    // Exact to the engine's resolution: it stops within a millisecond of reaching the energy.
    EXPECT_NEAR(c.twin_kwh, 6.0, 2.0 / 3.6e6);
    EXPECT_NEAR(*c.energy_error_pct, 0.0, 1e-4);
    EXPECT_EQ(c.power_points, 2u);
    EXPECT_NEAR(*c.power_mae_kw, 0.0, 1e-9);
    EXPECT_EQ(c.register_points, 4u);  // between 10:00, 10:30, 11:00, 11:45, 12:00 (11:15 has no register)
    EXPECT_NEAR(*c.register_mae_kw, 0.0, 1e-6);
    EXPECT_NEAR(*c.start_error_s, 0.0, 1e-9);
    EXPECT_NEAR(*c.stop_error_s, 0.0, 0.001);  // both end charging at 11:45
    EXPECT_EQ(c.twin_states, "C B");
    EXPECT_TRUE(c.passed) << c.failures;

    // Without the profile, the twin charges at the charger's 11 kW: the comparison must see it.
    ReplayOptions free;
    free.follow_limits = false;
    Replay unlimited =
        build_replay(im, site(R"(charger { name = "CP1", max_kw = 11, efficiency = 1.0 })"), free);
    for (ReplaySession& s : unlimited.sessions) s.limits.clear();
    const auto db2 = db.parent_path() / "u.db";
    {
        SqliteRunWriter writer(db2);
        LoggedLimitsStrategy strategy(unlimited);
        Simulator sim(unlimited.spec, strategy, writer);
        sim.run(RunInfo{});
        run = writer.run_id();
    }
    const auto rows2 = compare_run(im, unlimited, RunReader(db2), run, th);
    ASSERT_EQ(rows2.size(), 1u);
    EXPECT_NEAR(rows2[0].twin_kwh, 6.0, 1e-5);
    EXPECT_NEAR(*rows2[0].power_mae_kw, (6.0 + 2.0) / 2,
                1e-9);  // 5 vs 11 kW at 10:30, 2 vs 0 kW at 11:15 (done at 10:32:43)
    EXPECT_NEAR(*rows2[0].stop_error_s, (6.0 / 11.0 * 3600.0) - 6300.0, 1e-3);
    EXPECT_FALSE(rows2[0].passed);
    EXPECT_NE(rows2[0].failures.find("power"), std::string::npos);
    EXPECT_NE(rows2[0].failures.find("timing"), std::string::npos);

    // The log's own grid power, for the what-if bill: the register's average powers.
    const auto steps = logged_grid_power(replay);
    double kwh = 0;
    for (std::size_t i = 0; i + 1 < steps.size(); ++i)
        kwh += steps[i].kw * (steps[i + 1].t - steps[i].t).hours_f();
    EXPECT_NEAR(kwh, 6.0, 1e-9);
    EXPECT_NEAR(steps.back().kw, 0.0, 1e-12);

    sqlite::Db out(db, sqlite::Db::Mode::read_write_create);
    store_validation(out, 1, 1, "site.lua", rows, th);
    EXPECT_EQ(out.query_int("SELECT passed FROM ocpp_validation_sessions"), 1);
    EXPECT_EQ(out.query_int("SELECT failed FROM ocpp_validation"), 0);
}

}  // namespace
}  // namespace evtwin::ocpp
