// A plan's battery without grid charge (site.ess[].grid_charge false), worked out by hand: three
// one-hour steps at 0.10, 0.30 and 0.30 per kWh, exports paid nothing; PV 6 kW in the first hour and
// a 4 kW load in the two others; one vehicle here in the dear hours wanting 1 kWh. The battery is
// empty (10 kWh, bounds 0 and 1, no losses unless a test says), charges at 10 kW and gives 5 kW.
//   With grid charge: it stores the 6 kWh of PV and 3 kWh from the grid at 0.10 (0.30) and gives the
//   9 kWh the dear hours draw: energy 0.30.
//   Without: it stores the PV alone and 3 kWh are bought at 0.30: 0.90.
//   edf leaves it idle: 9 kWh at 0.30, 2.70 (the PV exported for nothing).
#include "plan_case.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace evtwin::serve {
namespace {

nlohmann::json surplus_request(bool grid_charge) {
    nlohmann::json r = nlohmann::json::parse(R"({
      "site": {"grid": {"import_kw": 100, "export_kw": 100},
               "chargers": [{"id": "CP1", "max_kw": 11, "efficiency": 1.0}],
               "ess": [{"name": "store", "capacity_kwh": 10, "max_charge_kw": 10, "max_discharge_kw": 5,
                        "soc": 0, "soc_min": 0, "soc_max": 1, "efficiency": 1.0}],
               "pv": {"forecast_kw": [6, 0, 0]},
               "base_load": {"forecast_kw": [0, 4, 4]},
               "tariff": {"prices": [0.10, 0.30, 0.30], "export_prices": [0, 0, 0]}},
      "start": "2026-11-24T00:00:00Z", "horizon_h": 3, "step_min": 60, "strategy": "mpc", "baseline": "edf",
      "vehicles": [{"id": "EV", "charger": "CP1", "arrival": "2026-11-24T01:00:00Z",
                    "departure": "2026-11-24T03:00:00Z", "energy_kwh": 1}]
    })");
    r["site"]["ess"][0]["grid_charge"] = grid_charge;
    return r;
}

std::vector<double> battery_kw(const nlohmann::json& response) {
    return response["plan"]["ess"][0]["power_kw"].get<std::vector<double>>();
}

TEST(PlanEssPermissions, WithGridChargeTheBatteryAlsoBuysInTheCheapHour) {
    const nlohmann::json response = test::planned(surplus_request(true), "plan_grid_charge");
    const std::vector<double> kw = battery_kw(response);
    ASSERT_EQ(kw.size(), 3u);
    EXPECT_NEAR(kw[0], 9.0, 1e-3);
    EXPECT_NEAR(kw[1] + kw[2], -9.0, 1e-3);
    EXPECT_NEAR(response["plan"]["kpis"]["energy_cost"].get<double>(), 0.30, 1e-3);
    EXPECT_NEAR(response["baseline"]["kpis"]["energy_cost"].get<double>(), 2.70, 1e-3);
}

TEST(PlanEssPermissions, WithoutGridChargeTheBatteryStoresOnlyThePv) {
    const nlohmann::json response = test::planned(surplus_request(false), "plan_no_grid_charge");
    const std::vector<double> kw = battery_kw(response);
    ASSERT_EQ(kw.size(), 3u);
    EXPECT_NEAR(kw[0], 6.0, 1e-3);
    EXPECT_NEAR(kw[1] + kw[2], -6.0, 1e-3);
    EXPECT_NEAR(response["plan"]["kpis"]["energy_cost"].get<double>(), 0.90, 1e-3);
    // The first hour imports nothing while the battery charges.
    EXPECT_NEAR(response["plan"]["site_profile"]["import_kw"][0].get<double>(), 0.0, 1e-3);
}

// Each direction its own efficiency: charging at 0.5, giving at 1. With grid charge, each kWh bought
// at 0.10 stores half a kWh that saves 0.15 later, so it charges at its rating, 10 kW (the 6 kW of PV
// and 4 from the grid, 0.40), stores 5 kWh and gives them in the dear hours; the other 4 kWh they
// draw are bought at 0.30: 1.60. It ends empty.
TEST(PlanEssPermissions, EachDirectionHasItsOwnEfficiency) {
    nlohmann::json r = surplus_request(true);
    r["site"]["ess"][0]["charge_efficiency"] = 0.5;
    const nlohmann::json response = test::planned(r, "plan_ess_efficiencies");
    const std::vector<double> kw = battery_kw(response);
    ASSERT_EQ(kw.size(), 3u);
    EXPECT_NEAR(kw[0], 10.0, 1e-3);
    EXPECT_NEAR(kw[1] + kw[2], -5.0, 1e-3);
    EXPECT_NEAR(response["plan"]["kpis"]["energy_cost"].get<double>(), 1.60, 1e-3);
    EXPECT_NEAR(response["plan"]["ess"][0]["end_soc"].get<double>(), 0.0, 1e-4);
}

TEST(PlanEssPermissions, APermissionOrPriorityOfTheWrongKindIsRefusedNamingIt) {
    nlohmann::json r = surplus_request(false);
    r["site"]["ess"][0]["grid_charge"] = "no";
    EXPECT_EQ(test::refusal(r, "plan_grid_charge_text").path, "/site/ess/0/grid_charge");
    r["site"]["ess"][0]["grid_charge"] = false;
    r["site"]["ess"][0]["priority"] = 1.5;
    const ApiError e = test::refusal(r, "plan_priority_fraction");
    EXPECT_EQ(e.status, 422);
    EXPECT_EQ(e.path, "/site/ess/0/priority") << e.what();
    r["site"]["ess"][0]["priority"] = -1;
    EXPECT_EQ(test::refusal(r, "plan_priority_negative").path, "/site/ess/0/priority");
}

}  // namespace
}  // namespace evtwin::serve
