// The formulation's extensions on tiny sites worked out by hand: V2G (arbitrage with one vehicle,
// what drivers are paid, recharge rates, efficiencies, the SoC floor) and the grid (metering of
// partial periods, no round trip through the meter, discharge never counted on).
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

// One EV, 40 kWh at SoC 0.5, min SoC 0.25 (10 kWh it may give), wants 5 kWh net by the end of
// hour 2. Hour 1 sells at 0.30, hour 2 buys at 0.10, 10 kW at most: sell x in hour 1, buy x + 5
// <= 10 in hour 2, so x = 5: +1.50 − 1.00, a cost of −0.50 (a profit).
TEST(FormulationV2g, ArbitrageWithOneVehicle) {
    ExtensionSite site({0.30, 0.10}, {0.30, 0.0});
    site.plug(5.0, Duration::hours(2));
    const ChargingModel cm = build_charging_model(site.observe(), {});
    ASSERT_EQ(cm.planned.size(), 1u);
    ASSERT_EQ(cm.planned[0].discharge.size(), 2u);
    EXPECT_EQ(cm.binaries, 0);  // no negative price: charge and discharge never pay together
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), -5.0, kExtensionTol);
    EXPECT_NEAR(cm.row_kw(s, 0, 1), 10.0, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), -0.50, kExtensionTol);
    EXPECT_NEAR(s.value(cm.slack[0]), 0.0, kExtensionTol);
}

// The same when the operator pays the driver for V2G energy: with the site's economics (0.5 x the
// import price, the options' default) selling 5 kWh in hour 1 earns 1.50 and pays the driver
// 0.5 x 0.30 x 5 = 0.75, so the cost is 1.00 − 1.50 + 0.75 = 0.25; at a factor of 1.2 (option) it
// pays 1.80 to earn 1.50, so nothing is sold: 5 kWh in hour 2 for 0.50.
TEST(FormulationV2g, DriversArePaidForWhatTheyGive) {
    ExtensionSite site({0.30, 0.10}, {0.30, 0.0});
    site.plug(5.0, Duration::hours(2));
    Observation obs = site.observe();
    obs.economics.v2g_price_factor = 0.5;
    const ChargingModel paid_half = build_charging_model(obs, {});
    const Solution a = solve(paid_half.model);
    ASSERT_EQ(a.status, SolveStatus::optimal);
    EXPECT_NEAR(paid_half.row_kw(a, 0, 0), -5.0, kExtensionTol);
    EXPECT_NEAR(paid_half.expected_cost(a), 0.25, kExtensionTol);

    ChargingOptions dear;
    dear.v2g_payment_factor = 1.2;
    const ChargingModel paid_more = build_charging_model(obs, dear);
    const Solution b = solve(paid_more.model);
    ASSERT_EQ(b.status, SolveStatus::optimal);
    EXPECT_NEAR(paid_more.row_kw(b, 0, 0), 0.0, kExtensionTol);
    EXPECT_NEAR(paid_more.row_kw(b, 0, 1), 5.0, kExtensionTol);
    EXPECT_NEAR(paid_more.expected_cost(b), 0.50, kExtensionTol);
}

// The vehicle of ArbitrageWithOneVehicle with 2 kWh left of its request: it stops charging there, so its rate
// now is the rest of it (2 kW in the hour). Once it has sold, it takes the charger's 10 kW again: sell 8, buy
// 10, +2.40 − 1.00, a cost of −1.40.
TEST(FormulationV2g, AVehicleAtItsRequestRechargesAtTheChargersRate) {
    ExtensionSite site({0.30, 0.10}, {0.30, 0.0});
    site.plug(2.0, Duration::hours(2)).max_charge_kw = 2.0;
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), -8.0, kExtensionTol);
    EXPECT_NEAR(cm.row_kw(s, 0, 1), 10.0, kExtensionTol);
    EXPECT_NEAR(s.objective, -1.40, kExtensionTol);
}

// The same vehicle, whose charge curve takes at most 6 kW at or below its SoC: it can buy back only 6
// in hour 2, so it sells 4 (−1.20 + 0.60), not the 8 it could not make up for.
TEST(FormulationV2g, AVehicleAtItsRequestRechargesAtItsChargeCurvesRate) {
    ExtensionSite site({0.30, 0.10}, {0.30, 0.0});
    SessionView& vehicle = site.plug(2.0, Duration::hours(2));
    vehicle.max_charge_kw = 2.0;
    vehicle.recharge_kw = 6.0;
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), -4.0, kExtensionTol);
    EXPECT_NEAR(cm.row_kw(s, 0, 1), 6.0, kExtensionTol);
    EXPECT_NEAR(s.objective, -0.60, kExtensionTol);
}

// Export paid 0.20, import 0.10: buying and selling 100 kW at once would "earn" 10 per hour, but the
// meter nets the two. Export is valued at most at the import price, so the plan of a vehicle that
// wants 5 kWh in hour 2 is that and nothing else: 5 kWh at 0.10.
TEST(FormulationGrid, NoRoundTripThroughTheMeter) {
    ExtensionSite site({0.10, 0.10}, {0.20, 0.20});
    site.plug(5.0, Duration::hours(2)).v2g_allowed = false;
    const ChargingModel cm = build_charging_model(site.observe(), {});
    EXPECT_EQ(cm.binaries, 0);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.expected_cost(s), 0.50, kExtensionTol);
    for (int t = 0; t < 2; ++t)
        EXPECT_NEAR(std::min(s.value(cm.grid_import[t]), s.value(cm.grid_export[t])), 0.0, kExtensionTol);
}

// A vehicle that leaves half way through hour 2 wants 3 kWh under a 5 kW grid limit: 5 kW in that
// half hour bring 2.5 kWh at 0.10, the other 0.5 kWh come in hour 1 at 0.30. The balance counts the
// 5 kW to the end of hour 2, as the meter would if the vehicle stayed past its planned departure
// (the engine holds a power until its next decision): 0.15 + 0.50, still less than 0.90 in hour 1.
TEST(FormulationGrid, ChargingInThePeriodAVehicleLeavesInIsBilledToItsEnd) {
    ExtensionSite site({0.30, 0.10}, {0.0, 0.0});
    site.plug(3.0, Duration::minutes(90)).v2g_allowed = false;
    site.nodes[0].import_limit_kw = 5.0;
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), 0.5, kExtensionTol);
    EXPECT_NEAR(cm.row_kw(s, 0, 1), 5.0, kExtensionTol);
    EXPECT_NEAR(s.value(cm.grid_import[1]), 5.0, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), 0.5 * 0.30 + 5.0 * 0.10, kExtensionTol);
    EXPECT_NEAR(s.objective, cm.expected_cost(s), 1e-3);  // only the early preference apart
}

// A vehicle to come (SoC 0.5, 10 kWh above its minimum) arrives half way through hour 1, when
// export pays 0.30, and wants 5 kWh by the end of hour 2, when import costs 0.10. It gives 10 kW in
// that half hour, which the balance counts as an export of 5 kWh (not 10), and takes the 5 back
// with its 5 kWh in hour 2: −1.50 + 1.00.
TEST(FormulationV2g, ADischargeInAPeriodTheVehicleArrivesInIsMeteredForItsPart) {
    ExtensionSite site({0.30, 0.10}, {0.30, 0.0});
    UpcomingSession& gives = site.to_come(5.0, Duration::minutes(30), Duration::minutes(90));
    gives.initial_soc = 0.5;
    gives.min_soc = 0.25;
    gives.max_discharge_kw = 10.0;
    gives.v2g_allowed = true;
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), -10.0, kExtensionTol);
    EXPECT_NEAR(cm.row_kw(s, 0, 1), 10.0, kExtensionTol);
    EXPECT_NEAR(s.value(cm.grid_export[0]) - s.value(cm.grid_import[0]), 5.0, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), -1.50 + 1.00, kExtensionTol);
    EXPECT_NEAR(s.objective, cm.expected_cost(s), 1e-3);
}

// Beside the site's first connector, a second one (20 kW, no V2G) at `node`. The first vehicle (10
// kW, V2G, SoC 0.5) stays two hours and wants nothing; the second wants 15 kWh within the first hour.
// Discharging the first in hour 1 (and recharging it in hour 2) would make room for the second under
// a limit they share, if that discharge came; follow_plan never counts on it, so neither may a plan.
void plug_one_that_gives_one_that_wants(ExtensionSite& site, NodeIndex node) {
    site.connectors.push_back({node, 1, 20.0, 0.0, {}, false, PilotState::A, kNone});
    site.plug(0.0, Duration::hours(2));
    SessionView& wants = site.plug(15.0, Duration::hours(1));
    wants.id = 2;
    wants.connector = 1;
    wants.v2g_allowed = false;
    wants.max_charge_kw = wants.recharge_kw = 20.0;
    site.connectors[1].state = PilotState::B;
    site.connectors[1].session = 1;
}

// Under a 10 kW transformer the second vehicle gets 10 kW, no more, and the first gives nothing.
TEST(FormulationGrid, ChargingNeverCountsOnAnotherVehiclesDischarge) {
    ExtensionSite site({0.10, 0.10}, {0.0, 0.0});
    site.nodes[0].import_limit_kw = 10.0;
    site.nodes.push_back({0, NodeKind::charger});
    site.nodes.push_back({3, NodeKind::connector});
    plug_one_that_gives_one_that_wants(site, 4);
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), 0.0, kExtensionTol);
    EXPECT_NEAR(cm.row_kw(s, 1, 0), 10.0, kExtensionTol);
    EXPECT_NEAR(s.value(cm.slack[1]), 5.0, kExtensionTol);
}

// A plan made half way through hour 1 (at an arrival): its first period is that half hour, at hour
// 1's price, and the next is hour 2, as the engine's control periods are. A vehicle that wants 5 kWh
// by the end of hour 2 takes them at 10 kW in the half hour at 0.10.
TEST(FormulationGrid, APlanWithinAPeriodKeepsTheRunsControlPeriods) {
    ExtensionSite site({0.10, 0.30}, {0.0, 0.0});
    site.plug(5.0, Duration::hours(2)).v2g_allowed = false;
    Observation obs = site.observe();
    obs.now = Time(0) + Duration::minutes(30);
    const ChargingModel cm = build_charging_model(obs, {});
    ASSERT_EQ(cm.periods, 2);
    EXPECT_NEAR(cm.hours[0], 0.5, 1e-12);
    EXPECT_EQ(cm.bounds[1], Time(0) + Duration::hours(1));
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), 10.0, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), 0.50, kExtensionTol);
}

// In decision-period mode a departure takes effect at the next period boundary: the vehicle that says
// it leaves half way through hour 2 is planned, and metered, for the whole of it.
TEST(FormulationGrid, InDecisionPeriodModeAStayEndsAtAPeriodBoundary) {
    ExtensionSite site({0.30, 0.10}, {0.0, 0.0});
    site.plug(3.0, Duration::minutes(90)).v2g_allowed = false;
    site.nodes[0].import_limit_kw = 5.0;
    Observation obs = site.observe();
    obs.mode = RunMode::decision_period;
    const ChargingModel cm = build_charging_model(obs, {});
    ASSERT_EQ(cm.planned[0].hours.size(), 2u);
    EXPECT_NEAR(cm.planned[0].hours[1], 1.0, 1e-12);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 1), 3.0, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), 0.30, kExtensionTol);
}

// The same with efficiency 0.8 both ways (charger): selling 1 kWh at the grid takes 1.25 at the
// inlet, buying 1 kWh gives 0.8. Sell d, buy p = 10 in hour 2: 0.8·10 − 1.25·d >= 5, d = 2.4:
// +0.72 − 1.00 = 0.28. Not selling at all: 5 / 0.8 = 6.25 kWh × 0.10 = 0.625. Selling pays.
TEST(FormulationV2g, EfficiencyBothWays) {
    ExtensionSite site({0.30, 0.10}, {0.30, 0.0});
    site.plug(5.0, Duration::hours(2)).charge_efficiency = 0.8;
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), -2.4, kExtensionTol);
    EXPECT_NEAR(cm.row_kw(s, 0, 1), 10.0, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), 0.28, kExtensionTol);
}

// The min-SoC floor: at SoC 0.3 the vehicle may give only 2 kWh at the inlet.
TEST(FormulationV2g, MinSocFloorsTheDischarge) {
    ExtensionSite site({0.30, 0.10}, {0.30, 0.0});
    site.plug(5.0, Duration::hours(2), 0.3);
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), -2.0, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), -0.60 + 0.70, kExtensionTol);
}

// Negative import price: charging and discharging at once would burn energy for money; the
// binaries forbid it (auto) and the relaxation does not.
TEST(FormulationV2g, NoSimultaneousChargeAndDischargeAtANegativePrice) {
    ExtensionSite site({-0.10}, {0.0});
    site.plug(0.0, Duration::hours(1));
    const ChargingModel cm = build_charging_model(site.observe(), {});
    EXPECT_EQ(cm.binaries, 1);
    const Solution mip = solve(cm.model);
    ASSERT_EQ(mip.status, SolveStatus::optimal);
    EXPECT_NEAR(mip.value(cm.planned[0].charge[0]) * mip.value(cm.planned[0].discharge[0]), 0.0,
                kExtensionTol);
    ChargingOptions never;
    never.exclusive = Exclusivity::never;
    EXPECT_EQ(build_charging_model(site.observe(), never).binaries, 0);
}

// ESS 20 kWh at SoC 0.5, 10..90 %, 10 kW, 100 % efficient, no vehicles, a base load of 10 kW;
// prices 0.10, 0.40, 0.40 and the run ends after them (the ESS may end empty). Hour 1: load 10 +
// charge 8 (10 -> 18 kWh); hours 2-3: the 16 kWh above the floor feed the load. Cost
// 0.1·18 + 0.4·(20 − 16) = 3.40.

}  // namespace
}  // namespace evtwin::milp
