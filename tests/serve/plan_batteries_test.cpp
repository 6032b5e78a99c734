// A plan's site with two stationary batteries (site.ess an array), worked out by hand: three one-hour
// steps at 0.10, 0.30 and 0.30 per kWh, exports paid nothing; the site's own load 2 kW in the two dear
// hours; one vehicle wanting 1 kWh (bought in the cheap hour). The batteries lose nothing, bounds 0
// and 1, both at SoC 0.5 of 10 kWh:
//   "container" charges at 5 kW and cannot discharge; each kWh it stores at the end is worth 0.20;
//   "wall" charges and discharges at 2 kW and should end at SoC 0.3 at least.
// The least cost: the container fills in the cheap hour (5 kWh, 0.50, worth 1.00 at the end); the
// wall buys 2 kWh then (0.20) and gives the load its 4 kWh in the dear hours, ending at 3 kWh (0.3).
// Energy 8 kWh × 0.10 = 0.80, less the 1.00 stored: −0.20. edf leaves both idle: 0.10 + 4 × 0.30 = 1.30.
#include "plan_case.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace evtwin::serve {
namespace {

nlohmann::json two_battery_request() {
    return nlohmann::json::parse(R"({
      "site": {"grid": {"import_kw": 100, "export_kw": 100},
               "chargers": [{"id": "CP1", "max_kw": 11, "efficiency": 1.0}],
               "ess": [{"name": "container", "capacity_kwh": 10, "max_charge_kw": 5, "max_discharge_kw": 0,
                        "soc": 0.5, "soc_min": 0, "soc_max": 1, "efficiency": 1.0, "end_value_per_kwh": 0.20},
                       {"name": "wall", "capacity_kwh": 10, "max_charge_kw": 2, "max_discharge_kw": 2,
                        "soc": 0.5, "soc_min": 0, "soc_max": 1, "efficiency": 1.0, "end_soc": 0.3}],
               "base_load": {"forecast_kw": [0, 2, 2]},
               "tariff": {"prices": [0.10, 0.30, 0.30], "export_prices": [0, 0, 0]}},
      "start": "2026-11-24T00:00:00Z", "horizon_h": 3, "step_min": 60, "strategy": "mpc", "baseline": "edf",
      "vehicles": [{"id": "EV", "charger": "CP1", "arrival": "2026-11-24T00:00:00Z",
                    "departure": "2026-11-24T03:00:00Z", "energy_kwh": 1}]
    })");
}

std::vector<double> powers(const nlohmann::json& battery) {
    return battery["power_kw"].get<std::vector<double>>();
}

TEST(PlanBatteries, EachBatteryIsPlannedToItsOwnRatingsAndWishes) {
    const nlohmann::json response = test::planned(two_battery_request(), "plan_two_batteries");
    const auto& plan = response["plan"];
    ASSERT_EQ(plan["ess"].size(), 2u);
    const auto& container = plan["ess"][0];
    const auto& wall = plan["ess"][1];
    EXPECT_EQ(container["name"], "container");
    EXPECT_EQ(wall["name"], "wall");
    const std::vector<double> container_kw = powers(container), wall_kw = powers(wall);
    const std::vector<double> container_want = {5, 0, 0}, wall_want = {2, -2, -2};
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_NEAR(container_kw[k], container_want[k], 1e-3) << "hour " << k;
        EXPECT_NEAR(wall_kw[k], wall_want[k], 1e-3) << "hour " << k;
    }
    EXPECT_NEAR(container["end_soc"].get<double>(), 1.0, 1e-4);
    EXPECT_NEAR(container["end_value"].get<double>(), 1.00, 1e-3);
    EXPECT_NEAR(wall["end_soc"].get<double>(), 0.3, 1e-4);
    EXPECT_NEAR(wall["end_value"].get<double>(), 0.0, 1e-9);
    // The batteries together: (10 + 3) / 20 stored, and the site's ESS power their sum.
    EXPECT_NEAR(plan["kpis"]["ess_end_soc"].get<double>(), 0.65, 1e-4);
    EXPECT_NEAR(plan["kpis"]["ess_end_value"].get<double>(), 1.00, 1e-3);
    EXPECT_NEAR(plan["site_profile"]["ess_kw"][0].get<double>(), 7.0, 1e-3);
    EXPECT_NEAR(plan["kpis"]["energy_cost"].get<double>(), 0.80, 1e-3);
    EXPECT_NEAR(plan["kpis"]["cost"].get<double>(), -0.20, 1e-3);
    ASSERT_EQ(plan["misses"]["ess"].size(), 1u);  // the wall alone wants a SoC
    EXPECT_EQ(plan["misses"]["ess"][0]["name"], "wall");
    EXPECT_NEAR(plan["misses"]["ess"][0]["short_kwh"].get<double>(), 0.0, 1e-3);
    EXPECT_NEAR(response["baseline"]["kpis"]["cost"].get<double>(), 1.30, 1e-3);
    EXPECT_EQ(response["recommendation"]["use"], "plan");
}

TEST(PlanBatteries, OneBatteryMayBeAnObjectNamedEss) {
    nlohmann::json r = two_battery_request();
    r["site"]["ess"] = r["site"]["ess"][1];
    r["site"]["ess"].erase("name");
    const nlohmann::json response = test::planned(r, "plan_one_battery_object");
    ASSERT_EQ(response["plan"]["ess"].size(), 1u);
    EXPECT_EQ(response["plan"]["ess"][0]["name"], "ess");
}

TEST(PlanBatteries, TwoBatteriesOfOneNameAreRefusedNamingTheSecond) {
    nlohmann::json r = two_battery_request();
    r["site"]["ess"][1]["name"] = "container";
    const ApiError e = test::refusal(r, "plan_batteries_same_name");
    EXPECT_EQ(e.status, 422);
    EXPECT_EQ(e.path, "/site/ess/1/name") << e.what();
    r["site"]["ess"][1].erase("name");
    r["site"]["ess"][1]["capacity_kwh"] = -1;
    EXPECT_EQ(test::refusal(r, "plan_batteries_bad_capacity").path, "/site/ess/1/capacity_kwh");
}

}  // namespace
}  // namespace evtwin::serve
