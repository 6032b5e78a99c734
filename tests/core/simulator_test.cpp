#include "core/simulator.hpp"

#include "support/memory_sink.hpp"
#include "support/test_site.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <tuple>

namespace evtwin {
namespace {

using test::at_hour;
using test::MemorySink;

// 100 kWh at 40 kW under the transformer, half full, full at 86 %.
EssSpec ess_on_t1(double charge_efficiency) {
    EssSpec e;
    e.node = 1;
    e.capacity_kwh = 100.0;
    e.max_charge_kw = 40.0;
    e.max_discharge_kw = 40.0;
    e.charge_efficiency = charge_efficiency;
    e.soc_initial = 0.5;
    e.soc_max = 0.86;
    return e;
}

TEST(Simulator, ChargesUntilTheRequestIsMetAndStops) {
    ScenarioSpec spec = test::small_site(1, 10.0, 100.0);
    spec.sessions = {test::session(0, 8.0, 12.0, 10.0)};
    auto strategy = test::offer_all();
    MemorySink sink = test::simulate(spec, strategy);

    ASSERT_EQ(sink.sessions.size(), 1u);
    const SessionRecord& r = sink.sessions[0];
    EXPECT_NEAR(r.delivered_kwh, 10.0, 1e-5);
    EXPECT_LE(r.delivered_kwh, 10.0);
    EXPECT_NEAR(r.final_soc, 0.2 + 10.0 / 60.0, 1e-6);
    // 10 kWh at 10 kW: one hour, to the millisecond.
    ASSERT_GE(sink.connector_samples.size(), 3u);
    EXPECT_EQ(sink.connector_samples[1].t, at_hour(8.0));
    EXPECT_DOUBLE_EQ(sink.connector_samples[1].kw, 10.0);
    EXPECT_EQ(sink.connector_samples[2].t, at_hour(9.0));
    EXPECT_DOUBLE_EQ(sink.connector_samples[2].kw, 0.0);
    EXPECT_EQ(sink.connector_samples[2].state, PilotState::B);
    EXPECT_NEAR(sink.connector_grid_kwh(0), r.grid_kwh, 1e-9);
}

// The Observation shows what the vehicle does from its instant on: one that becomes full exactly at a
// control period's boundary has stopped there (as its charge point reports at once), though the
// power it drew up to then is changed only after the decision.
TEST(Simulator, AVehicleFullAtABoundaryIsShownNotCharging) {
    ScenarioSpec spec = test::small_site(1, 10.0, 100.0);
    spec.control_period = Duration::minutes(30);
    spec.sessions = {test::session(0, 8.0, 12.0, 10.0)};
    std::vector<std::pair<Time, PilotState>> seen;
    test::FunctionStrategy strategy([&](const Observation& o, Decision& d) {
        for (const SessionView& s : o.sessions) {
            d.connector_kw[s.connector] = 10.0;
            seen.emplace_back(o.now, o.connectors[s.connector].state);
        }
    });
    test::simulate(spec, strategy);
    const auto state_at = [&](double hour) {
        for (const auto& [t, state] : seen)
            if (t == at_hour(hour)) return state;
        return PilotState::E;
    };
    EXPECT_EQ(state_at(8.5), PilotState::C);
    EXPECT_EQ(state_at(9.0), PilotState::B);  // 10 kWh at 10 kW: full at 9:00
    EXPECT_EQ(state_at(9.5), PilotState::B);
}

// A change several control periods after the decision that caused it, between two ticks, and
// after a later decision changed the power: each ends at its instant, to the millisecond.
TEST(Simulator, StopsBetweenTicksPeriodsAfterTheDecision) {
    ScenarioSpec spec = test::small_site(1, 10.0, 100.0);
    spec.sessions = {test::session(0, 8.0, 12.0, 10.0)};
    spec.ess = {ess_on_t1(1.0)};
    // 7 kW until 8:30 (3.5 kWh), then 5 kW: 6.5 kWh more takes 1.3 h, to 9:48. The ESS stores
    // 36 kWh at 27 kW: 80 minutes, to 1:20.
    test::FunctionStrategy strategy([](const Observation& o, Decision& d) {
        for (const SessionView& s : o.sessions)
            d.connector_kw[s.connector] = o.now < at_hour(8.5) ? 7.0 : 5.0;
        d.ess_kw = {27.0};
    });
    MemorySink sink = test::simulate(spec, strategy);
    ASSERT_EQ(sink.connector_samples.size(), 5u);  // free, 7 kW, 5 kW, done, departed
    EXPECT_EQ(sink.connector_samples[2].t, at_hour(8.5));
    EXPECT_DOUBLE_EQ(sink.connector_samples[2].kw, 5.0);
    EXPECT_EQ(sink.connector_samples[3].t, at_hour(9.8));
    EXPECT_DOUBLE_EQ(sink.connector_samples[3].kw, 0.0);
    EXPECT_NEAR(sink.sessions.at(0).delivered_kwh, 10.0, 1e-6);
    ASSERT_GE(sink.site.size(), 2u);
    EXPECT_EQ(sink.site[1].first, spec.start + Duration::minutes(80));
    EXPECT_DOUBLE_EQ(sink.site[1].second.ess_kw, 0.0);
    EXPECT_NEAR(sink.site[1].second.ess_soc, 0.86, 1e-9);
}

TEST(Simulator, ConvertsGridPowerThroughChargerAndVehicleEfficiencies) {
    ScenarioSpec spec = test::small_site(1, 10.0, 100.0);
    spec.chargers[0].efficiency = 0.9;
    SessionSpec s = test::session(0, 8.0, 9.0, 100.0, 100.0, 0.0);
    s.vehicle.charge_efficiency = 0.95;
    spec.sessions = {s};
    auto strategy = test::offer_all();
    MemorySink sink = test::simulate(spec, strategy);
    const SessionRecord& r = sink.sessions[0];
    EXPECT_NEAR(r.grid_kwh, 10.0, 1e-9);                 // one hour at 10 kW from the grid
    EXPECT_NEAR(r.delivered_kwh, 9.0, 1e-9);             // 90 % reaches the inlet
    EXPECT_NEAR(r.final_soc, 9.0 * 0.95 / 100.0, 1e-9);  // 95 % of that is stored
}

TEST(Simulator, TaperingCurveIsNeverExceeded) {
    ScenarioSpec spec = test::small_site(1, 50.0, 100.0);
    SessionSpec s = test::session(0, 8.0, 20.0, 100.0, 40.0, 0.5);
    s.vehicle.max_ac_kw = 50.0;
    s.vehicle.curve = {{0.0, 1.0}, {0.8, 1.0}, {1.0, 0.1}};
    spec.sessions = {s};
    auto strategy = test::offer_all();
    MemorySink sink = test::simulate(spec, strategy);

    auto curve_kw = [](double soc) { return soc <= 0.8 ? 50.0 : 50.0 * (1.0 - 0.9 * (soc - 0.8) / 0.2); };
    int stairs = 0;
    for (std::size_t i = 0; i + 1 < sink.connector_samples.size(); ++i) {
        const auto& a = sink.connector_samples[i];
        const auto& b = sink.connector_samples[i + 1];
        if (a.kw <= 0.0) continue;
        ++stairs;
        // Over the whole interval the power stays at or below the curve (power drops as SoC rises),
        // but for the last millisecond: edges are crossed on whole milliseconds, so the SoC may pass
        // an edge by 1 ms of charging (50 kW x 1 ms / 40 kWh), moving the curve by its slope times that.
        const double one_ms_soc = 50.0 / 3.6e6 / 40.0;
        const double slope_kw_per_soc = 50.0 * 0.9 / 0.2;
        EXPECT_LE(a.kw, curve_kw(b.soc) + slope_kw_per_soc * one_ms_soc + 1e-9)
            << "interval starting at soc " << a.soc;
    }
    EXPECT_GT(stairs, 10);  // the taper from 80 % to full is followed in steps
    EXPECT_LE(sink.sessions[0].final_soc, 1.0);
    EXPECT_NEAR(sink.sessions[0].final_soc, 1.0, 1e-6);
}

TEST(Simulator, ClipsToNodeLimitsAndRecordsEachClip) {
    ScenarioSpec spec = test::small_site(2, 11.0, 15.0);
    spec.sessions = {test::session(0, 8.0, 12.0, 100.0), test::session(1, 8.0, 12.0, 100.0)};
    auto strategy = test::offer_all();
    MemorySink sink = test::simulate(spec, strategy);

    EXPECT_FALSE(sink.violations.empty());
    for (const auto& [t, v] : sink.violations) {
        EXPECT_EQ(v.kind, "node_limit");
        EXPECT_EQ(v.node, 1u);
    }
    for (const auto& [t, flow] : sink.nodes.at(1)) EXPECT_LE(flow, 15.0 + 1e-6);
    EXPECT_NEAR(sink.sessions[0].grid_kwh + sink.sessions[1].grid_kwh, 15.0 * 4, 1e-6);
}

TEST(Simulator, RefusesDischargeWhereV2gIsNotAllowed) {
    ScenarioSpec spec = test::small_site(1, 11.0, 100.0);
    spec.chargers[0].v2g_capable = true;
    spec.sessions = {test::session(0, 8.0, 10.0, 10.0)};
    auto strategy = test::offer_all(-5.0);
    MemorySink sink = test::simulate(spec, strategy);
    ASSERT_FALSE(sink.violations.empty());
    EXPECT_EQ(sink.violations[0].second.kind, "v2g_not_allowed");
    EXPECT_NEAR(sink.sessions[0].delivered_kwh, 0.0, 1e-12);
}

TEST(Simulator, DischargesDownToMinimumSocWhereV2gIsAllowed) {
    ScenarioSpec spec = test::small_site(1, 11.0, 100.0);
    spec.chargers[0].v2g_capable = true;
    SessionSpec s = test::session(0, 8.0, 12.0, 0.0, 50.0, 0.5);
    s.vehicle.v2g_allowed = true;
    s.vehicle.max_discharge_kw = 10.0;
    s.vehicle.min_soc = 0.3;
    spec.sessions = {s};
    auto strategy = test::offer_all(-10.0);
    MemorySink sink = test::simulate(spec, strategy);
    EXPECT_TRUE(sink.violations.empty());
    EXPECT_NEAR(sink.sessions[0].final_soc, 0.3, 1e-6);
    EXPECT_GE(sink.sessions[0].final_soc, 0.3);
    EXPECT_NEAR(sink.sessions[0].discharged_kwh, 10.0, 1e-5);
}

TEST(Simulator, RoundsDownToTheChargersSetpoints) {
    ScenarioSpec spec = test::small_site(1, 11.0, 100.0);
    spec.chargers[0].setpoints_kw = {0.0, 3.7, 7.4, 11.0};
    spec.sessions = {test::session(0, 8.0, 9.0, 100.0)};
    auto strategy = test::offer_all(7.0);
    MemorySink sink = test::simulate(spec, strategy);
    ASSERT_FALSE(sink.violations.empty());
    EXPECT_EQ(sink.violations[0].second.kind, "setpoint_not_allowed");
    EXPECT_DOUBLE_EQ(sink.violations[0].second.applied_kw, 3.7);
    EXPECT_NEAR(sink.sessions[0].grid_kwh, 3.7, 1e-9);
}

TEST(Simulator, CurtailsPvAtTheExportLimitWithoutViolation) {
    ScenarioSpec spec = test::small_site(1, 11.0, 100.0, 20.0);
    PvSpec pv;
    pv.node = 1;
    pv.kwp = 50.0;
    pv.profile.push(spec.start, 1.0);
    spec.pv = {pv};
    auto strategy = test::offer_all();
    MemorySink sink = test::simulate(spec, strategy);
    EXPECT_TRUE(sink.violations.empty());
    ASSERT_FALSE(sink.site.empty());
    EXPECT_NEAR(sink.site.back().second.grid_kw, -20.0, 1e-9);
    EXPECT_NEAR(sink.site.back().second.pv_curtailed_kw, 30.0, 1e-9);
}

TEST(Simulator, EssStopsExactlyAtItsUpperBound) {
    ScenarioSpec spec = test::small_site(1, 11.0, 100.0);
    spec.ess = {ess_on_t1(0.9)};
    test::FunctionStrategy strategy([](const Observation&, Decision& d) { d.ess_kw = {40.0}; });
    MemorySink sink = test::simulate(spec, strategy);
    // 36 kWh to store at 40 kW x 0.9 = 36 kW: one hour.
    const auto& site = sink.site;
    ASSERT_GE(site.size(), 2u);
    EXPECT_EQ(site[0].first, spec.start);
    EXPECT_DOUBLE_EQ(site[0].second.ess_kw, 40.0);
    EXPECT_EQ(site[1].first, spec.start + Duration::hours(1));
    EXPECT_DOUBLE_EQ(site[1].second.ess_kw, 0.0);
    EXPECT_NEAR(site[1].second.ess_soc, 0.86, 1e-6);
    EXPECT_LE(site[1].second.ess_soc, 0.86);
}

// Two batteries, each held to its own ratings, efficiency and SoC bounds: A (on T1, 100 kWh, 40 kW,
// charging at 0.9, half full, full at 86 %) charges at 40 kW, B (on the grid node, 20 kWh, discharging at
// 5 kW at most, half full, empty at 10 %) is asked for 8 kW back.
TEST(Simulator, EachBatteryKeepsItsOwnRatingsAndBounds) {
    ScenarioSpec spec = test::small_site(1, 11.0, 100.0);
    EssSpec a = ess_on_t1(0.9);
    a.name = "A";
    EssSpec b;
    b.name = "B";
    b.node = 0;
    b.capacity_kwh = 20.0;
    b.max_charge_kw = 10.0;
    b.max_discharge_kw = 5.0;
    b.charge_efficiency = b.discharge_efficiency = 1.0;
    b.soc_min = 0.1;
    b.soc_initial = 0.5;
    spec.ess = {a, b};
    std::vector<std::size_t> seen;
    test::FunctionStrategy strategy([&](const Observation& o, Decision& d) {
        seen.push_back(o.ess.size());
        d.ess_kw = {40.0, -8.0};
    });
    MemorySink sink = test::simulate(spec, strategy);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.front(), 2u);
    // B's setpoint is clipped to its discharge rating, named by its index and node.
    ASSERT_FALSE(sink.violations.empty());
    const Violation& clipped = sink.violations.front().second;
    EXPECT_EQ(clipped.kind, "ess_max");
    EXPECT_EQ(clipped.ess, 1u);
    EXPECT_EQ(clipped.node, 0u);
    EXPECT_DOUBLE_EQ(clipped.applied_kw, -5.0);
    // A stores 36 kWh at 36 kW: full at 1:00. B gives 8 kWh at 5 kW: empty at 1:36.
    const auto& site = sink.site;
    ASSERT_GE(site.size(), 3u);
    EXPECT_DOUBLE_EQ(site[0].second.ess_kw, 35.0);
    EXPECT_DOUBLE_EQ(site[0].second.ess_soc, 60.0 / 120.0);
    EXPECT_EQ(site[1].first, spec.start + Duration::hours(1));
    EXPECT_DOUBLE_EQ(site[1].second.ess_kw, -5.0);
    EXPECT_NEAR(site[1].second.ess_soc, (86.0 + 5.0) / 120.0, 1e-9);
    EXPECT_EQ(site[2].first, spec.start + Duration::minutes(96));
    EXPECT_DOUBLE_EQ(site[2].second.ess_kw, 0.0);
    EXPECT_NEAR(site[2].second.ess_soc, (86.0 + 2.0) / 120.0, 1e-9);
    // Each battery's own series: at the start, then at each change of its power.
    std::vector<std::tuple<std::uint32_t, std::int64_t, double>> series;
    for (const auto& e : sink.ess_samples) series.emplace_back(e.ess, (e.t - spec.start).ms() / 60'000, e.kw);
    const std::vector<std::tuple<std::uint32_t, std::int64_t, double>> expected = {
        {0, 0, 0.0}, {1, 0, 0.0}, {0, 0, 40.0}, {1, 0, -5.0}, {0, 60, 0.0}, {1, 96, 0.0}};
    EXPECT_EQ(series, expected);
    EXPECT_NEAR(sink.ess_samples.back().soc, 0.1, 1e-9);
    // Each battery's health is its own row.
    std::vector<std::string> batteries;
    for (const BatteryUsage& u : sink.batteries) batteries.push_back(u.battery);
    EXPECT_EQ(batteries, (std::vector<std::string>{"ess:A", "ess:B"}));
}

// A node limit cuts only the batteries below it, and names the one it cut.
TEST(Simulator, ANodeLimitCutsTheBatteryBelowItAndNamesIt) {
    ScenarioSpec spec = test::small_site(1, 11.0, 30.0);
    EssSpec a = ess_on_t1(1.0);
    a.name = "A";
    EssSpec b = a;
    b.name = "B";
    b.node = 0;
    spec.ess = {a, b};
    test::FunctionStrategy strategy([](const Observation&, Decision& d) { d.ess_kw = {40.0, 20.0}; });
    MemorySink sink = test::simulate(spec, strategy);
    ASSERT_FALSE(sink.violations.empty());
    const Violation& cut = sink.violations.front().second;
    EXPECT_EQ(cut.kind, "node_limit_ess");
    EXPECT_EQ(cut.ess, 0u);
    EXPECT_EQ(cut.node, 1u);
    EXPECT_DOUBLE_EQ(cut.applied_kw, 30.0);
    for (const auto& [t, v] : sink.violations) EXPECT_NE(v.ess, 1u) << v.kind << " at " << t.ms();
    EXPECT_DOUBLE_EQ(sink.site.front().second.ess_kw, 50.0);
}

TEST(Simulator, RejectsArrivalsWhenEveryConnectorIsTaken) {
    ScenarioSpec spec = test::small_site(1, 11.0, 100.0);
    spec.sessions = {test::session(0, 8.0, 12.0, 5.0), test::session(1, 9.0, 10.0, 5.0)};
    auto strategy = test::offer_all();
    MemorySink sink = test::simulate(spec, strategy);
    ASSERT_EQ(sink.sessions.size(), 2u);
    EXPECT_EQ(sink.sessions[0].id, 1u);
    EXPECT_EQ(sink.sessions[0].connector, kNone);
}

TEST(Simulator, ALeavingVehicleFreesItsConnectorForOneArrivingAtTheSameInstant) {
    ScenarioSpec spec = test::small_site(1, 11.0, 100.0);
    spec.sessions = {test::session(0, 8.0, 10.0, 5.0), test::session(1, 10.0, 12.0, 5.0)};
    auto strategy = test::offer_all();
    MemorySink sink = test::simulate(spec, strategy);
    ASSERT_EQ(sink.sessions.size(), 2u);
    EXPECT_EQ(sink.sessions[1].connector, 0u);
    EXPECT_NEAR(sink.sessions[1].delivered_kwh, 5.0, 1e-5);
}

TEST(Simulator, VehiclesStillPluggedAtTheEndAreRecordedAsNotDeparted) {
    ScenarioSpec spec = test::small_site(1, 11.0, 100.0);
    spec.sessions = {test::session(0, 22.0, 30.0, 50.0)};
    auto strategy = test::offer_all();
    MemorySink sink = test::simulate(spec, strategy);
    ASSERT_EQ(sink.sessions.size(), 1u);
    EXPECT_FALSE(sink.sessions[0].departed);
    EXPECT_NEAR(sink.sessions[0].delivered_kwh, 22.0, 1e-6);  // 2 h at 11 kW
}

TEST(Simulator, SameSpecGivesIdenticalRecords) {
    ScenarioSpec spec = test::small_site(3, 11.0, 20.0);
    for (SessionId i = 0; i < 12; ++i)
        spec.sessions.push_back(test::session(i, 1.0 + i, 3.0 + 1.5 * i, 8.0 + i));
    auto strategy = test::offer_all();
    MemorySink a = test::simulate(spec, strategy);
    MemorySink b = test::simulate(spec, strategy);
    EXPECT_EQ(a.connector_samples, b.connector_samples);
    EXPECT_EQ(a.violations.size(), b.violations.size());
}

TEST(Simulator, StopsCleanlyWhenInterrupted) {
    ScenarioSpec spec = test::small_site(1, 11.0, 100.0);
    spec.sessions = {test::session(0, 8.0, 12.0, 50.0)};
    auto strategy = test::offer_all();
    MemorySink sink;
    Simulator sim(spec, strategy, sink);
    std::atomic<bool> stop{true};
    SimulationOptions options;
    options.interrupt = &stop;
    const RunSummary summary = sim.run(RunInfo{}, options);
    EXPECT_TRUE(summary.interrupted);
    EXPECT_TRUE(sink.interrupted);
    EXPECT_EQ(sink.end, spec.start);
}

}  // namespace
}  // namespace evtwin

namespace evtwin {
namespace {

TEST(SimulatorDecisionPeriod, HoldsEachPeriodsAveragePowerAsAcnSimDoes) {
    // ACN-Sim's ideal battery, 5-minute periods: 1 kWh at up to 6.6 kW takes 0.55 kWh in the first
    // period, then rate_to_full = 0.45 kWh / (1/12 h) = 5.4 kW in the second, then nothing. The
    // vehicle arrives at 08:02 and counts from the 08:05 boundary.
    ScenarioSpec spec = test::small_site(1, 6.6, 100.0);
    spec.decision_period_mode = true;
    spec.control_period = Duration::minutes(5);
    SessionSpec s = test::session(0, 8.0 + 2.0 / 60, 9.0, 1.0, 10.0, 0.0);
    s.vehicle.max_ac_kw = 6.6;
    spec.sessions = {s};
    auto strategy = test::offer_all();
    MemorySink sink = test::simulate(spec, strategy);

    std::vector<test::ConnectorSample> charging;
    for (const auto& c : sink.connector_samples)
        if (c.state != PilotState::A) charging.push_back(c);
    ASSERT_EQ(charging.size(), 3u);
    EXPECT_EQ(charging[0].t, at_hour(8.0) + Duration::minutes(5));
    EXPECT_NEAR(charging[0].kw, 6.6, 1e-12);
    EXPECT_EQ(charging[1].t, at_hour(8.0) + Duration::minutes(10));
    EXPECT_NEAR(charging[1].kw, 5.4, 1e-9);
    EXPECT_EQ(charging[2].t, at_hour(8.0) + Duration::minutes(15));
    EXPECT_EQ(charging[2].kw, 0.0);
    EXPECT_NEAR(sink.sessions[0].delivered_kwh, 1.0, 1e-12);
}

TEST(SimulatorDecisionPeriod, DecidesOnlyAtPeriodBoundaries) {
    ScenarioSpec spec = test::small_site(2, 11.0, 100.0);
    spec.decision_period_mode = true;
    spec.control_period = Duration::minutes(5);
    spec.end = spec.start + Duration::hours(2);
    spec.sessions = {test::session(0, 0.51, 1.5, 5.0), test::session(1, 0.77, 1.9, 5.0)};
    std::vector<Time> decided;
    test::FunctionStrategy strategy([&](const Observation& obs, Decision&) { decided.push_back(obs.now); });
    MemorySink sink = test::simulate(spec, strategy);
    ASSERT_EQ(decided.size(), 24u);  // one per 5-minute period over 2 h, arrivals included
    for (const Time t : decided) EXPECT_EQ((t - spec.start).ms() % Duration::minutes(5).ms(), 0);
    for (const auto& e : sink.events) {
        if (e.kind == EventKind::arrival || e.kind == EventKind::departure) {
            EXPECT_EQ((e.t - spec.start).ms() % Duration::minutes(5).ms(), 0);
        }
    }
}

}  // namespace
}  // namespace evtwin
