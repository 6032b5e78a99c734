// A driver's needs in the formulation (docs/milp.md, "A driver's needs"), worked out by hand on one
// vehicle plugged in for three one-hour periods at 0.10, 0.30 and 0.20 per kWh, on a 7 kW charger
// that loses nothing, its battery never full (60 kWh at 20 %) and no charge curve.
#include "one_vehicle_site.hpp"
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"
#include "plugins/milp/planning.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace evtwin::milp {
namespace {

constexpr double kNeedsTol = 1e-5;

OneVehicleSite needs_site(double wanted_kwh, std::vector<double> prices = {0.10, 0.30, 0.20}) {
    return OneVehicleSite(7.0, Duration::hours(1), std::move(prices), wanted_kwh);
}

struct Planned {
    std::vector<double> kw;
    double cost = 0.0;
};

Planned plan_of(const OneVehicleSite& site, const ChargingOptions& options = {}) {
    const ChargingModel cm = build_charging_model(site.observe(), options);
    const Solution s = solve(cm.model);
    EXPECT_EQ(s.status, SolveStatus::optimal);
    Planned out;
    for (int t = 0; t < cm.periods; ++t) out.kw.push_back(cm.row_kw(s, 0, t));
    out.cost = cm.expected_cost(s);
    return out;
}

void expect_kw(const Planned& plan, const std::vector<double>& kw) {
    ASSERT_EQ(plan.kw.size(), kw.size());
    for (std::size_t t = 0; t < kw.size(); ++t) EXPECT_NEAR(plan.kw[t], kw[t], kNeedsTol) << "period " << t;
}

// 15 kWh asked for, a goal of 5 kWh by the end of hour 2 (t = 2 h), each kWh beyond it worth 0.25.
// The goal is cheapest in hour 1 (0.10 < 0.30): 5 kWh there. Beyond it, up to 10 kWh more, only
// where the price is below 0.25: the 2 kWh hour 1 still holds (0.10) and 7 in hour 3 (0.20), none in
// hour 2 (0.30). 7, 0, 7 kW: 0.70 + 1.40 = 2.10. Without the goal the 15 kWh are required by the
// departure: 7, 1, 7 kW (the last kWh at 0.30).
TEST(DriverNeeds, EnergyBeyondTheGoalIsBoughtOnlyBelowItsValue) {
    OneVehicleSite site = needs_site(15.0);
    expect_kw(plan_of(site), {7.0, 1.0, 7.0});
    site.vehicle().needs.goal_by = Time(0) + Duration::hours(2);
    site.vehicle().needs.goal_kwh = 5.0;
    site.vehicle().needs.value_per_kwh = 0.25;
    const Planned plan = plan_of(site);
    expect_kw(plan, {7.0, 0.0, 7.0});
    EXPECT_NEAR(plan.cost, 2.10, kNeedsTol);
    // Worth 0.15: only hour 1's 0.10 is below it, 7 kWh there (the goal's 5 and 2 beyond).
    site.vehicle().needs.value_per_kwh = 0.15;
    expect_kw(plan_of(site), {7.0, 0.0, 0.0});
    // Worth nothing: the goal alone, 5 kWh in hour 1.
    site.vehicle().needs.value_per_kwh = 0.0;
    expect_kw(plan_of(site), {5.0, 0.0, 0.0});
}

// The goal's time counts: 5 kWh by the end of hour 1 when hour 1 costs 0.30 and hour 2 0.10. Without
// the early time the 5 kWh would wait for hour 2 (0.50); by its time they cost 5 · 0.30 = 1.50.
TEST(DriverNeeds, AGoalIsMetByItsTimeNotTheDeparture) {
    OneVehicleSite site = needs_site(5.0, {0.30, 0.10, 0.20});
    expect_kw(plan_of(site), {0.0, 5.0, 0.0});
    site.vehicle().needs.goal_by = Time(0) + Duration::hours(1);
    site.vehicle().needs.goal_kwh = 5.0;
    const Planned plan = plan_of(site);
    expect_kw(plan, {5.0, 0.0, 0.0});
    EXPECT_NEAR(plan.cost, 1.50, kNeedsTol);
}

// A goal within a period counts the part of its power before the goal: 3 kWh by 00:30 at prices 0.30,
// 0.10, 0.20 take 6 kW all through hour 1 (one power a period), 6 kWh for 1.80, and the other 4 of the
// 10 asked for in hour 2 (0.40): 2.20. Rounded up to 01:00, 3 kW would have done (1.60).
TEST(DriverNeeds, AGoalWithinAPeriodCountsThePartBeforeIt) {
    OneVehicleSite site = needs_site(10.0, {0.30, 0.10, 0.20});
    site.vehicle().needs.goal_by = Time(0) + Duration::minutes(30);
    site.vehicle().needs.goal_kwh = 3.0;
    site.vehicle().needs.value_per_kwh = 1.0;  // the rest is worth buying anywhere
    const Planned plan = plan_of(site);
    expect_kw(plan, {6.0, 4.0, 0.0});
    EXPECT_NEAR(plan.cost, 2.20, kNeedsTol);
}

// 10 kWh, a minimum of 2 kW. Without it: 7 kWh in hour 1 and 3 in hour 3 (0.70 + 0.60). At 2 kW for
// three hours the minimum adds 6 kWh, less than the 10 the vehicle takes, so it holds all along:
// 2 kW in hour 2 at 0.30 (0.60), 2 in hour 3 (0.40) and the other 6 in hour 1 (0.60): 1.60.
TEST(DriverNeeds, AMinimumPowerChargesInAnExpensiveHour) {
    OneVehicleSite site = needs_site(10.0);
    expect_kw(plan_of(site), {7.0, 0.0, 3.0});
    site.vehicle().needs.min_charge_kw = 2.0;
    const Planned plan = plan_of(site);
    expect_kw(plan, {6.0, 2.0, 2.0});
    EXPECT_NEAR(plan.cost, 1.60, kNeedsTol);
}

// 4 kWh, a minimum of 2 kW, prices 0.30, 0.10, 0.20. Alone it would charge 4 kWh in hour 2 (0.40).
// At the minimum it starts at once and stops once full: 2 kW in hour 1 (0.60) and the last 2 kWh in
// hour 2 (0.20), 0.80, then nothing (full). Held in every period, 6 kWh would not fit.
TEST(DriverNeeds, AMinimumPowerHoldsUntilTheVehicleIsFull) {
    OneVehicleSite site = needs_site(4.0, {0.30, 0.10, 0.20});
    expect_kw(plan_of(site), {0.0, 4.0, 0.0});
    site.vehicle().needs.min_charge_kw = 2.0;
    const Planned plan = plan_of(site);
    expect_kw(plan, {2.0, 2.0, 0.0});
    EXPECT_NEAR(plan.cost, 0.80, kNeedsTol);
}

// 5 kWh asked for, a goal of 2 kWh by the end of hour 1 worth nothing beyond, a minimum of 2 kW,
// prices 0.30, 0.10, 0.20. The goal alone: 2 kW in hour 1 (0.60). The minimum holds until the
// request is met: 2 kW in hour 1, the other 3 kWh in hour 2 (0.10), full at its end, then nothing:
// 0.90. Lifted in hour 2, which the minimum cannot fill, it would stop at 4 kWh (2, 2, 0).
TEST(DriverNeeds, AMinimumPowerHoldsInThePeriodItCannotFill) {
    OneVehicleSite site = needs_site(5.0, {0.30, 0.10, 0.20});
    site.vehicle().needs.goal_by = Time(0) + Duration::hours(1);
    site.vehicle().needs.goal_kwh = 2.0;
    expect_kw(plan_of(site), {2.0, 0.0, 0.0});
    site.vehicle().needs.min_charge_kw = 2.0;
    const Planned plan = plan_of(site);
    expect_kw(plan, {2.0, 3.0, 0.0});
    EXPECT_NEAR(plan.cost, 0.90, kNeedsTol);
}

// A goal of 10 kWh by the end of hour 1 on a 7 kW charger cannot be met: 7 kWh by then, 3 missed
// (at the penalty of 10 per kWh, 30), and the 3 still wanted by the departure in hour 3 (0.20):
// 7, 0, 3 kW; 0.70 + 0.60 + 30 = 31.30.
TEST(DriverNeeds, AGoalOutOfReachIsMissedByWhatItLacks) {
    OneVehicleSite site = needs_site(10.0);
    site.vehicle().needs.goal_by = Time(0) + Duration::hours(1);
    site.vehicle().needs.goal_kwh = 10.0;
    ChargingOptions options;
    options.unmet_penalty_per_kwh = 10.0;
    const Planned plan = plan_of(site, options);
    expect_kw(plan, {7.0, 0.0, 3.0});
    EXPECT_NEAR(plan.cost, 31.30, kNeedsTol);
}

// Part of the goal already delivered counts: 3 of a 5 kWh goal by hour 2, worth nothing beyond. The
// 2 kWh left go into hour 1.
TEST(DriverNeeds, WhatTheVehicleHasHadCountsTowardsItsGoal) {
    OneVehicleSite site = needs_site(15.0);
    SessionView& v = site.vehicle();
    v.delivered_kwh = 3.0;
    v.remaining_kwh = 12.0;
    v.needs.goal_by = Time(0) + Duration::hours(2);
    v.needs.goal_kwh = 5.0;
    expect_kw(plan_of(site), {2.0, 0.0, 0.0});
}

// Energy first prices a minimum in its second stage only: it never costs a kWh of energy. A 7 kW
// grid connection, two hours at 0.10: A wants 7 kWh and leaves after hour 1; B wants 2 kWh and has
// a 2 kW minimum (it would be full after hour 1 at it). Energy first gives A its 7 kWh in hour 1 and
// B its 2 in hour 2 (9 kWh; B's minimum not held in hour 1). The cost objective prices A's missing
// 2 kWh and B's minimum alike (10 a kWh), so the cheaper plan holds the minimum: A 5 and B 2 kW in
// hour 1 (7 kWh bought, 0.70 against 0.90).
TEST(DriverNeeds, EnergyFirstNeverBuysAMinimumWithEnergy) {
    OneVehicleSite site(7.0, Duration::hours(1), {0.10, 0.10}, 7.0);
    site.nodes[0].import_limit_kw = 7.0;
    site.vehicle().declared_departure = site.vehicle().expected_departure = Time(0) + Duration::hours(1);
    site.nodes.push_back({1, NodeKind::connector});
    site.connectors.push_back({3, 1, 7.0, 0.0, {}, false, PilotState::B, 1});
    SessionView b = site.vehicle();
    b.id = 2;
    b.connector = 1;
    b.declared_departure = b.expected_departure = site.end();
    b.requested_kwh = b.remaining_kwh = 2.0;
    b.needs.min_charge_kw = 2.0;
    site.sessions.push_back(b);
    const auto plan_kw = [&](bool energy_first) {
        ChargingOptions options;
        options.energy_first = energy_first;
        options.unmet_penalty_per_kwh = 10.0;
        Solver solver;
        Decision d;
        d.connector_kw.assign(2, 0.0);
        const Plan plan = make_plan(site.observe(), options, solver, d);
        EXPECT_TRUE(plan.solution.has_values());
        std::vector<double> kw;
        for (const SessionId id : {1u, 2u})
            for (int t = 0; t < 2; ++t) kw.push_back(plan.model.row_kw(plan.solution, plan.row_of(id), t));
        return kw;
    };
    const std::vector<double> first = plan_kw(true);
    EXPECT_NEAR(first[0], 7.0, kNeedsTol);  // A, hour 1
    EXPECT_NEAR(first[2], 0.0, kNeedsTol);  // B, hour 1
    EXPECT_NEAR(first[3], 2.0, kNeedsTol);  // B, hour 2
    const std::vector<double> cost = plan_kw(false);
    EXPECT_NEAR(cost[0], 5.0, kNeedsTol);
    EXPECT_NEAR(cost[2], 2.0, kNeedsTol);
    EXPECT_NEAR(cost[3], 0.0, kNeedsTol);
}

}  // namespace
}  // namespace evtwin::milp
