// Planning ahead (mpc's plan_ahead): a plan solved while the decision in force runs starts where that
// decision leaves the site, and is followed from the next boundary of the control periods. Worked out
// by hand on one 10 kW connector (no V2G) with one-hour periods; then end to end, a run that repeats.
#include "plugins/milp/plan_ahead.hpp"
#include "milp/extension_site.hpp"
#include "milp/run_check.hpp"
#include "plugins/milp/planners.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace evtwin::milp {
namespace {

using hand_sites::ExtensionSite;
using hand_sites::kExtensionTol;

Time at_hour(double h) {
    return Time(0) + Duration(static_cast<std::int64_t>(h * 3'600'000.0));
}

// A vehicle plugged in at 0:00, requesting `kwh` by `stay`, that cannot discharge.
ExtensionSite one_vehicle(std::vector<double> prices, double kwh, Duration stay) {
    ExtensionSite site{prices, std::vector<double>(prices.size(), 0.0)};
    site.plug(kwh, stay).v2g_allowed = false;
    return site;
}

Decision charging(double kw) {
    Decision d;
    d.connector_kw = {kw};
    return d;
}

Plan plan_ahead_of(const Observation& obs, const Decision& decided, std::vector<StrategyEvent>& events) {
    PlanAhead ahead;
    ahead.start(draft_plan(obs, {}, events), obs, decided, {}, {});
    EXPECT_TRUE(ahead.pending());
    EXPECT_EQ(ahead.from(), obs.now + Duration::hours(1));
    return ahead.take(events);
}

// 10 kWh over three hours at 0.30, 0.10, 0.10: alone, the plan charges in the second hour. With 4 kW
// decided for the first, the plan starts from the 4 kWh it gives: 6 kW in the second hour.
TEST(PlanAhead, TheFirstPeriodHoldsTheDecisionInForce) {
    const ExtensionSite site = one_vehicle({0.30, 0.10, 0.10}, 10.0, Duration::hours(3));
    std::vector<StrategyEvent> events;
    const Plan plan = plan_ahead_of(site.observe(), charging(4.0), events);
    ASSERT_TRUE(plan.solution.has_values());
    EXPECT_NEAR(plan.model.row_kw(plan.solution, 0, 0), 4.0, kExtensionTol);
    EXPECT_NEAR(plan.model.row_kw(plan.solution, 0, 1), 6.0, kExtensionTol);
    EXPECT_NEAR(plan.model.row_kw(plan.solution, 0, 2), 0.0, kExtensionTol);
    EXPECT_TRUE(events.empty());
}

// 3 kWh asked, 10 kW decided: the vehicle stops once it has its 3 kWh, so the first period holds 3 kW
// on average, and nothing is left for later.
TEST(PlanAhead, AVehicleFilledWithinThePeriodIsHeldAtItsRequest) {
    const ExtensionSite site = one_vehicle({0.30, 0.10, 0.10}, 3.0, Duration::hours(3));
    std::vector<StrategyEvent> events;
    const Plan plan = plan_ahead_of(site.observe(), charging(10.0), events);
    ASSERT_TRUE(plan.solution.has_values());
    EXPECT_NEAR(plan.model.row_kw(plan.solution, 0, 0), 3.0, kExtensionTol);
    EXPECT_NEAR(plan.model.row_kw(plan.solution, 0, 1), 0.0, kExtensionTol);
    EXPECT_NEAR(plan.solution.value(plan.model.slack[0]), 0.0, kExtensionTol);
}

// A battery decided to give 30 kW, holding 4 kWh above its floor: it gives its 4 kWh within the
// hour, so the first period holds 4 kW of discharge and none of charge.
TEST(PlanAhead, ABatteryIsHeldWithinItsSocBounds) {
    ExtensionSite site = one_vehicle({0.30, 0.10, 0.10}, 10.0, Duration::hours(3));
    EssView ess;
    ess.node = 0;
    ess.capacity_kwh = 10.0;
    ess.soc = 0.5;
    ess.soc_min = 0.1;
    ess.soc_max = 0.9;
    ess.max_charge_kw = ess.rated_charge_kw = 5.0;
    ess.max_discharge_kw = ess.rated_discharge_kw = 5.0;
    site.ess = {ess};
    const Observation obs = site.observe();
    std::vector<StrategyEvent> events;
    PlanDraft draft = draft_plan(obs, {}, events);
    Decision decided = charging(0.0);
    decided.ess_kw = {-30.0};
    hold(draft.plan.model.model, first_period_holds(draft.plan.model, obs, decided), Hold::exactly);
    const auto& columns = draft.plan.model.model.columns();
    const Column& discharge = columns[draft.plan.model.ess_discharge[0][0].index];
    const Column& charge = columns[draft.plan.model.ess_charge[0][0].index];
    EXPECT_NEAR(discharge.lower, 4.0, 1e-12);
    EXPECT_NEAR(discharge.upper, 4.0, 1e-12);
    EXPECT_EQ(charge.lower, 0.0);
    EXPECT_EQ(charge.upper, 0.0);
}

// The site draws 98 kW of its 100 kW (and, without a forecast, goes on so), so a plan can give the
// vehicle 2 kW, not the 3 kW decided for the first hour: held at most at 3 kW, the plan gives it 2 kW
// in every hour.
TEST(PlanAhead, ADecisionThePlanCannotHoldExactlyIsHeldAsACap) {
    ExtensionSite site = one_vehicle({0.10, 0.30, 0.30}, 10.0, Duration::hours(3));
    site.nodes[0].fixed_flow_kw = 98.0;
    std::vector<StrategyEvent> events;
    const Plan plan = plan_ahead_of(site.observe(), charging(3.0), events);
    ASSERT_TRUE(plan.solution.has_values());
    EXPECT_NEAR(plan.model.row_kw(plan.solution, 0, 0), 2.0, kExtensionTol);
    EXPECT_NEAR(plan.model.row_kw(plan.solution, 0, 1), 2.0, kExtensionTol);
    EXPECT_NEAR(plan.model.row_kw(plan.solution, 0, 2), 2.0, kExtensionTol);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].kind, "plan_ahead");
}

// 20 kWh over four hours at 0.30, 0.30, 0.10, 0.10. Until its first plan mpc decides as the heuristic
// does (10 kW at once), also half an hour in, when that plan is made but not yet due; from 1:00 it
// follows the plan, which starts from the 10 kWh the first hour gives: nothing in the second, dear
// hour, the 10 kWh left in the third.
TEST(PlanAhead, MpcFollowsTheHeuristicUntilTheNextBoundaryThenItsPlan) {
    ExtensionSite site = one_vehicle({0.30, 0.30, 0.10, 0.10}, 20.0, Duration::hours(4));
    MpcSettings settings;
    settings.plan_ahead = true;
    settings.replan_on_deviation = true;
    MpcPlanner mpc({}, {}, settings);
    const auto decide_at = [&](double hour, double delivered_kwh) {
        SessionView& s = site.sessions[0];
        s.delivered_kwh = delivered_kwh;
        s.remaining_kwh = s.requested_kwh - delivered_kwh;
        s.soc = 0.5 + delivered_kwh / s.capacity_kwh;
        Observation obs = site.observe();
        obs.now = at_hour(hour);
        Decision out;
        mpc.decide(obs, out);
        EXPECT_TRUE(out.events.empty()) << out.events[0].kind << ": " << out.events[0].detail;
        return out.connector_kw[0];
    };
    EXPECT_NEAR(decide_at(0.0, 0.0), 10.0, kExtensionTol);
    EXPECT_NEAR(decide_at(0.5, 5.0), 10.0, kExtensionTol);
    EXPECT_NEAR(decide_at(1.0, 10.0), 0.0, kExtensionTol);
    EXPECT_NEAR(decide_at(2.0, 10.0), 10.0, kExtensionTol);
}

// The feeder's limits are checked on the feeder of the decision's Observation, which a plan solved
// later no longer has.
TEST(PlanAhead, IsRefusedWhereAPlanHoldsTheFeedersLimits) {
    MpcSettings settings;
    settings.plan_ahead = true;
    ChargingOptions options;
    options.hold_voltage = true;
    EXPECT_THROW(MpcPlanner(options, {}, settings), OptionError);
}

// v2g_profit_max's oracle solves within its decisions: asked to plan ahead, the run is refused.
TEST(PlanAhead, IsRefusedForTheOracle) {
    const auto r = test::run_command(test::evtwin_binary().string() + " run " +
                                     test::source_file("scenarios/v2g_profit_max.lua").string() +
                                     " --strategy v2g_profit_max --opt plan_ahead=true --db " +
                                     (test::temp_dir("plan-ahead-oracle") / "run.db").string());
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.output.find("option plan_ahead='true' must be false with mode='oracle'"), std::string::npos)
        << r.output;
}

// v2g_profit_max.lua under mpc planning ahead keeps every limit and repeats to the last digit: when a
// plan is followed does not depend on how fast it was solved.
TEST(PlanAheadRun, KeepsEveryLimitAndRepeats) {
    const std::string options =
        "--opt mode=mpc --opt horizon_h=4 --opt replan=deviation --opt plan_ahead=true";
    const auto first = test::run_and_check("v2g_profit_max.lua", "v2g_profit_max", options, "plan-ahead-1");
    const auto second = test::run_and_check("v2g_profit_max.lua", "v2g_profit_max", options, "plan-ahead-2");
    ASSERT_FALSE(first.empty());
    ASSERT_EQ(first.size(), second.size());
    for (const auto& [name, value] : first) {
        if (name.rfind("decision_time", 0) == 0) continue;  // wall-clock
        if (std::isnan(value))
            EXPECT_TRUE(std::isnan(second.at(name))) << name;
        else
            EXPECT_EQ(value, second.at(name)) << name;
    }
    EXPECT_LT(first.at("unmet_energy"), 1e-3);  // every request met, to the watt-hour
}

}  // namespace
}  // namespace evtwin::milp
