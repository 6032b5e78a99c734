// Tie-break policies decide among the plans that cost what the cheapest does, and cost nothing.
// Worked out by hand on one site: one-hour periods, a grid connection of 100 kW, one vehicle
// plugged in now on an 11 kW charger that loses nothing, wanting 8 kWh before it leaves at hour 4.
#include "plugins/milp/planning.hpp"

#include "one_vehicle_site.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace evtwin::milp {
namespace {

constexpr double kTieTol = 1e-5;

struct TieSite : OneVehicleSite {
    // Four hours at these prices, with this PV (kW) at the grid connection.
    TieSite(double import_price, double export_price, std::vector<double> pv_kw)
        : OneVehicleSite(11.0, Duration::hours(1), std::vector<double>(4, import_price), 8.0) {
        forecast.export_price.assign(4, export_price);
        forecast.base_load_kw.assign(4, 0.0);
        forecast.pv_kw = std::move(pv_kw);
        nodes[0].fixed_flow_kw = -forecast.pv_kw[0];
    }
};

struct PlanSeen {
    std::vector<double> charge_kw, import_kw, export_kw;
    double cost = 0.0;
};

PlanSeen plan_with(const TieSite& site, TieBreak policy) {
    ChargingOptions options;
    options.tie_break = policy;
    Solver solver;
    Decision out;
    const Plan plan = make_plan(site.observe(), options, solver, out);
    PlanSeen seen;
    EXPECT_TRUE(plan.solution.has_values());
    if (!plan.solution.has_values()) return seen;
    for (int t = 0; t < plan.model.periods; ++t) {
        seen.charge_kw.push_back(plan.model.row_kw(plan.solution, 0, t));
        seen.import_kw.push_back(plan.solution.value(plan.model.grid_import[t]));
        seen.export_kw.push_back(plan.solution.value(plan.model.grid_export[t]));
    }
    seen.cost = plan.model.expected_cost(plan.solution);
    return seen;
}

void expect_hourly(const std::vector<double>& got, const std::vector<double>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t t = 0; t < want.size(); ++t) EXPECT_NEAR(got[t], want[t], kTieTol) << "hour " << t;
}

// Flat prices, no PV: 8 kWh cost 0.80 in any hours. The preferences charge at once (8 kW in hour 0);
// levelled imports take 2 kW in each of the four hours, whose peak (2 kW) no other plan lowers.
TEST(TieBreak, LevelImportSpreadsFlatPricedChargingEvenly) {
    const TieSite site(0.10, 0.0, {0, 0, 0, 0});
    const PlanSeen first = plan_with(site, TieBreak::preferences);
    expect_hourly(first.charge_kw, {8, 0, 0, 0});
    const PlanSeen level = plan_with(site, TieBreak::level_import);
    expect_hourly(level.charge_kw, {2, 2, 2, 2});
    expect_hourly(level.import_kw, {2, 2, 2, 2});
    EXPECT_NEAR(level.cost, 0.80, kTieTol);
    EXPECT_NEAR(first.cost, level.cost, kTieTol);
}

// 10 kW of PV every hour, exports paid 0.05 whenever: charging from PV forgoes 0.05 a kWh in any
// hour. The preferences charge 8 kW in hour 0 (exports 2, 10, 10, 10: a 10 kW peak); levelled
// exports charge 2 kW an hour, exporting 8 kW in each (32 kWh of 40, as before).
TEST(TieBreak, LevelExportSpreadsChargingFromPvEvenly) {
    const TieSite site(0.30, 0.05, {10, 10, 10, 10});
    const PlanSeen first = plan_with(site, TieBreak::preferences);
    expect_hourly(first.export_kw, {2, 10, 10, 10});
    const PlanSeen level = plan_with(site, TieBreak::level_export);
    expect_hourly(level.charge_kw, {2, 2, 2, 2});
    expect_hourly(level.export_kw, {8, 8, 8, 8});
    EXPECT_NEAR(level.cost, -32 * 0.05, kTieTol);
    EXPECT_NEAR(first.cost, level.cost, kTieTol);
}

// Net metering (exports paid what imports cost, 0.10) and 10 kW of PV in hour 2 only: charging from
// the grid in hour 0 and exporting all of hour 2's PV costs 0.80 − 1.00 = −0.20, as charging from
// PV in hour 2 and exporting the 2 kWh left does. The preferences charge at once; charging before
// exporting waits for the PV.
TEST(TieBreak, ChargeBeforeExportUsesPvRatherThanExportIt) {
    const TieSite site(0.10, 0.10, {0, 0, 10, 0});
    const PlanSeen first = plan_with(site, TieBreak::preferences);
    expect_hourly(first.charge_kw, {8, 0, 0, 0});
    expect_hourly(first.export_kw, {0, 0, 10, 0});
    const PlanSeen pv_first = plan_with(site, TieBreak::charge_before_export);
    expect_hourly(pv_first.charge_kw, {0, 0, 8, 0});
    expect_hourly(pv_first.import_kw, {0, 0, 0, 0});
    expect_hourly(pv_first.export_kw, {0, 0, 2, 0});
    EXPECT_NEAR(pv_first.cost, -0.20, kTieTol);
    EXPECT_NEAR(first.cost, pv_first.cost, kTieTol);
}

// A policy never buys its measure with money: where the prices decide, the cheapest plan stands.
// Hour 3 is cheaper than the others, so all 8 kWh go there, whatever the policy says of peaks.
TEST(TieBreak, APolicyNeverCostsMoney) {
    TieSite site(0.10, 0.0, {0, 0, 0, 0});
    site.forecast.import_price[3] = 0.05;
    for (const TieBreak policy :
         {TieBreak::level_import, TieBreak::level_export, TieBreak::charge_before_export}) {
        const PlanSeen seen = plan_with(site, policy);
        expect_hourly(seen.charge_kw, {0, 0, 0, 8});
        EXPECT_NEAR(seen.cost, 0.40, kTieTol);
    }
}

}  // namespace
}  // namespace evtwin::milp
