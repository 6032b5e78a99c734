// A live site shows a strategy what a simulated run shows it: a vehicle the scenario's fleet knows
// by its token (its battery, limits, V2G permission, state of health and wear), the same battery
// when the token returns, and the site's stationary battery following the decisions.
#include "core/simulator.hpp"
#include "host/plugin_loader.hpp"
#include "live_site.hpp"
#include "scenario/scenario_impl.hpp"
#include "serve/csms/charge_point_map.hpp"
#include "serve/live/live_twin.hpp"
#include "support/memory_sink.hpp"
#include "support/test_support.hpp"

#include <evtwin/scenario.hpp>

#include <gtest/gtest.h>

#include <fstream>

namespace evtwin::serve {
namespace {

// One V2G charger and a site battery; the vehicle "EV-7" arrives at 08:00 in the scenario's data.
constexpr const char* kFleetSite = R"(
scenario { name = "fleet-site", start = "2024-07-01", duration = days(1), control_period = minutes(15) }
grid { import_kw = 40, export_kw = 40 }
charger { name = "V1", max_kw = 11, efficiency = 0.95, v2g = true }
ess { name = "battery", capacity_kwh = 50, max_charge_kw = 20, max_discharge_kw = 10, charge_efficiency = 0.9,
      discharge_efficiency = 0.9, soc_min = 0.1, soc_max = 0.9, soc_initial = 0.5 }
battery { ev_cost_per_kwh = 100, ess_cost_per_kwh = 200 }
session { arrival = "2024-07-01 08:00", departure = "2024-07-01 12:00", vehicle = "EV-7", capacity_kwh = 40,
          initial_soc = 0.3, requested_kwh = 15, max_ac_kw = 7.4, v2g = true, max_discharge_kw = 5,
          min_soc = 0.2, model_year = 2019, chemistry = "lfp", charge_efficiency = 0.9,
          min_charge_kw = 2, goal_kwh = 10, goal_by = "2024-07-01 11:00", value_per_kwh = 0.25 }
TARIFF
live { charge_points = { ["CP"] = "V1" } }
)";

ScenarioSpec load_fleet_site() {
    std::string text = kFleetSite;
    const std::string tariff =
        "tariff { file = \"" +
        evtwin::test::source_file("scenarios/tariffs/norway_household_flat_illustrative.json").string() +
        "\" }";
    text.replace(text.find("TARIFF"), 6, tariff);
    const auto file = evtwin::test::temp_dir("live_twin_fleet") / "site.lua";
    std::ofstream(file) << text;
    return Scenario::load(file).impl().loaded;
}

// Keeps a copy of what it was shown last with a vehicle plugged in; sets the ESS to `ess_kw`.
class SeenLast final : public Strategy {
public:
    void decide(const Observation& obs, Decision& d) override {
        d.ess_kw = {ess_kw};
        ess = obs.ess.empty() ? EssView{} : obs.ess[0];
        if (obs.sessions.empty()) return;
        session = obs.sessions[0];
        shown = true;
    }
    double ess_kw = 0.0;
    bool shown = false;
    SessionView session;
    EssView ess;
};

void expect_same_session(const SessionView& live, const SessionView& simulated) {
    EXPECT_EQ(live.arrival, simulated.arrival);
    EXPECT_EQ(live.declared_departure, simulated.declared_departure);
    EXPECT_EQ(live.expected_departure, simulated.expected_departure);
    EXPECT_DOUBLE_EQ(live.requested_kwh, simulated.requested_kwh);
    EXPECT_DOUBLE_EQ(live.delivered_kwh, simulated.delivered_kwh);
    EXPECT_DOUBLE_EQ(live.remaining_kwh, simulated.remaining_kwh);
    EXPECT_DOUBLE_EQ(live.soc, simulated.soc);
    EXPECT_DOUBLE_EQ(live.capacity_kwh, simulated.capacity_kwh);
    EXPECT_DOUBLE_EQ(live.min_soc, simulated.min_soc);
    EXPECT_DOUBLE_EQ(live.max_charge_kw, simulated.max_charge_kw);
    EXPECT_DOUBLE_EQ(live.max_discharge_kw, simulated.max_discharge_kw);
    EXPECT_DOUBLE_EQ(live.recharge_kw, simulated.recharge_kw);
    EXPECT_DOUBLE_EQ(live.rated_discharge_kw, simulated.rated_discharge_kw);
    EXPECT_DOUBLE_EQ(live.charge_efficiency, simulated.charge_efficiency);
    EXPECT_EQ(live.v2g_allowed, simulated.v2g_allowed);
    EXPECT_DOUBLE_EQ(live.soh, simulated.soh);
    EXPECT_DOUBLE_EQ(live.wear.per_kwh, simulated.wear.per_kwh);
    EXPECT_DOUBLE_EQ(live.wear.per_kwh_h_high, simulated.wear.per_kwh_h_high);
    EXPECT_EQ(live.needs, simulated.needs);
}

void expect_same_ess(const EssView& live, const EssView& simulated) {
    EXPECT_GT(live.capacity_kwh, 0.0);
    EXPECT_EQ(live.node, simulated.node);
    EXPECT_DOUBLE_EQ(live.capacity_kwh, simulated.capacity_kwh);
    EXPECT_DOUBLE_EQ(live.soc, simulated.soc);
    EXPECT_DOUBLE_EQ(live.soc_min, simulated.soc_min);
    EXPECT_DOUBLE_EQ(live.soc_max, simulated.soc_max);
    EXPECT_DOUBLE_EQ(live.max_charge_kw, simulated.max_charge_kw);
    EXPECT_DOUBLE_EQ(live.max_discharge_kw, simulated.max_discharge_kw);
    EXPECT_DOUBLE_EQ(live.rated_charge_kw, simulated.rated_charge_kw);
    EXPECT_DOUBLE_EQ(live.rated_discharge_kw, simulated.rated_discharge_kw);
    EXPECT_DOUBLE_EQ(live.charge_efficiency, simulated.charge_efficiency);
    EXPECT_DOUBLE_EQ(live.discharge_efficiency, simulated.discharge_efficiency);
    EXPECT_DOUBLE_EQ(live.soh, simulated.soh);
    EXPECT_DOUBLE_EQ(live.wear.per_kwh, simulated.wear.per_kwh);
    EXPECT_DOUBLE_EQ(live.wear.per_kwh_h_high, simulated.wear.per_kwh_h_high);
}

TEST(LiveTwinFleet, AVehicleKnownByItsTokenIsSeenAsTheSimulationSeesIt) {
    const ScenarioSpec spec = load_fleet_site();
    const Time arrival = spec.sessions.at(0).arrival;

    SeenLast simulated;
    evtwin::test::MemorySink simulated_sink;
    Simulator simulator(spec, simulated, simulated_sink);
    simulator.start(RunInfo{"fleet-site", "site.lua", "seen", "1", "", 1, "test"});
    while (simulator.advance()) {
        simulated.decide(simulator.observation(), simulator.decision());
        if (simulated.shown) break;
        simulator.apply(simulator.decision());
    }
    ASSERT_TRUE(simulated.shown);
    ASSERT_EQ(simulator.now(), arrival);

    SeenLast live;
    evtwin::test::MemorySink live_sink;
    LiveTwin twin{spec, live, live_sink, RunInfo{"fleet-site", "site.lua", "seen", "1", "", 1, "test"}};
    const ConnectorIndex c = ChargePointMap{spec, twin.site()}.find("CP", 1);
    twin.set_online(c, spec.start, true);
    twin.start_session(c, arrival, "tx-1", "EV-7", 0.0, 0.3);
    // The declared departure, energy and needs, as NotifyEVChargingNeeds or a driver's intent give them.
    SessionIntent intent;
    intent.departure = spec.sessions[0].declared_departure;
    intent.energy_kwh = 15.0;
    intent.min_charge_kw = spec.sessions[0].needs.min_charge_kw;
    intent.goal = spec.sessions[0].needs;
    ASSERT_TRUE(twin.declare(*twin.session_of("tx-1"), intent));
    twin.decide(arrival);
    ASSERT_TRUE(live.shown);
    EXPECT_DOUBLE_EQ(live.session.needs.min_charge_kw, 2.0);
    EXPECT_DOUBLE_EQ(live.session.needs.goal_kwh, 10.0);
    expect_same_session(live.session, simulated.session);
    // Its record counts it against its goal, as a simulated session's.
    twin.stop_session(c, arrival + Duration::hours(1), 5.0);
    twin.flush();
    ASSERT_EQ(live_sink.sessions.size(), 1u);
    EXPECT_DOUBLE_EQ(live_sink.sessions[0].goal_kwh, 10.0);
    EXPECT_TRUE(live.session.v2g_allowed);
    EXPECT_DOUBLE_EQ(live.session.min_soc, 0.2);
    EXPECT_GT(live.session.wear.per_kwh, 0.0);
    expect_same_ess(live.ess, simulated.ess);
}

TEST(LiveTwinFleet, AReturningTokenIsTheSameBatteryAndAnUnknownOneAVehicleOfItsOwn) {
    const ScenarioSpec spec = load_fleet_site();
    SeenLast strategy;
    evtwin::test::MemorySink sink;
    LiveTwin twin{spec, strategy, sink, RunInfo{"fleet-site", "site.lua", "seen", "1", "", 1, "test"}};
    const ConnectorIndex c = ChargePointMap{spec, twin.site()}.find("CP", 1);
    const Time t0 = spec.start;
    twin.set_online(c, t0, true);
    twin.start_session(c, t0 + Duration::hours(1), "tx-1", "EV-7", 0.0, 0.3);
    twin.stop_session(c, t0 + Duration::hours(2), 5.0);
    twin.start_session(c, t0 + Duration::hours(3), "tx-2", "EV-7", 5.0, 0.4);
    twin.stop_session(c, t0 + Duration::hours(4), 6.0);
    twin.start_session(c, t0 + Duration::hours(5), "tx-3", "stranger", 6.0, 0.5);
    twin.stop_session(c, t0 + Duration::hours(6), 7.0);
    twin.finish(t0 + Duration::hours(7), false);

    ASSERT_EQ(sink.sessions.size(), 3u);
    // EV-7's 40 kWh battery of 2019, aged: less than 40 kWh both times; the stranger is the live {}
    // block's 60 kWh vehicle.
    EXPECT_LT(sink.sessions[0].capacity_kwh, 40.0);
    EXPECT_GT(sink.sessions[0].capacity_kwh, 30.0);
    EXPECT_EQ(sink.sessions[0].vehicle_model, sink.sessions[1].vehicle_model);
    EXPECT_DOUBLE_EQ(sink.sessions[2].capacity_kwh, 60.0);
    // One battery per token, aged over its sessions and between them, and the ESS.
    std::vector<std::string> reported;
    for (const BatteryUsage& u : sink.batteries) reported.push_back(u.battery);
    EXPECT_EQ(reported, (std::vector<std::string>{"ev:EV-7", "ev:stranger", "ess:battery"}));
    EXPECT_LE(sink.sessions[1].soh, sink.sessions[0].soh);
}

TEST(LiveTwinFleet, TheSiteBatteryFollowsTheDecisionWithinItsBounds) {
    const ScenarioSpec spec = load_fleet_site();
    SeenLast strategy;
    strategy.ess_kw = 20.0;  // its charge rating
    evtwin::test::MemorySink sink;
    LiveTwin twin{spec, strategy, sink, RunInfo{"fleet-site", "site.lua", "seen", "1", "", 1, "test"}};
    const Time t0 = spec.start;
    twin.decide(t0);
    EXPECT_DOUBLE_EQ(strategy.ess.soc, 0.5);
    // Half an hour at 20 kW: 10 kWh from the grid, 9 kWh stored in 50 kWh.
    twin.decide(t0 + Duration::minutes(30));
    EXPECT_NEAR(strategy.ess.soc, 0.5 + 9.0 / 50.0, 1e-12);
    // It reaches 90 % (18 kWh more stored, 20 kWh from the grid, an hour) and holds there.
    twin.decide(t0 + Duration::hours(3));
    EXPECT_NEAR(strategy.ess.soc, 0.9, 1e-12);
    EXPECT_DOUBLE_EQ(strategy.ess.max_charge_kw, 0.0);
    twin.finish(t0 + Duration::hours(4), false);
    ASSERT_FALSE(sink.site.empty());
    EXPECT_DOUBLE_EQ(sink.site.back().second.ess_kw, 0.0);
    bool charged_at_rating = false;
    for (const auto& [t, s] : sink.site) charged_at_rating |= s.ess_kw == 20.0 && s.grid_kw == 20.0;
    EXPECT_TRUE(charged_at_rating);
}

// Without grid charge and with no PV to take a surplus from, the battery asked for 20 kW charges
// nothing: the cut is recorded and its SoC stays.
TEST(LiveTwinFleet, TheSiteBatteryKeepsToItsGridPermission) {
    ScenarioSpec spec = load_fleet_site();
    spec.ess[0].grid_charge = false;
    SeenLast strategy;
    strategy.ess_kw = 20.0;
    evtwin::test::MemorySink sink;
    LiveTwin twin{spec, strategy, sink, RunInfo{"fleet-site", "site.lua", "seen", "1", "", 1, "test"}};
    const Time t0 = spec.start;
    twin.decide(t0);
    twin.decide(t0 + Duration::minutes(30));
    EXPECT_DOUBLE_EQ(strategy.ess.soc, 0.5);
    EXPECT_FALSE(strategy.ess.grid_charge);
    twin.flush();
    ASSERT_FALSE(sink.violations.empty());
    const Violation& cut = sink.violations.front().second;
    EXPECT_EQ(cut.kind, "ess_grid_charge");
    EXPECT_EQ(cut.ess, 0u);
    EXPECT_DOUBLE_EQ(cut.requested_kw, 20.0);
    EXPECT_DOUBLE_EQ(cut.applied_kw, 0.0);
    for (const auto& [t, s] : sink.site) EXPECT_DOUBLE_EQ(s.ess_kw, 0.0);
}

// Without grid discharge, the battery asked for its 10 kW gives only what the site imports without
// it: at the decision, the vehicle's 7 kW (7/0.95 from the grid); between decisions, as a simulated
// run has it at every instant, less as the vehicle takes less, and more again, up to what it was asked.
TEST(LiveTwinFleet, BetweenDecisionsTheBatteryFollowsTheImportItMayCover) {
    ScenarioSpec spec = load_fleet_site();
    spec.ess[0].grid_discharge = false;
    SeenLast strategy;
    strategy.ess_kw = -10.0;
    evtwin::test::MemorySink sink;
    LiveTwin twin{spec, strategy, sink, RunInfo{"fleet-site", "site.lua", "seen", "1", "", 1, "test"}};
    const Time t0 = spec.start;
    const ConnectorIndex c = 0;
    twin.set_online(c, t0, true);
    twin.start_session(c, t0, "tx-1", "", std::nullopt, std::nullopt);  // unmetered: rows at each flush
    const auto battery_kw_after_drawing = [&](Duration after, double kw) {
        twin.meter(c, t0 + after, {std::nullopt, kw, std::nullopt});
        twin.flush();
        return sink.ess_samples.back().kw;
    };
    battery_kw_after_drawing(Duration::minutes(1), 7.0);
    twin.decide(t0 + Duration::minutes(1));
    twin.flush();
    EXPECT_NEAR(sink.ess_samples.back().kw, -7.0 / 0.95, 1e-9);
    EXPECT_NEAR(battery_kw_after_drawing(Duration::minutes(5), 3.0), -3.0 / 0.95, 1e-9);
    EXPECT_NEAR(battery_kw_after_drawing(Duration::minutes(8), 9.5), -10.0, 1e-9);
    EXPECT_NEAR(battery_kw_after_drawing(Duration::minutes(9), 0.0), 0.0, 1e-9);
}

// Six minutes after the decision the battery reaches its floor and stops giving: the vehicle's 11 kW
// would then take the feeder over its 10 kW until the next decision, 15 minutes on, so the reading
// that comes after says a decision is due now (a simulated run cuts the vehicle at that instant).
TEST(LiveTwinFleet, ABatteryAtItsFloorThatLeavesAFeederOverItsLimitMakesADecisionDue) {
    const ScenarioSpec spec = live_test::load_site(live_test::kFeederBatterySite);
    // The battery gives 5 kW to the feeder, which lets the charger have its 11 kW under the 10 kW limit.
    const StrategyHandle strategy =
        load_strategy(std::string(EVTWIN_FIXTURE_PLUGIN_DIR) + "/libevtwin_discharges_the_battery.so");
    evtwin::test::MemorySink sink;
    LiveTwin twin{spec, *strategy, sink, RunInfo{"feeder-battery", "site.lua", "d", "1", "", 1, "test"}};
    const Time t0 = spec.start;
    const ConnectorIndex c = 0;
    twin.set_online(c, t0, true);
    twin.start_session(c, t0, "tx-1", "", 0.0, std::nullopt);
    EXPECT_EQ(twin.decide(t0), std::vector<double>{11.0});
    EXPECT_FALSE(twin.meter(c, t0 + Duration::minutes(1), {11.0 / 60.0, 11.0, std::nullopt}));
    EXPECT_FALSE(twin.meter(c, t0 + Duration::minutes(5), {11.0 * 5 / 60.0, 11.0, std::nullopt}));
    EXPECT_TRUE(twin.meter(c, t0 + Duration::minutes(7), {11.0 * 7 / 60.0, 11.0, std::nullopt}));
    EXPECT_FALSE(twin.meter(c, t0 + Duration::minutes(8), {11.0 * 8 / 60.0, 11.0, std::nullopt}));
    // The decision then holds the vehicle to the feeder's limit.
    EXPECT_EQ(twin.decide(t0 + Duration::minutes(8)), std::vector<double>{10.0});
}

// The same feeder with a second charger whose vehicle takes its 11 kW where the decision left it
// less: the feeder is over its limit with the battery still giving. The battery reaching its floor
// then is no reason to decide again (the excess is the charger's, recorded at the decision), so
// that a charger that ignores its limit cannot bring a decision forward at every reading.
TEST(LiveTwinFleet, ABatteryThatLetsGoOfAFeederAlreadyOverItsLimitMakesNoDecisionDue) {
    std::string text = live_test::kFeederBatterySite;
    const auto replace = [&text](const std::string& line, const std::string& with) {
        const auto at = text.find(line);
        ASSERT_NE(at, std::string::npos) << line;
        text.replace(at, line.size(), with);
    };
    replace(R"(charger { name = "CP1", parent = f, max_kw = 11, efficiency = 1.0 })",
            R"(charger { name = "CP1", parent = f, max_kw = 11, efficiency = 1.0 }
charger { name = "CP2", parent = f, max_kw = 11, efficiency = 1.0 })");
    replace(R"(["CP"] = "CP1")", R"(["CP"] = "CP1", ["CP2"] = "CP2")");
    const ScenarioSpec spec = live_test::load_site(text);
    const StrategyHandle strategy =
        load_strategy(std::string(EVTWIN_FIXTURE_PLUGIN_DIR) + "/libevtwin_discharges_the_battery.so");
    evtwin::test::MemorySink sink;
    LiveTwin twin{spec, *strategy, sink, RunInfo{"feeder-battery", "site.lua", "d", "1", "", 1, "test"}};
    const Time t0 = spec.start;
    for (const ConnectorIndex c : {ConnectorIndex{0}, ConnectorIndex{1}}) {
        twin.set_online(c, t0, true);
        twin.start_session(c, t0, "tx-" + std::to_string(c), "", 0.0, std::nullopt);
    }
    // 15 kW for both: the feeder's 10 kW and the battery's 5.
    const std::vector<double> limits = twin.decide(t0);
    ASSERT_EQ(limits.size(), 2u);
    EXPECT_NEAR(limits[0] + limits[1], 15.0, 1e-6);
    ASSERT_LT(limits[1], 11.0 - 1.0);
    const auto read = [&twin, t0](ConnectorIndex c, int minute, double kw) {
        return twin.meter(c, t0 + Duration::minutes(minute), {kw * minute / 60.0, kw, std::nullopt});
    };
    for (const int minute : {1, 5, 7, 8}) {
        EXPECT_FALSE(read(0, minute, limits[0])) << "minute " << minute;
        EXPECT_FALSE(read(1, minute, 11.0)) << "minute " << minute;
    }
    twin.flush();
    EXPECT_NEAR(sink.ess_samples.back().kw, 0.0, 1e-9);  // at its floor since minute 6
}

}  // namespace
}  // namespace evtwin::serve
