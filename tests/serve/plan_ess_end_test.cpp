// What a plan's site wants of its ESS at the end (site.ess.end_value_per_kwh, end_soc), worked out by
// hand: three one-hour steps at 0.10, 0.30 and 0.30 per kWh, exports paid nothing; an ESS of 10 kWh
// at SoC 0.5 (bounds 0 and 1, 5 kW each way, no losses); one vehicle on an 11 kW charger that loses
// nothing, here all three hours, wanting 1 kWh (bought in the cheap hour by the plan and by edf).
#include "plan_case.hpp"

#include <gtest/gtest.h>

#include <string>

namespace evtwin::serve {
namespace {

nlohmann::json request(const std::string& ess_end) {
    return nlohmann::json::parse(R"({
      "site": {"grid": {"import_kw": 100, "export_kw": 100},
               "chargers": [{"id": "CP1", "max_kw": 11, "efficiency": 1.0}],
               "ess": {"capacity_kwh": 10, "max_charge_kw": 5, "max_discharge_kw": 5, "soc": 0.5,
                       "soc_min": 0, "soc_max": 1, "efficiency": 1.0)" +
                                 ess_end + R"(},
               "tariff": {"prices": [0.10, 0.30, 0.30], "export_prices": [0, 0, 0]}},
      "start": "2026-11-24T00:00:00Z", "horizon_h": 3, "step_min": 60, "strategy": "mpc", "baseline": "edf",
      "vehicles": [{"id": "EV", "charger": "CP1", "arrival": "2026-11-24T00:00:00Z",
                    "departure": "2026-11-24T03:00:00Z", "energy_kwh": 1}]
    })");
}

// Stored energy worth 0.20 per kWh at the end is worth buying at 0.10 and not at 0.30: the plan fills
// the ESS in the first hour (5 kWh, 0.50) and ends full, worth 0.20 · 5 = 1.00 more than it started:
// cost 0.10 + 0.50 − 1.00 = −0.40. edf leaves the ESS at 0.5: 0.10.
TEST(PlanEssEnd, StoredEnergyWorthMoreThanItCostsIsBoughtAndCounted) {
    const nlohmann::json response =
        test::planned(request(R"(, "end_value_per_kwh": 0.20)"), "plan_ess_value");
    const auto& plan = response["plan"]["kpis"];
    EXPECT_NEAR(response["plan"]["site_profile"]["ess_kw"][0].get<double>(), 5.0, 1e-3);
    EXPECT_NEAR(plan["energy_cost"].get<double>(), 0.60, 1e-3);
    EXPECT_NEAR(plan["ess_end_soc"].get<double>(), 1.0, 1e-4);
    EXPECT_NEAR(plan["ess_end_value"].get<double>(), 1.00, 1e-3);
    EXPECT_NEAR(plan["cost"].get<double>(), -0.40, 1e-3);
    const auto& baseline = response["baseline"]["kpis"];
    EXPECT_NEAR(baseline["ess_end_soc"].get<double>(), 0.5, 1e-4);
    EXPECT_NEAR(baseline["ess_end_value"].get<double>(), 0.0, 1e-9);
    EXPECT_NEAR(baseline["cost"].get<double>(), 0.10, 1e-3);
    EXPECT_EQ(response["recommendation"]["use"], "plan");
    EXPECT_FALSE(response["plan"]["misses"].contains("ess"));
}

// SoC 0.8 wanted at the end: 3 kWh more, bought in the cheap hour (0.30): cost 0.40, nothing missed.
// edf ends where it started, 3 kWh short, which its misses say.
TEST(PlanEssEnd, TheSocWantedAtTheEndIsReachedAtTheLeastCost) {
    const nlohmann::json response = test::planned(request(R"(, "end_soc": 0.8)"), "plan_ess_soc");
    const auto& plan = response["plan"];
    EXPECT_NEAR(plan["site_profile"]["ess_kw"][0].get<double>(), 3.0, 1e-3);
    EXPECT_NEAR(plan["kpis"]["cost"].get<double>(), 0.40, 1e-3);
    EXPECT_NEAR(plan["misses"]["ess"][0]["end_soc"].get<double>(), 0.8, 1e-4);
    EXPECT_NEAR(plan["misses"]["ess"][0]["short_kwh"].get<double>(), 0.0, 1e-3);
    const auto& baseline = response["baseline"]["misses"]["ess"][0];
    EXPECT_NEAR(baseline["end_soc_wanted"].get<double>(), 0.8, 1e-12);
    EXPECT_NEAR(baseline["short_kwh"].get<double>(), 3.0, 1e-3);
}

// Full wanted at the end with 1 kW to charge: three hours store 3 of the 5 kWh, and the plan says
// what it missed (a soft goal, not an infeasible request).
TEST(PlanEssEnd, ASocThatCannotBeReachedIsMissedNotRefused) {
    nlohmann::json r = request(R"(, "end_soc": 1.0)");
    r["site"]["ess"]["max_charge_kw"] = 1;
    const nlohmann::json response = test::planned(r, "plan_ess_short");
    const auto& ess = response["plan"]["misses"]["ess"][0];
    EXPECT_NEAR(ess["end_soc"].get<double>(), 0.8, 1e-4);
    EXPECT_NEAR(ess["short_kwh"].get<double>(), 2.0, 1e-3);
    bool warned = false;
    for (const auto& w : response["warnings"])
        warned = warned || w.get<std::string>().find("ESS") != std::string::npos;
    EXPECT_TRUE(warned) << response["warnings"].dump();
}

TEST(PlanEssEnd, BadEndFieldsAreRefusedNamingTheField) {
    EXPECT_EQ(test::refusal(request(R"(, "end_value_per_kwh": -1)"), "plan_ess_bad_value").path,
              "/site/ess/end_value_per_kwh");
    nlohmann::json r = request(R"(, "end_soc": 0.9)");
    r["site"]["ess"]["soc_max"] = 0.8;
    const ApiError e = test::refusal(r, "plan_ess_bad_soc");
    EXPECT_EQ(e.status, 422);
    EXPECT_EQ(e.path, "/site/ess/end_soc") << e.what();
}

}  // namespace
}  // namespace evtwin::serve
