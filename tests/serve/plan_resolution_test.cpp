// Plans resolve powers down to 1 W and energies down to 1 Wh: a site of a few watts (an e-bike
// charger behind a small connection) is planned as exactly as a depot.
#include "plan_case.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

// One vehicle of 50 Wh wanting 10 Wh over two one-hour steps priced 0.10 then 0.30, on an 8 W
// charger that loses nothing, behind a 12 W grid connection.
nlohmann::json watt_site_request() {
    return nlohmann::json::parse(R"({
      "site": {"grid": {"import_kw": 0.012},
               "chargers": [{"id": "CP1", "max_kw": 0.008, "efficiency": 1.0}],
               "tariff": {"prices": [0.10, 0.30]}},
      "start": "2026-11-24T00:00:00Z", "horizon_h": 2, "step_min": 60,
      "strategy": "mpc", "baseline": "edf",
      "vehicles": [{"id": "EV", "charger": "CP1", "arrival": "2026-11-24T00:00:00Z",
                    "departure": "2026-11-24T02:00:00Z", "capacity_kwh": 0.05, "energy_kwh": 0.010,
                    "max_kw": 0.008}]
    })");
}

// mpc puts 8 Wh into the cheap hour and the other 2 Wh into the dear one: energy cost
// 0.008 × 0.10 + 0.002 × 0.30 = 0.0014; edf takes all it can at once, the same here.
TEST(PlanResolution, AFewWattsArePlannedToTheWattHour) {
    const nlohmann::json response = test::planned(watt_site_request(), "plan_watts");
    const auto& plan = response["plan"];
    EXPECT_NEAR(plan["site_profile"]["ev_kw"][0].get<double>(), 0.008, 1e-6);
    EXPECT_NEAR(plan["site_profile"]["ev_kw"][1].get<double>(), 0.002, 1e-6);
    EXPECT_NEAR(plan["kpis"]["energy_kwh"].get<double>(), 0.010, 1e-6);
    EXPECT_NEAR(plan["kpis"]["energy_cost"].get<double>(), 0.0014, 1e-7);
    EXPECT_NEAR(plan["kpis"]["peak_kw"].get<double>(), 0.008, 1e-6);
    const auto& vehicle = plan["vehicles"][0];
    EXPECT_TRUE(vehicle["met"].get<bool>());
    EXPECT_NEAR(vehicle["delivered_kwh"].get<double>(), 0.010, 1e-6);
    const auto& periods = vehicle["charging_schedule"]["chargingSchedulePeriod"];
    ASSERT_GE(periods.size(), 2u);
    EXPECT_DOUBLE_EQ(periods[0]["limit"].get<double>(), 8.0);
    EXPECT_DOUBLE_EQ(periods[1]["limit"].get<double>(), 2.0);
    EXPECT_EQ(plan["kpis"]["violations"].get<double>(), 0.0);
}

// Below a watt (or a watt-hour) is a 422 naming the field.
TEST(PlanResolution, LessThanAWattIsRefusedNamingTheField) {
    nlohmann::json request = watt_site_request();
    request["site"]["chargers"][0]["max_kw"] = 0.0005;
    const ApiError charger = test::refusal(request, "plan_sub_watt");
    EXPECT_EQ(charger.status, 422);
    EXPECT_EQ(charger.path, "/site/chargers/0/max_kw");
    request = watt_site_request();
    request["vehicles"][0]["capacity_kwh"] = 0.0005;
    const ApiError battery = test::refusal(request, "plan_sub_watt_hour");
    EXPECT_EQ(battery.status, 422);
    EXPECT_EQ(battery.path, "/vehicles/0/capacity_kwh");
}

}  // namespace
}  // namespace evtwin::serve
