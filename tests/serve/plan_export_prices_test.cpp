// An export price per step reaches the engine's tariff: export revenue is priced step by step, and
// mpc sells its PV in the step that pays most.
#include "plan_case.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

// 6 kW of PV in each of two one-hour steps and one vehicle wanting 4 kWh over both, on a charger that
// loses nothing; importing costs 0.10 then 0.30, so the vehicle runs on PV alone.
nlohmann::json pv_export_request(double first_export_price, double second_export_price) {
    nlohmann::json request = nlohmann::json::parse(R"({
      "site": {"grid": {"import_kw": 10, "export_kw": 10},
               "chargers": [{"id": "CP1", "max_kw": 11, "efficiency": 1.0}],
               "pv": {"forecast_kw": [6, 6]},
               "tariff": {"prices": [0.10, 0.30]}},
      "start": "2026-11-24T00:00:00Z", "horizon_h": 2, "step_min": 60, "strategy": "mpc",
      "vehicles": [{"id": "EV", "charger": "CP1", "arrival": "2026-11-24T00:00:00Z",
                    "departure": "2026-11-24T02:00:00Z", "energy_kwh": 4}]
    })");
    request["site"]["tariff"]["export_prices"] = {first_export_price, second_export_price};
    return request;
}

TEST(PlanExportPrices, ExportRevenueIsPricedStepByStepAndMpcSellsWhereItPaysMost) {
    // Exporting pays 0.05 in the first hour and 0.20 in the second: the vehicle takes its 4 kWh from
    // the first hour's PV, which exports 6 − 4 = 2 kWh there and 6 kWh in the second hour:
    // revenue 2 × 0.05 + 6 × 0.20 = 1.30. Charging in the second hour would earn 6 × 0.05 + 2 × 0.20
    // = 0.70.
    const nlohmann::json request = pv_export_request(0.05, 0.20);
    const nlohmann::json early = test::planned(request, "plan_export_prices_early");
    const auto& early_plan = early["plan"];
    EXPECT_NEAR(early_plan["site_profile"]["ev_kw"][0].get<double>(), 4.0, 1e-3);
    EXPECT_NEAR(early_plan["site_profile"]["ev_kw"][1].get<double>(), 0.0, 1e-3);
    EXPECT_NEAR(early_plan["kpis"]["export_revenue"].get<double>(), 1.30, 1e-3);
    EXPECT_NEAR(early_plan["kpis"]["energy_cost"].get<double>(), 0.0, 1e-6);
    EXPECT_NEAR(early_plan["kpis"]["cost"].get<double>(), -1.30, 1e-3);

    // The prices the other way round: the vehicle waits for the second hour, and the first hour's
    // 6 kWh sell at 0.20: revenue 6 × 0.20 + 2 × 0.05 = 1.30. edf, the baseline, charges at its
    // 11 kW at once: for 4/11 h it imports 11 − 6 = 5 kW (20/11 kWh at 0.10: 2/11), then exports
    // 6 kW for the hour's other 7/11 h (42/11 kWh at 0.20) and 6 kWh at 0.05 in the second hour:
    // revenue 8.4/11 + 0.30 = 11.7/11, cost 2/11 − 11.7/11 = −9.7/11; the plan saves
    // 1.30 − 9.7/11 = 4.6/11.
    const nlohmann::json late = test::planned(pv_export_request(0.20, 0.05), "plan_export_prices_late");
    const auto& late_plan = late["plan"];
    EXPECT_NEAR(late_plan["site_profile"]["ev_kw"][0].get<double>(), 0.0, 1e-3);
    EXPECT_NEAR(late_plan["site_profile"]["ev_kw"][1].get<double>(), 4.0, 1e-3);
    EXPECT_NEAR(late_plan["kpis"]["export_revenue"].get<double>(), 1.30, 1e-3);
    const auto& baseline_kpis = late["baseline"]["kpis"];
    EXPECT_NEAR(baseline_kpis["export_revenue"].get<double>(), 11.7 / 11.0, 1e-3);
    EXPECT_NEAR(baseline_kpis["energy_cost"].get<double>(), 2.0 / 11.0, 1e-3);
    EXPECT_EQ(late["recommendation"]["use"], "plan");
    EXPECT_NEAR(late["recommendation"]["saving"].get<double>(), 4.6 / 11.0, 1e-3);
}

}  // namespace
}  // namespace evtwin::serve
