// The formulation's battery wear (SessionView::wear, docs/battery.md "Wear prices"): storing above
// the reference SoC costs per kWh·h, so charging moves late; throughput costs per kWh, so V2G
// arbitrage stops where the spread does not pay for the wear; wear=false ignores both.
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"

#include <gtest/gtest.h>

namespace evtwin::milp {
namespace {

constexpr double kWearTol = 1e-4;

// One 7 kW V2G-capable charger under a 10 kW grid, one-hour periods at these prices, one vehicle
// staying through them all. A V2G vehicle may give 7 kWh below its SoC now (the engine stops a
// vehicle's charging at its request, so it can sell only what it takes back later).
struct OneVehicle {
    std::vector<NodeView> nodes{
        {kNone, NodeKind::grid, 10.0, 10.0, 0.0}, {0, NodeKind::charger}, {1, NodeKind::connector}};
    std::vector<ConnectorView> connectors{{2, 1, 7.0, 0.0, {}, true, PilotState::C, 0}};
    std::vector<SessionView> sessions;
    Forecast forecast;

    OneVehicle(std::vector<double> prices, double remaining_kwh, double soc, bool v2g, BatteryWear wear) {
        forecast.start = Time(0);
        forecast.step = Duration::hours(1);
        forecast.import_price = prices;
        forecast.export_price = prices;
        SessionView s;
        s.id = 1;
        s.connector = 0;
        s.arrival = Time(0);
        s.declared_departure = Time(0) + Duration::hours(static_cast<std::int64_t>(prices.size()));
        s.requested_kwh = s.remaining_kwh = remaining_kwh;
        s.capacity_kwh = 60.0;
        s.soc = soc;
        s.max_charge_kw = s.recharge_kw = 7.0;
        s.max_discharge_kw = s.rated_discharge_kw = v2g ? 7.0 : 0.0;
        s.v2g_allowed = v2g;
        s.min_soc = v2g ? soc - 7.0 / 60.0 : 0.0;
        s.wear = wear;
        sessions.push_back(s);
    }

    Solution solve_with(const ChargingOptions& options, ChargingModel& cm) const {
        Observation obs;
        obs.now = Time(0);
        obs.control_period = Duration::hours(1);
        obs.nodes = nodes;
        obs.connectors = connectors;
        obs.economics.v2g_price_factor = 0.0;  // the operator keeps what V2G sells
        obs.sessions = sessions;
        obs.forecast = &forecast;
        cm = build_charging_model(obs, options);
        return solve(cm.model);
    }
};

TEST(ChargingWear, StoringAboveTheReferenceSocMovesChargingLate) {
    const OneVehicle site({0.10, 0.10}, 7.0, 0.6, false, BatteryWear{0.0, 0.01});
    ChargingModel cm;
    Solution s = site.solve_with({}, cm);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), 0.0, kWearTol);
    EXPECT_NEAR(cm.row_kw(s, 0, 1), 7.0, kWearTol);
    // Stored above 50 % of 60 kWh: 6 kWh in the first hour, 13 in the second.
    EXPECT_NEAR(s.objective, 0.70 + 0.01 * (6.0 + 13.0), kWearTol);
    EXPECT_NEAR(cm.expected_cost(s), s.objective, kWearTol);

    ChargingOptions blind;
    blind.wear_weight = 0.0;
    s = site.solve_with(blind, cm);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), 7.0, kWearTol);  // early, as without wear
}

TEST(ChargingWear, ThroughputWearStopsArbitrageThatDoesNotPayForIt) {
    // The vehicle wants 7 kWh. Plain: 7 kWh at 0.05, 0.35 + 7 w. Arbitrage: 7 sold at 0.30 first,
    // then 14 kWh at 0.05: -1.40 + 21 w. It pays while w < 0.125 per kWh through the battery.
    const std::vector<double> prices{0.30, 0.05, 0.05};
    const OneVehicle cheap(prices, 7.0, 0.5, true, BatteryWear{0.10, 0.0});
    ChargingModel cm;
    Solution s = cheap.solve_with({}, cm);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), -7.0, kWearTol);
    EXPECT_NEAR(s.objective, -1.40 + 21 * 0.10, kWearTol);
    EXPECT_NEAR(cm.expected_cost(s), s.objective, kWearTol);  // the wear counts in what the plan costs

    const OneVehicle dear(prices, 7.0, 0.5, true, BatteryWear{0.15, 0.0});
    s = dear.solve_with({}, cm);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), 0.0, kWearTol);
    EXPECT_NEAR(s.objective, 0.35 + 7 * 0.15, kWearTol);

    ChargingOptions blind;
    blind.wear_weight = 0.0;
    s = dear.solve_with(blind, cm);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), -7.0, kWearTol);

    ChargingOptions half;  // 0.15 x 0.5 = 0.075 per kWh: the arbitrage pays again
    half.wear_weight = 0.5;
    s = dear.solve_with(half, cm);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), -7.0, kWearTol);
    EXPECT_NEAR(s.objective, -1.40 + 21 * 0.075, kWearTol);
}

}  // namespace
}  // namespace evtwin::milp
