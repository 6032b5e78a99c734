// What the site wants of its ESS when the run ends (EssView::end_value_per_kwh, end_soc), worked out by
// hand on one site: three one-hour periods at 0.10, 0.30 and 0.30 per kWh, exports paid nothing, no
// vehicle, and an ESS of 10 kWh at SoC 0.5 (bounds 0 and 1, 5 kW each way, no losses); the plan
// reaches the run's end.
#include "hourly_site.hpp"
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"

#include <gtest/gtest.h>

#include <span>

#include <vector>

namespace evtwin::milp {
namespace {

constexpr double kEndTol = 1e-6;

struct EndSite {
    std::vector<NodeView> nodes{test::grid_connection()};
    Forecast forecast = test::hourly_forecast({0.10, 0.30, 0.30});
    EssView ess = test::battery(10.0, 0.5, 0.0, 1.0, 5.0, 5.0);

    Observation observe() const {
        Observation obs = test::hourly_observation(nodes, forecast);
        obs.ess = std::span<const EssView>(&ess, 1);  // the site's one battery
        return obs;
    }
};

struct EssEndPlan {
    std::vector<double> ess_kw;
    double expected_cost = 0.0;
};

EssEndPlan plan_end(const EndSite& site) {
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    EXPECT_EQ(s.status, SolveStatus::optimal);
    EssEndPlan p;
    for (int t = 0; t < cm.periods; ++t) p.ess_kw.push_back(cm.ess_kw(s, 0, t));
    p.expected_cost = cm.expected_cost(s);
    return p;
}

// Worth nothing at the end, with nothing to serve: it stays as it is, and costs nothing.
TEST(EssEnd, WithoutAnEndValueItIsLeftAlone) {
    const EssEndPlan p = plan_end(EndSite());
    for (const double kw : p.ess_kw) EXPECT_NEAR(kw, 0.0, kEndTol);
    EXPECT_NEAR(p.expected_cost, 0.0, kEndTol);
}

// Worth 0.20 per kWh at the end: filled in the cheap hour (5 kWh at 0.10) and not at 0.30; the plan
// expects 0.50 − 0.20 · 5 = −0.50.
TEST(EssEnd, EnergyWorthMoreAtTheEndThanItCostsIsStored) {
    EndSite site;
    site.ess.end_value_per_kwh = 0.20;
    const EssEndPlan p = plan_end(site);
    EXPECT_NEAR(p.ess_kw[0], 5.0, kEndTol);
    EXPECT_NEAR(p.ess_kw[1], 0.0, kEndTol);
    EXPECT_NEAR(p.ess_kw[2], 0.0, kEndTol);
    EXPECT_NEAR(p.expected_cost, -0.50, kEndTol);
}

// SoC 0.8 wanted at the end: the 3 kWh it lacks are bought in the cheap hour, 0.30.
TEST(EssEnd, TheSocWantedIsBoughtAtTheLeastCost) {
    EndSite site;
    site.ess.end_soc = 0.8;
    const EssEndPlan p = plan_end(site);
    EXPECT_NEAR(p.ess_kw[0], 3.0, kEndTol);
    EXPECT_NEAR(p.ess_kw[1] + p.ess_kw[2], 0.0, kEndTol);
    EXPECT_NEAR(p.expected_cost, 0.30, kEndTol);
}

// Full wanted with 1 kW to charge: 3 kWh in three hours (0.10 + 0.30 + 0.30) and 2 kWh short at the
// unmet penalty (max(10, 20 × 0.30) = 10 per kWh): 20.70, a plan, not an infeasible model.
TEST(EssEnd, ASocOutOfReachIsPlannedAsNearAsItGoes) {
    EndSite site;
    site.ess.end_soc = 1.0;
    site.ess.max_charge_kw = site.ess.rated_charge_kw = 1.0;
    const EssEndPlan p = plan_end(site);
    for (const double kw : p.ess_kw) EXPECT_NEAR(kw, 1.0, kEndTol);
    EXPECT_NEAR(p.expected_cost, 0.70 + 20.0, 1e-6);
}

// Where the plan stops before the run's end, the end is not the plan's to value: it keeps what it
// stores now, as before.
TEST(EssEnd, APlanShortOfTheRunsEndKeepsItsEnergy) {
    EndSite site;
    site.ess.end_value_per_kwh = 0.20;
    Observation obs = site.observe();
    obs.run_end = Time(0) + Duration::hours(24);
    ChargingOptions options;
    options.max_horizon = Duration::hours(3);
    const ChargingModel cm = build_charging_model(obs, options);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    for (int t = 0; t < cm.periods; ++t) EXPECT_NEAR(cm.ess_kw(s, 0, t), 0.0, kEndTol) << "period " << t;
}

}  // namespace
}  // namespace evtwin::milp
