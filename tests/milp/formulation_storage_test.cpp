// The formulation's extensions on tiny sites worked out by hand: ESS arbitrage, a vehicle to come
// reserving capacity, the demand interval in progress, a finite setpoint set, the LP relaxation,
// lazy phase rows, and following a plan.
#include "milp/extension_site.hpp"
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"
#include "plugins/milp/planning.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace evtwin::milp {
namespace {

using hand_sites::ExtensionSite;
using hand_sites::kExtensionTol;

TEST(FormulationEss, ArbitrageAgainstABaseLoad) {
    ExtensionSite site({0.10, 0.40, 0.40}, {0.0, 0.0, 0.0});
    site.nodes[0].fixed_flow_kw = 10.0;
    site.forecast.base_load_kw = {10.0, 10.0, 10.0};
    site.ess = {EssView{0, 20.0, 0.5, 0.1, 0.9, 10.0, 10.0, 10.0, 10.0, 1.0, 1.0}};
    const ChargingModel cm = build_charging_model(site.observe(), {});
    ASSERT_EQ(cm.ess_charge.size(), 1u);
    ASSERT_EQ(cm.ess_charge[0].size(), 3u);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.ess_kw(s, 0, 0), 8.0, kExtensionTol);
    EXPECT_NEAR(cm.ess_kw(s, 0, 1) + cm.ess_kw(s, 0, 2), -16.0, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), 3.40, kExtensionTol);
}

// The same with the site's ESS wear at 0.20 per kWh through it, in or out, as the KPIs count it: a kWh
// bought at 0.10 and given at 0.40 costs 0.30 + 0.40 of wear, so the ESS only gives the 8 kWh it holds
// above its floor: 0.1·10 + 0.4·(20 − 8) + 0.2·8 = 7.40. An option of 0 leaves the first plan.
TEST(FormulationEss, TheSitesWearPerKwhThroughTheBattery) {
    ExtensionSite site({0.10, 0.40, 0.40}, {0.0, 0.0, 0.0});
    site.nodes[0].fixed_flow_kw = 10.0;
    site.forecast.base_load_kw = {10.0, 10.0, 10.0};
    site.ess = {EssView{0, 20.0, 0.5, 0.1, 0.9, 10.0, 10.0, 10.0, 10.0, 1.0, 1.0}};
    Observation obs = site.observe();
    obs.economics.ess_degradation_per_kwh = 0.20;
    const ChargingModel priced = build_charging_model(obs, {});
    const Solution s = solve(priced.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(priced.ess_kw(s, 0, 0), 0.0, kExtensionTol);
    EXPECT_NEAR(priced.ess_kw(s, 0, 1) + priced.ess_kw(s, 0, 2), -8.0, kExtensionTol);
    EXPECT_NEAR(priced.expected_cost(s), 7.40, kExtensionTol);

    ChargingOptions free;
    free.ess_degradation_per_kwh = 0.0;
    const ChargingModel unpriced = build_charging_model(obs, free);
    const Solution u = solve(unpriced.model);
    ASSERT_EQ(u.status, SolveStatus::optimal);
    EXPECT_NEAR(unpriced.ess_kw(u, 0, 0), 8.0, kExtensionTol);
    EXPECT_NEAR(unpriced.expected_cost(u), 3.40, kExtensionTol);
}

// Round-trip efficiency 0.8·0.8: a kWh bought at 0.10 returns 0.64 kWh worth 0.4 × 0.64 = 0.256.
// Keeping energy at the horizon's end (the run goes on) forbids draining below the start.
TEST(FormulationEss, KeepsItsEnergyWhenTheRunGoesOn) {
    ExtensionSite site({0.10, 0.40}, {0.0, 0.0});
    site.nodes[0].fixed_flow_kw = 10.0;
    site.forecast.base_load_kw = {10.0, 10.0};
    site.ess = {EssView{0, 20.0, 0.5, 0.1, 0.9, 10.0, 10.0, 10.0, 10.0, 0.8, 0.8}};
    Observation obs = site.observe();
    obs.run_end = Time(0) + Duration::hours(100);
    const ChargingModel cm = build_charging_model(obs, {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    // Charge c in hour 1 (0.8·c stored), give d in hour 2 (d/0.8 taken): 0.8c >= d/0.8.
    // Each kWh given saves 0.40 and costs 0.10/0.64: give as much as the power allows: d = 8?
    // c <= 10: d <= 6.4, cost 0.1·(10 + 10) + 0.4·(10 − 6.4) = 3.44.
    EXPECT_NEAR(cm.ess_kw(s, 0, 0), 10.0, kExtensionTol);
    EXPECT_NEAR(cm.ess_kw(s, 0, 1), -6.4, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), 3.44, kExtensionTol);
}

// Two batteries with their own ratings on one site: A (10 kWh, half full) charges at 5 kW but cannot
// discharge at all; B (10 kWh, empty) takes and gives 5 kW. Hours 0–1 cost 0.10, hours 2–3 cost 0.40
// and carry a 5 kW base load. B buys 5 kWh in each cheap hour and serves both dear hours with them:
// 0.10·(5 + 5) = 1.00 instead of 0.40·10 = 4.00. A's 5 kWh would serve a dear hour as well, but its
// discharge rating is 0, so it is never planned to discharge, and charging it is worth nothing.
TEST(FormulationEss, TwoBatteriesEachKeepToTheirOwnRatings) {
    ExtensionSite site({0.10, 0.10, 0.40, 0.40}, {0.0, 0.0, 0.0, 0.0});
    site.forecast.base_load_kw = {0.0, 0.0, 5.0, 5.0};
    EssView a{0, 10.0, 0.5, 0.0, 1.0, 5.0, 0.0, 5.0, 0.0, 1.0, 1.0};
    EssView b{0, 10.0, 0.0, 0.0, 1.0, 5.0, 0.0, 5.0, 5.0, 1.0, 1.0};  // empty: nothing to give now
    site.ess = {a, b};
    const ChargingModel cm = build_charging_model(site.observe(), {});
    ASSERT_EQ(cm.ess_charge.size(), 2u);
    ASSERT_EQ(cm.ess_discharge.size(), 2u);
    ASSERT_EQ(cm.ess_charge[1].size(), 4u);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    const double b_kw[4] = {5.0, 5.0, -5.0, -5.0};
    for (int t = 0; t < 4; ++t) {
        EXPECT_NEAR(cm.ess_kw(s, 0, t), 0.0, kExtensionTol) << "battery A, period " << t;
        EXPECT_NEAR(cm.ess_kw(s, 1, t), b_kw[t], kExtensionTol) << "battery B, period " << t;
    }
    EXPECT_NEAR(cm.expected_cost(s), 1.00, kExtensionTol);
}

// A vehicle to come reserves capacity: the site carries 10 kW, the vehicle plugged in now wants
// 10 kWh by hour 2, one arriving at hour 1 wants 10 kWh by hour 2, and hour 1 is dearer. Without
// foresight the present one waits for the cheap hour; with it, it charges now.
TEST(FormulationUpcoming, ReservesCapacityForAVehicleToCome) {
    ExtensionSite site({0.30, 0.10}, {0.0, 0.0});
    site.nodes[0].import_limit_kw = 10.0;
    site.connectors.push_back({2, 1, 10.0, 0.0, {}, false, PilotState::A, kNone});
    site.plug(10.0, Duration::hours(2)).v2g_allowed = false;
    ChargingOptions no_v2g;
    no_v2g.v2g = false;
    const ChargingModel blind = build_charging_model(site.observe(), no_v2g);
    const Solution b = solve(blind.model);
    EXPECT_NEAR(blind.row_kw(b, 0, 0), 0.0, kExtensionTol);
    site.to_come(10.0, Duration::hours(1), Duration::hours(1));
    const ChargingModel cm = build_charging_model(site.observe(), no_v2g);
    ASSERT_EQ(cm.planned.size(), 2u);
    EXPECT_EQ(cm.planned[1].connector, 1u);  // connector 0 is busy until hour 2
    EXPECT_EQ(cm.planned[1].first, 1);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), 10.0, kExtensionTol);
    EXPECT_NEAR(cm.row_kw(s, 1, 1), 10.0, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), 3.0 + 1.0, kExtensionTol);
}

// A vehicle to come is planned at the efficiency of the connector it will plug into, before any
// session has shown one: 9 kWh at the inlet through a 90 % charger are 10 kWh from the grid.
TEST(FormulationUpcoming, PlannedAtItsConnectorsEfficiency) {
    ExtensionSite site({0.10, 0.10}, {0.0, 0.0});
    site.connectors[0].efficiency = 0.9;
    site.to_come(9.0, Duration::hours(1), Duration::hours(1));
    ChargingOptions no_v2g;
    no_v2g.v2g = false;
    const ChargingModel cm = build_charging_model(site.observe(), no_v2g);
    ASSERT_EQ(cm.planned.size(), 1u);
    EXPECT_DOUBLE_EQ(cm.planned[0].efficiency, 0.9);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 1), 10.0, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), 1.0, kExtensionTol);
}

// With foresight of true departures, a vehicle to come that will leave after one hour (it declared
// two) is served in that hour, dear as it is; with declared departures the plan waits for the
// cheap hour it will not see. A session present is planned to its expected departure.
TEST(FormulationUpcoming, TrueDeparturesShortenTheWindow) {
    ExtensionSite site({0.30, 0.10}, {0.0, 0.0});
    site.connectors[0].v2g_capable = false;
    site.to_come(6.0, Duration::hours(0), Duration::hours(2)).departure = Time(0) + Duration::hours(1);
    ChargingOptions declared, foresight;
    foresight.true_departures = true;
    const ChargingModel d = build_charging_model(site.observe(), declared);
    const Solution ds = solve(d.model);
    EXPECT_NEAR(d.row_kw(ds, 0, 1), 6.0, kExtensionTol);
    const ChargingModel f = build_charging_model(site.observe(), foresight);
    const Solution fs = solve(f.model);
    EXPECT_NEAR(f.row_kw(fs, 0, 0), 6.0, kExtensionTol);
    EXPECT_NEAR(f.expected_cost(fs), 1.8, kExtensionTol);

    site.upcoming.clear();
    SessionView& present = site.plug(6.0, Duration::hours(2));
    present.v2g_allowed = false;
    present.expected_departure = Time(0) + Duration::hours(1);
    const ChargingModel d2 = build_charging_model(site.observe(), declared);
    const Solution d2s = solve(d2.model);
    EXPECT_NEAR(d2.row_kw(d2s, 0, 1), 6.0, kExtensionTol);
    const ChargingModel p = build_charging_model(site.observe(), foresight);
    const Solution ps = solve(p.model);
    EXPECT_NEAR(p.row_kw(ps, 0, 0), 6.0, kExtensionTol);
}

// 5 kWh wanted over two hours of free energy, one-hour demand intervals at 1 per kW, the interval in
// progress begun at `interval_start` with `interval_kwh` imported so far.
Observation five_kwh_by_hourly_intervals(ExtensionSite& site, Time interval_start, double interval_kwh) {
    site.plug(5.0, Duration::hours(2)).v2g_allowed = false;
    Observation obs = site.observe();
    obs.demand.rate_per_kw = 1.0;
    obs.demand.interval = Duration::hours(1);
    obs.demand.interval_start = interval_start;
    obs.demand.interval_kwh = interval_kwh;
    obs.demand.period_end = Time::max();
    return obs;
}

// The interval in progress has imported 4 kWh, and 3 kW is billed so far. The two intervals get
// 4 + x and 5 − x kWh: the least peak is x = 0.5, 4.5 kW, a rise of 1.5.
TEST(FormulationDemand, IntervalInProgressCounts) {
    ExtensionSite site({0.0, 0.0}, {0.0, 0.0});
    Observation obs = five_kwh_by_hourly_intervals(site, Time(0), 4.0);
    obs.demand.peak_kw = 3.0;
    const ChargingModel cm = build_charging_model(obs, {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(s.value(cm.peak), 4.5, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), 1.5, kExtensionTol);
}

// A plan made half way through a one-hour interval that has imported 1 kWh: a period's energy goes to
// each interval it overlaps for its part. x kW in hour 1 and 5 − x in hour 2 give the intervals
// 1 + x/2, 2.5 and 2.5 − x/2 kWh: the peak is 2.5 kW for any x up to 3, a rise of 2.5. (Counted
// whole to the interval in progress, hour 1 would make it 1 + x and the peak 3.)
TEST(FormulationDemand, APeriodFillsTheIntervalsItOverlaps) {
    ExtensionSite site({0.0, 0.0}, {0.0, 0.0});
    const Observation obs = five_kwh_by_hourly_intervals(site, Time(0) - Duration::minutes(30), 1.0);
    const ChargingModel cm = build_charging_model(obs, {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(s.value(cm.peak), 2.5, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), 2.5, kExtensionTol);
    EXPECT_LE(cm.row_kw(s, 0, 0), 3.0 + kExtensionTol);
}

// A finite setpoint set {0, 3, 7} kW and 5 kWh wanted over two hours at 0.10 then 0.20: 7 kW in
// the cheap hour (the vehicle stops at 5 kWh) beats 3 + 3; every period gets an allowed setpoint.
TEST(FormulationSetpoints, OnlyAllowedSetpoints) {
    ExtensionSite site({0.10, 0.20}, {0.0, 0.0});
    const std::vector<double> set{0.0, 3.0, 7.0};
    site.connectors[0].setpoints_kw = set;
    site.connectors[0].v2g_capable = false;
    site.plug(5.0, Duration::hours(2)).v2g_allowed = false;
    const ChargingModel cm = build_charging_model(site.observe(), {});
    EXPECT_GT(cm.binaries, 0);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    for (int t = 0; t < 2; ++t) {
        const double kw = cm.row_kw(s, 0, t);
        EXPECT_TRUE(std::abs(kw) < kExtensionTol || std::abs(kw - 3.0) < kExtensionTol ||
                    std::abs(kw - 7.0) < kExtensionTol)
            << kw;
    }
    EXPECT_NEAR(s.value(cm.slack[0]), 0.0, kExtensionTol);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), 7.0, kExtensionTol);  // 7 × 0.10 beats 3 × 0.10 + 3 × 0.20
}

// Binaries only within the integer horizon (mpc: the first two hours): the first period still
// gets an allowed setpoint, later ones are relaxed.
TEST(FormulationSetpoints, BinariesOnlyWithinTheIntegerHorizon) {
    ExtensionSite site({0.10, 0.20}, {0.0, 0.0});
    const std::vector<double> set{0.0, 3.0, 7.0};
    site.connectors[0].setpoints_kw = set;
    site.connectors[0].v2g_capable = false;
    site.plug(5.0, Duration::hours(2)).v2g_allowed = false;
    const int all = build_charging_model(site.observe(), {}).binaries;
    ChargingOptions first_period;
    first_period.integer_horizon = Duration::hours(1);
    const ChargingModel cm = build_charging_model(site.observe(), first_period);
    EXPECT_EQ(cm.binaries * 2, all);  // one of two periods
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), 7.0, kExtensionTol);
    ChargingOptions none;
    none.integer_horizon = Duration(0);
    EXPECT_EQ(build_charging_model(site.observe(), none).binaries, 0);
}

// Where no binary is active (continuous chargers, positive prices), MILP and LP relaxation give the
// same optimum.
TEST(FormulationRelaxation, AgreesWithTheMilpWithoutBinaries) {
    ExtensionSite site({0.30, 0.10, 0.20}, {0.25, 0.05, 0.15});
    site.plug(12.0, Duration::hours(3));
    const ChargingModel cm = build_charging_model(site.observe(), {});
    EXPECT_EQ(cm.binaries, 0);
    const Solution mip = solve(cm.model);
    const Solution lp = solve(cm.model, {.relax_integrality = true});
    ASSERT_EQ(mip.status, SolveStatus::optimal);
    ASSERT_EQ(lp.status, SolveStatus::optimal);
    EXPECT_NEAR(mip.objective, lp.objective, 1e-6);
}

// Three connectors on phases 0°, 120° and 240° (1 A per kW), one phase limit of 5 A on their sum,
// three vehicles wanting more than the limit allows over two periods: the polygon's rows added
// lazily (only where a solution breaks them) reach the optimum of the full polygon, and the final
// plan's phasor sum stays inside the circle.
TEST(FormulationPhase, LazyRowsReachTheFullPolygonsOptimum) {
    ExtensionSite site({0.10, 0.20}, {0.0, 0.0});
    site.connectors.push_back({2, 1, 10.0, 0.0, {}, false, PilotState::A, kNone});
    site.connectors.push_back({2, 1, 10.0, 0.0, {}, false, PilotState::A, kNone});
    site.connectors[0].v2g_capable = false;
    const double pi = std::acos(-1.0);
    std::vector<ConnectorTerm> terms;
    for (ConnectorIndex c = 0; c < 3; ++c)
        terms.push_back({c, 1.0, 1.0, std::cos(2 * pi * c / 3), std::sin(2 * pi * c / 3)});
    const std::vector<PhaseConstraintView> limits{{terms, 5.0}};
    const std::vector<double> wants{18.0, 1.0, 1.0};
    for (ConnectorIndex c = 0; c < 3; ++c) {
        SessionView& s = site.plug(wants[c], Duration::hours(2));
        s.id = c + 1;
        s.connector = c;
        s.v2g_allowed = false;
        site.connectors[c].state = PilotState::B;
        site.connectors[c].session = c;
    }
    Observation obs = site.observe();
    obs.phase_constraints = limits;
    ChargingOptions full, lazy;
    lazy.lazy_phase_rows = true;
    const ChargingModel f = build_charging_model(obs, full);
    ChargingModel l = build_charging_model(obs, lazy);
    EXPECT_LT(l.model.num_constraints(), f.model.num_constraints());
    const Solution fs = solve(f.model);
    Solution ls = solve(l.model);
    ASSERT_EQ(fs.status, SolveStatus::optimal);
    for (int round = 0; round < 20 && l.add_phase_rows(ls) > 0; ++round) ls = solve(l.model);
    ASSERT_EQ(ls.status, SolveStatus::optimal);
    EXPECT_NEAR(ls.objective, fs.objective, 1e-6);
    EXPECT_GT(ls.value(l.slack[0]), 1.0);  // the limit binds: not everything fits
    for (int t = 0; t < 2; ++t) {
        double re = 0, im = 0;
        for (ConnectorIndex c = 0; c < 3; ++c) {
            re += l.row_kw(ls, c, t) * terms[c].cos_phase;
            im += l.row_kw(ls, c, t) * terms[c].sin_phase;
        }
        EXPECT_LE(std::hypot(re, im), 5.0 + 1e-6);
    }
}

// The same under a phase limit of 10 A, both connectors on one phase at 1 A per kW, where the limit
// is one exact row; and with a third, idle connector at 120°, where it is a polygon, lazy or not.
TEST(FormulationPhase, ChargingNeverCountsOnAnotherVehiclesDischarge) {
    const double pi = std::acos(-1.0);
    for (const bool polygon : {false, true})
        for (const bool lazy : {false, true}) {
            ExtensionSite site({0.10, 0.10}, {0.0, 0.0});
            plug_one_that_gives_one_that_wants(site, 2);
            std::vector<ConnectorTerm> terms{{0, 1.0, 1.0, 1.0, 0.0}, {1, 1.0, 1.0, 1.0, 0.0}};
            if (polygon) {
                site.connectors.push_back({2, 1, 20.0, 0.0, {}, false, PilotState::A, kNone});
                terms.push_back({2, 1.0, 1.0, std::cos(2 * pi / 3), std::sin(2 * pi / 3)});
            }
            const std::vector<PhaseConstraintView> limits{{terms, 10.0}};
            Observation obs = site.observe();
            obs.phase_constraints = limits;
            ChargingOptions options;
            options.lazy_phase_rows = lazy;
            ChargingModel cm = build_charging_model(obs, options);
            Solution s = solve(cm.model);
            for (int round = 0; round < 20 && lazy && cm.add_phase_rows(s) > 0; ++round) s = solve(cm.model);
            ASSERT_EQ(s.status, SolveStatus::optimal) << polygon << lazy;
            // The polygon's sides lie at cos(π/16) of the circle.
            const double limit_kw = polygon ? 10.0 * std::cos(pi / 16) : 10.0;
            EXPECT_NEAR(cm.row_kw(s, 0, 0), 0.0, kExtensionTol) << polygon << lazy;
            EXPECT_NEAR(cm.row_kw(s, 1, 0), limit_kw, kExtensionTol) << polygon << lazy;
            EXPECT_NEAR(s.value(cm.slack[1]), 15.0 - limit_kw, kExtensionTol) << polygon << lazy;
        }
}

// A solver that cannot finish gives a fallback decision and an event, never an exception.
TEST(Planning, SolverFailureFallsBackWithAnEvent) {
    ExtensionSite site({0.30, 0.10}, {0.0, 0.0});
    site.plug(5.0, Duration::hours(2));
    Observation obs = site.observe();
    obs.control_period = Duration(0);  // the model cannot be built
    Solver solver;
    Decision d;
    d.connector_kw.assign(1, 0.0);
    const Plan plan = make_plan(obs, {}, solver, d);
    EXPECT_FALSE(plan.solution.has_values());
    ASSERT_EQ(d.events.size(), 1u);
    EXPECT_EQ(d.events[0].kind, "solver_fallback");
    follow_plan(site.observe(), plan, d);
    EXPECT_NEAR(d.connector_kw[0], 10.0, kExtensionTol);  // the heuristic: as fast as the limits allow
}

// 5 kWh by the end of hour 2 at 0.10 then 0.30: the plan charges 5 kW in hour 1 and nothing in hour
// 2. The vehicle took only 4 kWh (it tapered): at the start of hour 2 it is 1 kWh behind the plan,
// and following the plan gives it that 1 kWh over the hour left of its window: 1 kW.
TEST(Planning, FollowingAPlanCatchesUpASessionBehindIt) {
    ExtensionSite site({0.10, 0.30}, {0.0, 0.0});
    site.plug(5.0, Duration::hours(2)).v2g_allowed = false;
    Solver solver;
    Decision d;
    const Plan plan = make_plan(site.observe(), {}, solver, d);
    ASSERT_TRUE(plan.solution.has_values());
    ASSERT_NEAR(plan.model.row_kw(plan.solution, 0, 0), 5.0, kExtensionTol);
    ASSERT_NEAR(plan.model.row_kw(plan.solution, 0, 1), 0.0, kExtensionTol);

    site.sessions[0].remaining_kwh = 1.0;
    site.sessions[0].delivered_kwh = 4.0;
    Observation later = site.observe();
    later.now = Time(0) + Duration::hours(1);
    follow_plan(later, plan, d);
    EXPECT_NEAR(d.connector_kw[0], 1.0, kExtensionTol);

    site.sessions[0].remaining_kwh = 0.0;  // on plan: nothing more
    later = site.observe();
    later.now = Time(0) + Duration::hours(1);
    follow_plan(later, plan, d);
    EXPECT_NEAR(d.connector_kw[0], 0.0, kExtensionTol);
}

}  // namespace
}  // namespace evtwin::milp
