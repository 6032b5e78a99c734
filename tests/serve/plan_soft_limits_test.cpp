// An over-constrained plan is never refused: it gets the best schedule, and each RESULT says what it
// missed (the grid limits' overshoot per step and in all, the vehicles left short), with a warning
// per limit missed. Every case is worked out by hand on a site of one 11 kW charger that loses
// nothing and one vehicle wanting 8 kWh over the first two one-hour steps.
#include "plan_case.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace evtwin::serve {
namespace {

nlohmann::json soft_limits_request() {
    return nlohmann::json::parse(R"({
      "site": {"grid": {"import_kw": 10},
               "chargers": [{"id": "CP1", "max_kw": 11, "efficiency": 1.0}],
               "tariff": {"prices": [0.10, 0.10]}},
      "start": "2026-11-24T00:00:00Z", "horizon_h": 2, "step_min": 60,
      "strategy": "mpc", "baseline": "edf",
      "vehicles": [{"id": "EV", "charger": "CP1", "arrival": "2026-11-24T00:00:00Z",
                    "departure": "2026-11-24T02:00:00Z", "energy_kwh": 8, "max_kw": 11}]
    })");
}

void expect_series(const nlohmann::json& series, const std::vector<double>& expected) {
    ASSERT_EQ(series.size(), expected.size()) << series;
    for (std::size_t k = 0; k < expected.size(); ++k)
        EXPECT_NEAR(series[k].get<double>(), expected[k], 1e-3) << "step " << k << " of " << series;
}

std::size_t warnings_with(const nlohmann::json& response, const std::string& text) {
    std::size_t n = 0;
    for (const nlohmann::json& w : response["warnings"])
        n += w.get<std::string>().find(text) != std::string::npos;
    return n;
}

// 14 kW of base load in hour 0 against a 10 kW import limit, 4 kW in hour 1. No plan helps hour 0:
// the vehicle gets nothing there and the site imports 14 kW, 4 over; in hour 1 it takes the
// 10 − 4 = 6 kW left, 6 of its 8 kWh. Both plans (mpc, and edf, which the engine clips): import
// overshoot [4, 0], at most 4 kW, 4 kWh; the vehicle 2 kWh short.
TEST(PlanSoftLimits, ABaseLoadOverTheImportLimitIsMissedByWhatItBreaks) {
    nlohmann::json request = soft_limits_request();
    request["site"]["base_load"] = {{"forecast_kw", {14.0, 4.0}}};
    const nlohmann::json response = test::planned(request, "plan_soft_import");
    for (const char* which : {"plan", "baseline"}) {
        SCOPED_TRACE(which);
        const nlohmann::json& result = response[which];
        EXPECT_TRUE(result["fallback"].is_null());
        expect_series(result["site_profile"]["ev_kw"], {0.0, 6.0});
        expect_series(result["site_profile"]["import_kw"], {14.0, 10.0});
        const nlohmann::json& grid = result["misses"]["grid"];
        EXPECT_EQ(grid["import_limit_kw"].get<double>(), 10.0);
        expect_series(grid["import_overshoot_kw"], {4.0, 0.0});
        expect_series(grid["export_overshoot_kw"], {0.0, 0.0});
        EXPECT_NEAR(grid["max_import_overshoot_kw"].get<double>(), 4.0, 1e-6);
        EXPECT_NEAR(grid["import_overshoot_kwh"].get<double>(), 4.0, 1e-6);
        EXPECT_EQ(grid["export_overshoot_kwh"].get<double>(), 0.0);
        const nlohmann::json& short_of = result["misses"]["vehicles"];
        ASSERT_EQ(short_of.size(), 1u);
        EXPECT_EQ(short_of[0]["id"], "EV");
        EXPECT_NEAR(short_of[0]["unmet_kwh"].get<double>(), 2.0, 1e-3);
        EXPECT_EQ(short_of[0]["unmet_kwh"], result["vehicles"][0]["unmet_kwh"]);
    }
    EXPECT_EQ(response["plan"]["strategy"], "mpc");
    EXPECT_EQ(warnings_with(response, "solver fell back"), 0u) << response["warnings"];
    EXPECT_EQ(warnings_with(response, "strategy failed"), 0u) << response["warnings"];
    EXPECT_EQ(warnings_with(response,
                            "the site's import went over its 10.000 kW grid limit in 1 step: by up to "
                            "4.000 kW, 4.000 kWh in all"),
              1u)
        << response["warnings"];
    EXPECT_EQ(warnings_with(response, "vehicle EV: 2.0 kWh short"), 1u) << response["warnings"];
}

// The same site under each MILP strategy: a plan, not a fallback, with the same misses.
TEST(PlanSoftLimits, EveryMilpStrategyPlansASiteOverItsImportLimit) {
    for (const char* strategy : {"offline_optimal", "day_ahead"}) {
        SCOPED_TRACE(strategy);
        nlohmann::json request = soft_limits_request();
        request["strategy"] = strategy;
        request["site"]["base_load"] = {{"forecast_kw", {14.0, 4.0}}};
        const nlohmann::json response = test::planned(request, std::string("plan_soft_") + strategy);
        const nlohmann::json& plan = response["plan"];
        EXPECT_EQ(plan["strategy"], strategy);
        EXPECT_TRUE(plan["fallback"].is_null());
        EXPECT_EQ(warnings_with(response, "solver fell back"), 0u) << response["warnings"];
        expect_series(plan["site_profile"]["ev_kw"], {0.0, 6.0});
        expect_series(plan["misses"]["grid"]["import_overshoot_kw"], {4.0, 0.0});
        EXPECT_NEAR(plan["misses"]["vehicles"][0]["unmet_kwh"].get<double>(), 2.0, 1e-3);
    }
}

// A battery of 10 kWh at SoC 0.3 (bounds 0 and 1, efficiency 1, 3 kW out) and a third hour priced
// 0.30 with 3 kW of base load (prices 0.10, 0.10, 0.30). Keeping its 3 kWh for hour 2 would save
// 0.90 against 0.30 in hour 0, but in hour 0 each kWh also shaves the overshoot: mpc gives 3 kW
// there, import 14 − 3 = 11 kW, overshoot [1, 0, 0], 1 kWh; cost 1.10 + 1.00 + 0.90 = 3.00. edf
// leaves the battery idle: overshoot [4, 0, 0], cost 1.40 + 1.00 + 0.90 = 3.30.
TEST(PlanSoftLimits, AStorageShavesTheOvershootBeforeItSavesForADearerHour) {
    nlohmann::json request = soft_limits_request();
    request["horizon_h"] = 3;
    request["site"]["tariff"]["prices"] = {0.10, 0.10, 0.30};
    request["site"]["base_load"] = {{"forecast_kw", {14.0, 4.0, 3.0}}};
    request["site"]["ess"] = nlohmann::json::parse(R"({"capacity_kwh": 10, "max_charge_kw": 5,
        "max_discharge_kw": 3, "soc": 0.3, "soc_min": 0, "soc_max": 1, "efficiency": 1.0})");
    const nlohmann::json response = test::planned(request, "plan_soft_storage");
    const nlohmann::json& plan = response["plan"];
    expect_series(plan["site_profile"]["ess_kw"], {-3.0, 0.0, 0.0});
    expect_series(plan["site_profile"]["import_kw"], {11.0, 10.0, 3.0});
    expect_series(plan["misses"]["grid"]["import_overshoot_kw"], {1.0, 0.0, 0.0});
    EXPECT_NEAR(plan["misses"]["grid"]["import_overshoot_kwh"].get<double>(), 1.0, 1e-3);
    EXPECT_NEAR(plan["kpis"]["cost"].get<double>(), 3.00, 1e-3);
    const nlohmann::json& baseline = response["baseline"];
    expect_series(baseline["site_profile"]["ess_kw"], {0.0, 0.0, 0.0});
    expect_series(baseline["misses"]["grid"]["import_overshoot_kw"], {4.0, 0.0, 0.0});
    EXPECT_NEAR(baseline["kpis"]["cost"].get<double>(), 3.30, 1e-3);
    EXPECT_EQ(response["recommendation"]["use"], "plan");
    EXPECT_EQ(response["recommendation"]["reason"],
              "the plan goes 1.0 kWh over the site's grid limits, the baseline 4.0 kWh");
    EXPECT_EQ(warnings_with(response, "by up to 1.000 kW, 1.000 kWh in all"), 1u) << response["warnings"];
}

// The grid limits rank after the energy delivered and before money.
TEST(PlanSoftLimits, TheRecommendationWeighsTheGridLimitsBeforeTheCost) {
    auto result = [](const char* strategy, double cost, double unmet, double over_kwh) {
        return nlohmann::json{
            {"strategy", strategy},
            {"fallback", nullptr},
            {"kpis", {{"cost", cost}, {"unmet_kwh", unmet}, {"energy_kwh", 100.0 - unmet}}},
            {"misses", {{"grid", {{"import_overshoot_kwh", over_kwh}, {"export_overshoot_kwh", 0.0}}}}}};
    };
    // Less over the limit for more money: the plan.
    const nlohmann::json shaves = recommend(result("mpc", 3.0, 0, 1.0), result("edf", 2.4, 0, 4.0), "EUR");
    EXPECT_EQ(shaves["use"], "plan");
    EXPECT_EQ(shaves["reason"], "the plan goes 1.0 kWh over the site's grid limits, the baseline 4.0 kWh");
    // Further over it for less: the baseline.
    const nlohmann::json over = recommend(result("mpc", 2.0, 0, 4.0), result("edf", 2.4, 0, 1.0), "EUR");
    EXPECT_EQ(over["use"], "baseline");
    EXPECT_EQ(over["reason"], "the plan goes 4.0 kWh over the site's grid limits, the baseline 1.0 kWh");
    // Within 0.05 kWh the limits weigh nothing: the cost decides.
    EXPECT_EQ(recommend(result("mpc", 2.0, 0, 1.04), result("edf", 2.4, 0, 1.0), "EUR")["use"], "plan");
    // Energy first: a plan that leaves more undelivered is not rescued by the limits.
    EXPECT_EQ(recommend(result("mpc", 2.0, 3, 0.0), result("edf", 2.4, 0, 4.0), "EUR")["use"], "baseline");
    // And a plan that delivers more is not refused for them: the energy rules decide.
    EXPECT_EQ(recommend(result("mpc", 2.0, 0, 4.0), result("edf", 2.4, 3, 1.0), "EUR")["use"], "plan");
}

// 20 kW of PV in hour 0 against a 5 kW export limit: mpc gives the vehicle its 8 kWh from it, 5 kW
// are exported and the engine curtails the other 7 kW. The limit holds: export overshoot [0, 0],
// 7 kWh of PV curtailed, nothing missed and no warning. edf (11 kW until the 8 kWh are in)
// curtails the same 20 − 8 − 5 = 7 kWh.
TEST(PlanSoftLimits, APvSurplusOverTheExportLimitIsCurtailedNotExported) {
    nlohmann::json request = soft_limits_request();
    request["site"]["grid"]["export_kw"] = 5;
    request["site"]["pv"] = {{"forecast_kw", {20.0, 0.0}}};
    request["site"]["tariff"]["export_price"] = 0.05;
    const nlohmann::json response = test::planned(request, "plan_soft_export");
    for (const char* which : {"plan", "baseline"}) {
        SCOPED_TRACE(which);
        const nlohmann::json& result = response[which];
        const nlohmann::json& grid = result["misses"]["grid"];
        EXPECT_EQ(grid["export_limit_kw"].get<double>(), 5.0);
        expect_series(grid["export_overshoot_kw"], {0.0, 0.0});
        expect_series(grid["import_overshoot_kw"], {0.0, 0.0});
        EXPECT_EQ(grid["max_export_overshoot_kw"].get<double>(), 0.0);
        EXPECT_NEAR(grid["pv_curtailed_kwh"].get<double>(), 7.0, 1e-3);
        EXPECT_TRUE(result["misses"]["vehicles"].empty());
        expect_series(result["site_profile"]["export_kw"], {5.0, 0.0});
    }
    expect_series(response["plan"]["site_profile"]["ev_kw"], {8.0, 0.0});
    expect_series(response["plan"]["site_profile"]["pv_kw"], {13.0, 0.0});
    EXPECT_EQ(warnings_with(response, "went over"), 0u) << response["warnings"];
}

}  // namespace
}  // namespace evtwin::serve
