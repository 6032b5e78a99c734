// A site whose own load alone is over its grid import limit still gets a plan: the formulation
// holds charging at zero there and prices the overshoot that discharging cannot give back, so the
// plan breaks the limit by no more than it must. Worked out by hand on one site: a 10 kW import
// limit, one-hour periods, a vehicle plugged in now on an 11 kW charger that loses nothing, wanting
// 8 kWh before it leaves at hour 2, and a base load of 14 kW in hour 0 and 4 kW in hour 1.
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace evtwin::milp {
namespace {

constexpr double kOvershootTol = 1e-6;

struct OvershootSite {
    std::vector<NodeView> nodes{
        {kNone, NodeKind::grid, 10.0, 100.0, 14.0}, {0, NodeKind::charger}, {1, NodeKind::connector}};
    std::vector<ConnectorView> connectors{{2, 1, 11.0, 0.0, {}, false, PilotState::B, 0}};
    std::vector<SessionView> sessions;
    Forecast forecast;
    std::vector<EssView> ess;  // none unless a test adds one

    OvershootSite(std::vector<double> prices, std::vector<double> base_load_kw) {
        forecast.start = Time(0);
        forecast.step = Duration::hours(1);
        forecast.import_price = std::move(prices);
        forecast.export_price.assign(forecast.import_price.size(), 0.0);
        forecast.base_load_kw = std::move(base_load_kw);
        nodes[0].fixed_flow_kw = forecast.base_load_kw[0];
        SessionView s;
        s.id = 1;
        s.connector = 0;
        s.declared_departure = s.expected_departure = Time(0) + Duration::hours(2);
        s.requested_kwh = s.remaining_kwh = 8.0;
        s.capacity_kwh = 60.0;
        s.soc = 0.2;
        s.max_charge_kw = s.recharge_kw = 11.0;
        sessions.push_back(s);
    }

    Observation observe() const {
        Observation obs;
        obs.now = obs.run_start = Time(0);
        obs.run_end = Time(0) + forecast.step * static_cast<std::int64_t>(forecast.import_price.size());
        obs.control_period = Duration::hours(1);
        obs.nodes = nodes;
        obs.connectors = connectors;
        obs.sessions = sessions;
        obs.forecast = &forecast;
        obs.ess = ess;
        return obs;
    }
};

double planned_charge_kw(const ChargingModel& cm, const Solution& s, int t) {
    return cm.row_kw(s, 0, t);
}

// Hour 0: 14 kW of base load against 10 kW; no plan helps, the vehicle gets nothing and the
// overshoot is 4 kW. Hour 1: 10 − 4 = 6 kW for the vehicle, so 6 of its 8 kWh and 2 unmet.
TEST(ImportOvershoot, ABaseLoadOverTheLimitIsAnOvershootNotAnInfeasibleModel) {
    const OvershootSite site({0.10, 0.10}, {14.0, 4.0});
    const ChargingModel cm = build_charging_model(site.observe(), {});
    ASSERT_EQ(cm.overshoots.size(), 1u);
    EXPECT_EQ(cm.overshoots[0].node, 0u);
    EXPECT_EQ(cm.overshoots[0].period, 0);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(planned_charge_kw(cm, s, 0), 0.0, kOvershootTol);
    EXPECT_NEAR(planned_charge_kw(cm, s, 1), 6.0, kOvershootTol);
    EXPECT_NEAR(cm.overshoot_kw(s, 0, 0), 4.0, kOvershootTol);
    EXPECT_NEAR(cm.overshoot_kw(s, 0, 1), 0.0, kOvershootTol);
    EXPECT_NEAR(s.value(cm.slack[0]), 2.0, kOvershootTol);
}

// The overshoot's column and row exist only where the fixed flow alone breaks the limit: at the
// limit (10 kW in hour 0) the model is the one without them, and the plan the same.
TEST(ImportOvershoot, OnlyAPeriodOverTheLimitGetsAColumn) {
    const ChargingModel over = build_charging_model(OvershootSite({0.10, 0.10}, {14.0, 4.0}).observe(), {});
    const ChargingModel at = build_charging_model(OvershootSite({0.10, 0.10}, {10.0, 4.0}).observe(), {});
    EXPECT_TRUE(at.overshoots.empty());
    EXPECT_EQ(over.model.num_vars(), at.model.num_vars() + 1);
    EXPECT_EQ(over.model.num_constraints(), at.model.num_constraints() + 1);
    const Solution s = solve(at.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(planned_charge_kw(at, s, 0), 0.0, kOvershootTol);
    EXPECT_NEAR(planned_charge_kw(at, s, 1), 6.0, kOvershootTol);
}

// An ESS at the grid connection holds 3 kWh (10 kWh at SoC 0.3, bounds 0 and 1, efficiency 1) and
// gives 3 kW; prices 0.10, 0.10, 0.30; a third hour with 3 kW of base load. Without the overshoot
// it would keep its 3 kWh for the dear hour 2 (saving 0.90 against 0.30 in hour 0). With it, each
// kWh given in hour 0 also saves the overshoot penalty (5 per kWh, far above 0.20): it gives its
// 3 kW there, and the overshoot is 14 − 10 − 3 = 1 kW. Recharging in hour 1 would take the
// vehicle's room (6 kW, all its own) and leave it shorter, at the unmet penalty. The expected cost
// leaves the overshoot out: 11 × 0.10 + 10 × 0.10 + 3 × 0.30 = 3.00, plus 2 kWh unmet at
// max(10, 20 × 0.30) = 10 per kWh: 23.00.
TEST(ImportOvershoot, AStorageGivesWhatItCanToShaveTheOvershoot) {
    OvershootSite site({0.10, 0.10, 0.30}, {14.0, 4.0, 3.0});
    EssView& ess = site.ess.emplace_back();
    ess.node = 0;
    ess.capacity_kwh = 10.0;
    ess.soc = 0.3;
    ess.soc_min = 0.0;
    ess.soc_max = 1.0;
    ess.max_charge_kw = ess.rated_charge_kw = 5.0;
    ess.max_discharge_kw = ess.rated_discharge_kw = 3.0;
    const ChargingModel cm = build_charging_model(site.observe(), {});
    ASSERT_EQ(cm.overshoots.size(), 1u);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.ess_kw(s, 0, 0), -3.0, kOvershootTol);
    EXPECT_NEAR(cm.ess_kw(s, 0, 1), 0.0, kOvershootTol);
    EXPECT_NEAR(cm.ess_kw(s, 0, 2), 0.0, kOvershootTol);
    EXPECT_NEAR(cm.overshoot_kw(s, 0, 0), 1.0, kOvershootTol);
    EXPECT_NEAR(planned_charge_kw(cm, s, 1), 6.0, kOvershootTol);
    EXPECT_NEAR(cm.overshoot_penalty, 5.0, kOvershootTol);
    EXPECT_NEAR(cm.expected_cost(s), 23.0, kOvershootTol);
}

// PV of 20 kW in hour 0 against a 5 kW export limit (import limit 100): the vehicle takes its
// 8 kWh from it, 5 kW are exported and 7 kW curtailed. A surplus over the export limit is
// curtailed, never an overshoot: the model has no such column.
TEST(ImportOvershoot, APvSurplusOverTheExportLimitIsCurtailed) {
    OvershootSite site({0.10, 0.10}, {0.0, 0.0});
    site.forecast.export_price = {0.05, 0.05};
    site.forecast.pv_kw = {20.0, 0.0};
    site.nodes[0].import_limit_kw = 100.0;
    site.nodes[0].export_limit_kw = 5.0;
    site.nodes[0].fixed_flow_kw = -20.0;
    const ChargingModel cm = build_charging_model(site.observe(), {});
    EXPECT_TRUE(cm.overshoots.empty());
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(planned_charge_kw(cm, s, 0), 8.0, kOvershootTol);
    EXPECT_NEAR(s.value(cm.grid_export[0]), 5.0, kOvershootTol);
    EXPECT_NEAR(s.value(cm.grid_import[0]), 0.0, kOvershootTol);
    EXPECT_NEAR(s.value(cm.slack[0]), 0.0, kOvershootTol);
}

}  // namespace
}  // namespace evtwin::milp
