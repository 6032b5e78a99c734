// The formulation's extensions on tiny sites worked out by hand: V2G arbitrage with one vehicle,
// ESS arbitrage, a vehicle to come reserving capacity, the demand interval in progress, a finite
// setpoint set, and MILP and LP relaxation agreeing where no binary is active.
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"
#include "plugins/milp/planning.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace evtwin::milp {
namespace {

constexpr double kExtensionTol = 1e-4;

// Grid (limit 100 kW both ways) -> one charger -> one connector (10 kW, V2G capable); one-hour
// periods with the given import and export prices.
struct Site {
    std::vector<NodeView> nodes{
        {kNone, NodeKind::grid, 100.0, 100.0, 0.0}, {0, NodeKind::charger}, {1, NodeKind::connector}};
    std::vector<ConnectorView> connectors{{2, 1, 10.0, 0.0, {}, true, PilotState::A, kNone}};
    std::vector<SessionView> sessions;
    std::vector<UpcomingSession> upcoming;
    Forecast forecast;
    EssView ess;

    Site(std::vector<double> import, std::vector<double> exp) {
        forecast.start = Time(0);
        forecast.step = Duration::hours(1);
        forecast.import_price = std::move(import);
        forecast.export_price = std::move(exp);
    }

    SessionView& plug(double remaining_kwh, Duration stay, double soc = 0.5) {
        SessionView s;
        s.id = 1;
        s.connector = 0;
        s.declared_departure = Time(0) + stay;
        s.requested_kwh = s.remaining_kwh = remaining_kwh;
        s.capacity_kwh = 40.0;
        s.soc = soc;
        s.min_soc = 0.25;
        s.max_charge_kw = s.recharge_kw = 10.0;
        s.max_discharge_kw = s.rated_discharge_kw = 10.0;
        s.v2g_allowed = true;
        connectors[0].state = PilotState::B;
        connectors[0].session = 0;
        sessions.push_back(s);
        return sessions.back();
    }

    // A vehicle to come (40 kWh at SoC 0.2, 10 kW AC) arriving after `arrives` and declaring `stay`.
    UpcomingSession& to_come(double requested_kwh, Duration arrives, Duration stay) {
        UpcomingSession u;
        u.id = 2;
        u.arrival = Time(0) + arrives;
        u.declared_departure = u.arrival + stay;
        u.requested_kwh = requested_kwh;
        u.capacity_kwh = 40.0;
        u.initial_soc = 0.2;
        u.max_ac_kw = 10.0;
        upcoming.push_back(u);
        return upcoming.back();
    }

    Observation observe() const {
        Observation obs;
        obs.now = Time(0);
        obs.control_period = Duration::hours(1);
        obs.nodes = nodes;
        obs.connectors = connectors;
        obs.sessions = sessions;
        obs.forecast = &forecast;
        obs.ess = ess;
        obs.upcoming = upcoming;
        obs.economics.v2g_price_factor =
            0.0;  // the operator keeps what V2G sells, unless a test pays drivers
        obs.run_end = Time(0) + Duration::hours(static_cast<std::int64_t>(forecast.import_price.size()));
        return obs;
    }
};

// One EV, 40 kWh at SoC 0.5, min SoC 0.25 (10 kWh it may give), wants 5 kWh net by the end of
// hour 2. Hour 1 sells at 0.30, hour 2 buys at 0.10, 10 kW at most: sell x in hour 1, buy x + 5
// <= 10 in hour 2, so x = 5: +1.50 − 1.00, a cost of −0.50 (a profit).
TEST(FormulationV2g, ArbitrageWithOneVehicle) {
    Site site({0.30, 0.10}, {0.30, 0.0});
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
    Site site({0.30, 0.10}, {0.30, 0.0});
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
    Site site({0.30, 0.10}, {0.30, 0.0});
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
    Site site({0.30, 0.10}, {0.30, 0.0});
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
    Site site({0.10, 0.10}, {0.20, 0.20});
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
    Site site({0.30, 0.10}, {0.0, 0.0});
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
    Site site({0.30, 0.10}, {0.30, 0.0});
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
void plug_one_that_gives_one_that_wants(Site& site, NodeIndex node) {
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
    Site site({0.10, 0.10}, {0.0, 0.0});
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
    Site site({0.10, 0.30}, {0.0, 0.0});
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
    Site site({0.30, 0.10}, {0.0, 0.0});
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
    Site site({0.30, 0.10}, {0.30, 0.0});
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
    Site site({0.30, 0.10}, {0.30, 0.0});
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
    Site site({-0.10}, {0.0});
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
TEST(FormulationEss, ArbitrageAgainstABaseLoad) {
    Site site({0.10, 0.40, 0.40}, {0.0, 0.0, 0.0});
    site.nodes[0].fixed_flow_kw = 10.0;
    site.forecast.base_load_kw = {10.0, 10.0, 10.0};
    site.ess = EssView{true, 0, 20.0, 0.5, 0.1, 0.9, 10.0, 10.0, 10.0, 10.0, 1.0, 1.0};
    const ChargingModel cm = build_charging_model(site.observe(), {});
    ASSERT_EQ(cm.ess_charge.size(), 3u);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.ess_kw(s, 0), 8.0, kExtensionTol);
    EXPECT_NEAR(cm.ess_kw(s, 1) + cm.ess_kw(s, 2), -16.0, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), 3.40, kExtensionTol);
}

// The same with the site's ESS wear at 0.20 per kWh through it, in or out, as the KPIs count it: a kWh
// bought at 0.10 and given at 0.40 costs 0.30 + 0.40 of wear, so the ESS only gives the 8 kWh it holds
// above its floor: 0.1·10 + 0.4·(20 − 8) + 0.2·8 = 7.40. An option of 0 leaves the first plan.
TEST(FormulationEss, TheSitesWearPerKwhThroughTheBattery) {
    Site site({0.10, 0.40, 0.40}, {0.0, 0.0, 0.0});
    site.nodes[0].fixed_flow_kw = 10.0;
    site.forecast.base_load_kw = {10.0, 10.0, 10.0};
    site.ess = EssView{true, 0, 20.0, 0.5, 0.1, 0.9, 10.0, 10.0, 10.0, 10.0, 1.0, 1.0};
    Observation obs = site.observe();
    obs.economics.ess_degradation_per_kwh = 0.20;
    const ChargingModel priced = build_charging_model(obs, {});
    const Solution s = solve(priced.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(priced.ess_kw(s, 0), 0.0, kExtensionTol);
    EXPECT_NEAR(priced.ess_kw(s, 1) + priced.ess_kw(s, 2), -8.0, kExtensionTol);
    EXPECT_NEAR(priced.expected_cost(s), 7.40, kExtensionTol);

    ChargingOptions free;
    free.ess_degradation_per_kwh = 0.0;
    const ChargingModel unpriced = build_charging_model(obs, free);
    const Solution u = solve(unpriced.model);
    ASSERT_EQ(u.status, SolveStatus::optimal);
    EXPECT_NEAR(unpriced.ess_kw(u, 0), 8.0, kExtensionTol);
    EXPECT_NEAR(unpriced.expected_cost(u), 3.40, kExtensionTol);
}

// Round-trip efficiency 0.8·0.8: a kWh bought at 0.10 returns 0.64 kWh worth 0.4 × 0.64 = 0.256.
// Keeping energy at the horizon's end (the run goes on) forbids draining below the start.
TEST(FormulationEss, KeepsItsEnergyWhenTheRunGoesOn) {
    Site site({0.10, 0.40}, {0.0, 0.0});
    site.nodes[0].fixed_flow_kw = 10.0;
    site.forecast.base_load_kw = {10.0, 10.0};
    site.ess = EssView{true, 0, 20.0, 0.5, 0.1, 0.9, 10.0, 10.0, 10.0, 10.0, 0.8, 0.8};
    Observation obs = site.observe();
    obs.run_end = Time(0) + Duration::hours(100);
    const ChargingModel cm = build_charging_model(obs, {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    // Charge c in hour 1 (0.8·c stored), give d in hour 2 (d/0.8 taken): 0.8c >= d/0.8.
    // Each kWh given saves 0.40 and costs 0.10/0.64: give as much as the power allows: d = 8?
    // c <= 10: d <= 6.4, cost 0.1·(10 + 10) + 0.4·(10 − 6.4) = 3.44.
    EXPECT_NEAR(cm.ess_kw(s, 0), 10.0, kExtensionTol);
    EXPECT_NEAR(cm.ess_kw(s, 1), -6.4, kExtensionTol);
    EXPECT_NEAR(cm.expected_cost(s), 3.44, kExtensionTol);
}

// A vehicle to come reserves capacity: the site carries 10 kW, the vehicle plugged in now wants
// 10 kWh by hour 2, one arriving at hour 1 wants 10 kWh by hour 2, and hour 1 is dearer. Without
// foresight the present one waits for the cheap hour; with it, it charges now.
TEST(FormulationUpcoming, ReservesCapacityForAVehicleToCome) {
    Site site({0.30, 0.10}, {0.0, 0.0});
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
    Site site({0.10, 0.10}, {0.0, 0.0});
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
    Site site({0.30, 0.10}, {0.0, 0.0});
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
Observation five_kwh_by_hourly_intervals(Site& site, Time interval_start, double interval_kwh) {
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
    Site site({0.0, 0.0}, {0.0, 0.0});
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
    Site site({0.0, 0.0}, {0.0, 0.0});
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
    Site site({0.10, 0.20}, {0.0, 0.0});
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
    Site site({0.10, 0.20}, {0.0, 0.0});
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
    Site site({0.30, 0.10, 0.20}, {0.25, 0.05, 0.15});
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
    Site site({0.10, 0.20}, {0.0, 0.0});
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
            Site site({0.10, 0.10}, {0.0, 0.0});
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
    Site site({0.30, 0.10}, {0.0, 0.0});
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
    Site site({0.10, 0.30}, {0.0, 0.0});
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
