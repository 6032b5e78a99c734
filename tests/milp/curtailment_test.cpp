// PV curtailed as a decision with its price, worked out by hand on one site: grid limits 100 kW (or
// an export limit of 5 kW), one-hour periods, PV of 10 kW in both, import at 0.20; one vehicle
// plugged in now on a 10 kW charger that loses nothing, wanting 4 kWh before it leaves at hour 2.
#include "extension_site.hpp"
#include "plugins/milp/model/solver.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace evtwin::milp {
namespace {

using hand_sites::ExtensionSite;
using hand_sites::kExtensionTol;

ExtensionSite curtailment_site(std::vector<double> export_prices) {
    ExtensionSite site({0.20, 0.20}, std::move(export_prices));
    site.forecast.pv_kw = {10.0, 10.0};
    site.nodes[0].fixed_flow_kw = -10.0;
    site.plug(4.0, Duration::hours(2)).v2g_allowed = false;
    return site;
}

struct CurtailmentPlan {
    ChargingModel cm;
    Solution s;
};

CurtailmentPlan plan_with(const ExtensionSite& site, double curtailment_cost) {
    Observation obs = site.observe();
    obs.economics.pv_curtailment_cost_per_kwh = curtailment_cost;
    CurtailmentPlan p{build_charging_model(obs, {}), {}};
    p.s = solve(p.cm.model);
    return p;
}

// Exporting in hour 0 costs 0.05 per kWh and curtailing nothing: the vehicle takes 4 kW of the PV
// there, the other 6 kW are curtailed, and hour 1 exports its 10 kW at 0.05: −0.50. (Charging in
// hour 1 would export 6 kW there instead of 10: −0.30.) The decision caps the PV at the 4 kW used.
TEST(Curtailment, PvThatWouldCostToExportIsCurtailed) {
    const CurtailmentPlan p = plan_with(curtailment_site({-0.05, 0.05}), 0.0);
    ASSERT_EQ(p.s.status, SolveStatus::optimal);
    EXPECT_NEAR(p.cm.row_kw(p.s, 0, 0), 4.0, kExtensionTol);
    ASSERT_TRUE(p.cm.curtail[0].has_value());
    EXPECT_NEAR(p.s.value(*p.cm.curtail[0]), 6.0, kExtensionTol);
    EXPECT_NEAR(p.s.value(p.cm.grid_export[0]), 0.0, kExtensionTol);
    EXPECT_NEAR(p.s.value(*p.cm.curtail[1]), 0.0, kExtensionTol);
    EXPECT_NEAR(p.s.value(p.cm.grid_export[1]), 10.0, kExtensionTol);
    EXPECT_NEAR(p.cm.pv_limit_kw(p.s, 0), 4.0, kExtensionTol);
    EXPECT_TRUE(std::isinf(p.cm.pv_limit_kw(p.s, 1)));
    EXPECT_NEAR(p.cm.expected_cost(p.s), -0.50, kExtensionTol);
}

// Curtailing at 0.10 per kWh costs more than exporting at −0.05: hour 0 exports the 6 kW the vehicle
// leaves (0.30), hour 1 its 10 kW (−0.50): −0.20, and nothing is curtailed or capped.
TEST(Curtailment, PricedCurtailmentExportsWhereThatCostsLess) {
    const CurtailmentPlan p = plan_with(curtailment_site({-0.05, 0.05}), 0.10);
    ASSERT_EQ(p.s.status, SolveStatus::optimal);
    EXPECT_NEAR(p.cm.row_kw(p.s, 0, 0), 4.0, kExtensionTol);
    EXPECT_NEAR(p.s.value(*p.cm.curtail[0]), 0.0, kExtensionTol);
    EXPECT_NEAR(p.s.value(p.cm.grid_export[0]), 6.0, kExtensionTol);
    EXPECT_TRUE(std::isinf(p.cm.pv_limit_kw(p.s, 0)));
    EXPECT_NEAR(p.cm.expected_cost(p.s), -0.20, kExtensionTol);
}

// Exports that pay nothing tie with curtailing: the plan exports (as the engine would without a
// cap) and curtails nothing. The vehicle's 4 kWh come from the PV in either hour.
TEST(Curtailment, AFreeExportIsPreferredToAFreeCurtailment) {
    const CurtailmentPlan p = plan_with(curtailment_site({0.0, 0.0}), 0.0);
    ASSERT_EQ(p.s.status, SolveStatus::optimal);
    for (int t = 0; t < 2; ++t) {
        EXPECT_NEAR(p.s.value(*p.cm.curtail[t]), 0.0, kExtensionTol) << "hour " << t;
        EXPECT_TRUE(std::isinf(p.cm.pv_limit_kw(p.s, t))) << "hour " << t;
    }
    EXPECT_NEAR(p.cm.expected_cost(p.s), 0.0, kExtensionTol);
}

// At a 5 kW export limit the surplus beyond it is curtailed whatever it costs: hour 0's vehicle
// takes 4 kW, 5 kW are exported at 0.05 and 1 kW curtailed at 0.10; hour 1 exports 5 kW and
// curtails 5. The engine curtails at its export limit by itself, so the decision sets no cap.
// Cost: −0.25 − 0.25 + (1 + 5) × 0.10 = 0.10.
TEST(Curtailment, AtTheExportLimitTheEngineCurtailsAndNoCapIsSet) {
    ExtensionSite site = curtailment_site({0.05, 0.05});
    site.nodes[0].export_limit_kw = 5.0;
    const CurtailmentPlan p = plan_with(site, 0.10);
    ASSERT_EQ(p.s.status, SolveStatus::optimal);
    EXPECT_NEAR(p.s.value(p.cm.grid_export[0]) + p.s.value(p.cm.grid_export[1]), 10.0, kExtensionTol);
    EXPECT_NEAR(p.s.value(*p.cm.curtail[0]) + p.s.value(*p.cm.curtail[1]), 6.0, kExtensionTol);
    for (int t = 0; t < 2; ++t) EXPECT_TRUE(std::isinf(p.cm.pv_limit_kw(p.s, t))) << "hour " << t;
    EXPECT_NEAR(p.cm.expected_cost(p.s), 0.10, kExtensionTol);
}

}  // namespace
}  // namespace evtwin::milp
