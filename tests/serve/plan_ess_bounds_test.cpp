// A plan's ESS that starts outside its SoC bounds is planned back within them first, not refused.
#include "plan_case.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

// An ESS of 10 kWh at 5 % (its floor 20 %: 1.5 kWh below), 2 kW each way, lossless, two one-hour
// steps at 0.30 then 0.10, and one vehicle wanting 4 kWh in the cheap hour's reach.
nlohmann::json low_ess_request() {
    return nlohmann::json::parse(R"({
      "site": {"grid": {"import_kw": 50},
               "chargers": [{"id": "CP1", "max_kw": 11, "efficiency": 1.0}],
               "ess": {"capacity_kwh": 10, "max_charge_kw": 2, "max_discharge_kw": 2, "soc": 0.05,
                       "soc_min": 0.2, "soc_max": 0.8, "efficiency": 1.0},
               "tariff": {"prices": [0.30, 0.10]}},
      "start": "2026-11-24T00:00:00Z", "horizon_h": 2, "step_min": 60,
      "strategy": "mpc", "baseline": "edf",
      "vehicles": [{"id": "EV", "charger": "CP1", "arrival": "2026-11-24T00:00:00Z",
                    "departure": "2026-11-24T02:00:00Z", "energy_kwh": 4, "max_kw": 11}]
    })");
}

// mpc charges the ESS back to its floor in the dear hour (1.5 kWh), the vehicle's 4 kWh in the cheap
// one, and never discharges the ESS below its floor.
TEST(PlanEssBounds, AnEssBelowItsFloorIsChargedBackFirst) {
    const nlohmann::json request = low_ess_request();
    const nlohmann::json response = test::planned(request, "plan_ess_bounds");
    const auto& profile = response["plan"]["site_profile"];
    EXPECT_NEAR(profile["ess_kw"][0].get<double>(), 1.5, 1e-3);
    EXPECT_NEAR(profile["ess_kw"][1].get<double>(), 0.0, 1e-3);
    EXPECT_NEAR(profile["ev_kw"][1].get<double>(), 4.0, 1e-3);
    EXPECT_TRUE(response["plan"]["vehicles"][0]["met"].get<bool>());
}

}  // namespace
}  // namespace evtwin::serve
