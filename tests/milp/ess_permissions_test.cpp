// A battery's grid permissions and priority in the formulation (EssView::grid_charge, grid_discharge,
// priority; docs/milp.md), worked out by hand on one site of three one-hour periods at 0.10, 0.30
// and 0.30 per kWh, with no vehicle and a battery empty now (10 kWh, SoC bounds 0 and 1, no losses).
#include "hourly_site.hpp"
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"

#include <gtest/gtest.h>

#include <span>
#include <vector>

namespace evtwin::milp {
namespace {

constexpr double kPermissionTol = 1e-6;

struct PermissionSite {
    // The fixed flow now and the forecast's PV and base load after: the root's flow is
    // −pv + load in each period.
    std::vector<NodeView> nodes{test::grid_connection()};
    Forecast forecast = test::hourly_forecast({0.10, 0.30, 0.30});
    std::vector<EssView> ess;

    PermissionSite(std::vector<double> pv_kw, std::vector<double> load_kw) {
        nodes[0].fixed_flow_kw = load_kw[0] - pv_kw[0];
        forecast.pv_kw = std::move(pv_kw);
        forecast.base_load_kw = std::move(load_kw);
    }

    EssView& add_battery(double charge_kw, double discharge_kw) {
        return ess.emplace_back(test::battery(10.0, 0.0, 0.0, 1.0, charge_kw, discharge_kw));  // empty now
    }

    Observation observe() const {
        Observation obs = test::hourly_observation(nodes, forecast);
        obs.ess = std::span<const EssView>(ess);
        return obs;
    }
};

struct PermissionPlan {
    std::vector<std::vector<double>> ess_kw;  // [battery][period]
    double expected_cost = 0.0;
};

PermissionPlan plan(const PermissionSite& site) {
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    EXPECT_EQ(s.status, SolveStatus::optimal);
    PermissionPlan p;
    p.ess_kw.resize(site.ess.size());
    for (std::size_t b = 0; b < site.ess.size(); ++b)
        for (int t = 0; t < cm.periods; ++t) p.ess_kw[b].push_back(cm.ess_kw(s, b, t));
    p.expected_cost = cm.expected_cost(s);
    return p;
}

// PV 6 kW in hour 0, a 4 kW load in hours 1 and 2; the battery charges at 10 kW, gives 5. With grid
// charge it stores the 6 kW of PV and 2 kW from the grid at 0.10, and gives 4 kW in each later hour:
// 0.20. Without, it stores the PV alone and 2 kWh of the load are bought at 0.30: 0.60.
TEST(EssPermissions, WithoutGridChargeItStoresOnlyTheSurplus) {
    PermissionSite site({6.0, 0.0, 0.0}, {0.0, 4.0, 4.0});
    site.add_battery(10.0, 5.0);
    const PermissionPlan with_grid = plan(site);
    EXPECT_NEAR(with_grid.ess_kw[0][0], 8.0, kPermissionTol);
    EXPECT_NEAR(with_grid.ess_kw[0][1], -4.0, kPermissionTol);
    EXPECT_NEAR(with_grid.ess_kw[0][2], -4.0, kPermissionTol);
    EXPECT_NEAR(with_grid.expected_cost, 0.20, kPermissionTol);

    site.ess[0].grid_charge = false;
    const PermissionPlan surplus_only = plan(site);
    EXPECT_NEAR(surplus_only.ess_kw[0][0], 6.0, kPermissionTol);
    EXPECT_NEAR(surplus_only.ess_kw[0][1] + surplus_only.ess_kw[0][2], -6.0, kPermissionTol);
    EXPECT_NEAR(surplus_only.expected_cost, 0.60, kPermissionTol);
}

// No PV, a 2 kW load in hour 1, and exports paid 0.25 in hour 1. With grid discharge the battery
// stores 5 kWh at 0.10 and gives 5 kW in hour 1: 2 to the load, 3 exported for 0.75; 0.50 − 0.75 =
// −0.25. Without, it gives only the 2 kW the site draws: 2 kWh stored at 0.10, 0.20.
TEST(EssPermissions, WithoutGridDischargeItGivesOnlyWhatTheSiteDraws) {
    PermissionSite site({0.0, 0.0, 0.0}, {0.0, 2.0, 0.0});
    site.forecast.export_price = {0.0, 0.25, 0.0};
    site.add_battery(5.0, 5.0);
    const PermissionPlan with_grid = plan(site);
    EXPECT_NEAR(with_grid.ess_kw[0][0], 5.0, kPermissionTol);
    EXPECT_NEAR(with_grid.ess_kw[0][1], -5.0, kPermissionTol);
    EXPECT_NEAR(with_grid.expected_cost, -0.25, kPermissionTol);

    site.ess[0].grid_discharge = false;
    const PermissionPlan on_site = plan(site);
    EXPECT_NEAR(on_site.ess_kw[0][0], 2.0, kPermissionTol);
    EXPECT_NEAR(on_site.ess_kw[0][1], -2.0, kPermissionTol);
    EXPECT_NEAR(on_site.ess_kw[0][2], 0.0, kPermissionTol);
    EXPECT_NEAR(on_site.expected_cost, 0.20, kPermissionTol);
}

// Two batteries alike, a 3 kW load in hour 1: 3 kWh stored at 0.10 serve it (0.30), whichever battery
// stores them. The one of higher priority does, and the other stays idle; the cost is the same.
TEST(EssPermissions, OfTwoBatteriesAlikeTheHigherPriorityDoesTheWork) {
    for (const int second_priority : {0, 1}) {
        PermissionSite site({0.0, 0.0, 0.0}, {0.0, 3.0, 0.0});
        site.add_battery(5.0, 5.0).priority = 1 - second_priority;
        site.add_battery(5.0, 5.0).priority = second_priority;
        const PermissionPlan p = plan(site);
        const std::size_t works = second_priority == 1 ? 1 : 0;
        EXPECT_NEAR(p.ess_kw[works][0], 3.0, kPermissionTol) << "priority to battery " << works;
        EXPECT_NEAR(p.ess_kw[works][1], -3.0, kPermissionTol);
        for (const double kw : p.ess_kw[1 - works]) EXPECT_NEAR(kw, 0.0, kPermissionTol);
        EXPECT_NEAR(p.expected_cost, 0.30, kPermissionTol);
    }
}

}  // namespace
}  // namespace evtwin::milp
