// PV curtailed as a decision in a plan, worked out by hand: two one-hour steps with 10 kW of PV in
// each, import at 0.20, export at −0.05 in the first hour and 0.05 in the second; one vehicle on an
// 11 kW charger that loses nothing, wanting 4 kWh by the end.
#include "plan_case.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace evtwin::serve {
namespace {

nlohmann::json request(double curtailment_cost, double export_limit_kw, const std::string& export_prices) {
    return nlohmann::json::parse(R"({
      "site": {"grid": {"import_kw": 100, "export_kw": )" +
                                 std::to_string(export_limit_kw) + R"(},
               "chargers": [{"id": "CP1", "max_kw": 11, "efficiency": 1.0}],
               "pv": {"forecast_kw": [10, 10], "curtailment_cost_per_kwh": )" +
                                 std::to_string(curtailment_cost) + R"(},
               "tariff": {"prices": [0.20, 0.20], "export_prices": )" +
                                 export_prices + R"(}},
      "start": "2026-11-24T00:00:00Z", "horizon_h": 2, "step_min": 60, "strategy": "mpc", "baseline": "edf",
      "vehicles": [{"id": "EV", "charger": "CP1", "arrival": "2026-11-24T00:00:00Z",
                    "departure": "2026-11-24T02:00:00Z", "energy_kwh": 4}]
    })");
}

void expect_series(const nlohmann::json& profile, const char* name, std::vector<double> want) {
    for (std::size_t k = 0; k < want.size(); ++k)
        EXPECT_NEAR(profile[name][k].get<double>(), want[k], 1e-3) << name << " step " << k;
}

// Exporting in the first hour costs 0.05 per kWh, curtailing nothing: the vehicle takes 4 kW of the
// PV then, and the other 6 kW are curtailed; the second hour exports 10 kW for 0.50. edf charges the
// vehicle at 11 kW for 4/11 h, importing 1 kW then (0.20 · 4/11), and exports the 10 kW for the rest
// of the hour (0.05 · 70/11): 4.3/11 − 0.50 = −0.109.
TEST(PlanCurtailment, PvThatWouldCostToExportIsCurtailed) {
    const nlohmann::json response = test::planned(request(0.0, 100, "[-0.05, 0.05]"), "plan_curtail_free");
    const auto& plan = response["plan"];
    expect_series(plan["site_profile"], "ev_kw", {4, 0});
    expect_series(plan["site_profile"], "pv_kw", {4, 10});
    expect_series(plan["site_profile"], "pv_curtailed_kw", {6, 0});
    expect_series(plan["site_profile"], "export_kw", {0, 10});
    EXPECT_NEAR(plan["kpis"]["pv_curtailed_kwh"].get<double>(), 6.0, 1e-3);
    EXPECT_NEAR(plan["kpis"]["curtailment_cost"].get<double>(), 0.0, 1e-9);
    EXPECT_NEAR(plan["kpis"]["cost"].get<double>(), -0.50, 1e-3);
    EXPECT_NEAR(response["baseline"]["kpis"]["cost"].get<double>(), 4.3 / 11 - 0.50, 1e-3);
    EXPECT_NEAR(response["baseline"]["kpis"]["pv_curtailed_kwh"].get<double>(), 0.0, 1e-3);
    EXPECT_EQ(response["recommendation"]["use"], "plan");
    EXPECT_EQ(plan["kpis"]["violations"].get<double>(), 0.0);
}

// At 0.10 per kWh curtailed, exporting at −0.05 costs less: nothing is curtailed, the first hour
// exports the 6 kW the vehicle leaves (0.30) and the second 10 kW (−0.50): −0.20.
TEST(PlanCurtailment, PricedCurtailmentExportsWhereThatCostsLess) {
    const nlohmann::json response = test::planned(request(0.10, 100, "[-0.05, 0.05]"), "plan_curtail_priced");
    const auto& plan = response["plan"];
    expect_series(plan["site_profile"], "pv_curtailed_kw", {0, 0});
    expect_series(plan["site_profile"], "export_kw", {6, 10});
    EXPECT_NEAR(plan["kpis"]["export_revenue"].get<double>(), 0.20, 1e-3);
    EXPECT_NEAR(plan["kpis"]["cost"].get<double>(), -0.20, 1e-3);
}

// At a 5 kW export limit the plan charges the vehicle from the PV alone (4 kW in an hour), so that
// 6 of the 20 kWh of PV cannot go anywhere: curtailed at 0.10 (0.60), counted in the cost beside
// 10 kWh exported at 0.05 (−0.50): 0.10. edf charges at 11 kW for 4/11 h (importing 1 kW then,
// 0.20 · 4/11) and curtails 5 kW for the rest of both hours, 5 · 7/11 + 5 = 90/11 kWh, while
// exporting as much: 0.8/11 + 9/11 − 4.5/11 = 5.3/11.
TEST(PlanCurtailment, CurtailmentAtTheExportLimitIsPricedInTheCost) {
    const nlohmann::json response = test::planned(request(0.10, 5, "[0.05, 0.05]"), "plan_curtail_limit");
    const auto& plan = response["plan"]["kpis"];
    EXPECT_NEAR(plan["pv_curtailed_kwh"].get<double>(), 6.0, 1e-3);
    EXPECT_NEAR(plan["curtailment_cost"].get<double>(), 0.60, 1e-3);
    EXPECT_NEAR(plan["export_revenue"].get<double>(), 0.50, 1e-3);
    EXPECT_NEAR(plan["cost"].get<double>(), 0.10, 1e-3);
    const auto& baseline = response["baseline"]["kpis"];
    EXPECT_NEAR(baseline["pv_curtailed_kwh"].get<double>(), 90.0 / 11, 1e-3);
    EXPECT_NEAR(baseline["curtailment_cost"].get<double>(), 9.0 / 11, 1e-3);
    EXPECT_NEAR(baseline["cost"].get<double>(), 5.3 / 11, 1e-3);
}

TEST(PlanCurtailment, ANegativeCurtailmentCostIsRefusedNamingTheField) {
    const ApiError e = test::refusal(request(-1.0, 100, "[0.05, 0.05]"), "plan_curtail_bad");
    EXPECT_EQ(e.status, 422);
    EXPECT_EQ(e.path, "/site/pv/curtailment_cost_per_kwh") << e.what();
}

}  // namespace
}  // namespace evtwin::serve
