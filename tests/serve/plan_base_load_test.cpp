// The site's own consumption in a plan: a series or a daily profile in local time, shown in the
// site profile, kept in the site's balance, and planned around by mpc.
#include "plan_case.hpp"

#include "model/local_time.hpp"
#include "serve/plan/daily_profile.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

// One vehicle wanting 12 kWh over two one-hour steps priced 0.10 then 0.30, on an 11 kW charger that
// loses nothing, behind a 14 kW grid connection.
nlohmann::json two_hour_site_request() {
    return nlohmann::json::parse(R"({
      "site": {"grid": {"import_kw": 14},
               "chargers": [{"id": "CP1", "max_kw": 11, "efficiency": 1.0}],
               "tariff": {"prices": [0.10, 0.30]}},
      "start": "2026-11-24T00:00:00Z", "horizon_h": 2, "step_min": 60,
      "strategy": "mpc", "baseline": "edf",
      "vehicles": [{"id": "EV", "charger": "CP1", "arrival": "2026-11-24T00:00:00Z",
                    "departure": "2026-11-24T02:00:00Z", "energy_kwh": 12, "max_kw": 11}]
    })");
}

std::vector<double> series_of(const nlohmann::json& profile, const char* name) {
    return profile.at(name).get<std::vector<double>>();
}

// Import = EV + ESS + base load − PV at every step (the step averages are rounded to 1 W).
void expect_site_balance(const nlohmann::json& profile) {
    const std::vector<double> import_kw = series_of(profile, "import_kw");
    ASSERT_EQ(series_of(profile, "base_load_kw").size(), import_kw.size());
    for (std::size_t k = 0; k < import_kw.size(); ++k) {
        const double balance = profile["ev_kw"][k].get<double>() + profile["ess_kw"][k].get<double>() +
                               profile["base_load_kw"][k].get<double>() - profile["pv_kw"][k].get<double>();
        EXPECT_NEAR(import_kw[k], balance, 3e-3) << "step " << k;
    }
}

TEST(PlanBaseLoad, MpcKeepsImportWithinALimitThatOnlyTheBaseLoadMakesBind) {
    // Without base load the vehicle takes its 11 kW in the cheap hour and 1 kW in the dear one:
    // import [11, 1], energy cost 11 × 0.10 + 1 × 0.30 = 1.40.
    const nlohmann::json alone = test::planned(two_hour_site_request(), "plan_base_load_alone");
    const auto& alone_profile = alone["plan"]["site_profile"];
    EXPECT_EQ(series_of(alone_profile, "base_load_kw"), std::vector<double>({0.0, 0.0}));
    EXPECT_NEAR(alone_profile["ev_kw"][0].get<double>(), 11.0, 1e-3);
    EXPECT_NEAR(alone["plan"]["kpis"]["energy_cost"].get<double>(), 1.40, 1e-3);

    // 5 kW of base load in the cheap hour leaves 14 − 5 = 9 kW for the vehicle there, the other
    // 3 kWh go into the dear hour: import [14, 3], energy cost 14 × 0.10 + 3 × 0.30 = 2.30.
    nlohmann::json request = two_hour_site_request();
    request["site"]["base_load"] = {{"forecast_kw", {5.0, 0.0}}};
    const nlohmann::json response = test::planned(request, "plan_base_load_binds");
    const auto& plan = response["plan"];
    const auto& profile = plan["site_profile"];
    EXPECT_EQ(plan["strategy"], "mpc");
    EXPECT_EQ(series_of(profile, "base_load_kw"), std::vector<double>({5.0, 0.0}));
    EXPECT_NEAR(profile["ev_kw"][0].get<double>(), 9.0, 1e-3);
    EXPECT_NEAR(profile["ev_kw"][1].get<double>(), 3.0, 1e-3);
    for (std::size_t k = 0; k < 2; ++k) EXPECT_LE(profile["import_kw"][k].get<double>(), 14.0 + 1e-6);
    EXPECT_NEAR(profile["import_kw"][0].get<double>(), 14.0, 1e-3);
    EXPECT_NEAR(plan["kpis"]["energy_cost"].get<double>(), 2.30, 1e-3);
    EXPECT_NEAR(plan["kpis"]["peak_kw"].get<double>(), 14.0, 1e-3);
    EXPECT_TRUE(plan["vehicles"][0]["met"].get<bool>());
    EXPECT_EQ(plan["kpis"]["violations"].get<double>(), 0.0);
    expect_site_balance(profile);
    expect_site_balance(response["baseline"]["site_profile"]);
}

TEST(PlanBaseLoad, ADailyProfileIsReadInTheSitesLocalTime) {
    // Midnight in Amsterdam is 23:00 UTC in November. The profile's 00:30 band splits the first
    // hour: (2 + 4) / 2 = 3 kW on average, then 6 kW.
    nlohmann::json request = two_hour_site_request();
    request["site"]["timezone"] = "Europe/Amsterdam";
    request["start"] = "2026-11-24T00:00:00";
    request["vehicles"][0]["arrival"] = "2026-11-24T00:00:00";
    request["vehicles"][0]["departure"] = "2026-11-24T02:00:00";
    request["vehicles"][0]["energy_kwh"] = 2;
    request["strategy"] = "edf";
    request["site"]["base_load"] = nlohmann::json::parse(R"({"profile": [
        {"from": "00:00", "kw": 2}, {"from": "00:30", "kw": 4}, {"from": "01:00", "kw": 6}]})");
    const nlohmann::json response = test::planned(request, "plan_base_load_daily");
    const auto& profile = response["plan"]["site_profile"];
    EXPECT_EQ(series_of(profile, "base_load_kw"), std::vector<double>({3.0, 6.0}));
    expect_site_balance(profile);
}

Time utc(const char* text) {
    return parse_time(text, TimeZone("UTC"));
}

TEST(PlanBaseLoad, ADailySeriesFollowsTheClocksAndTheCalendar) {
    const std::vector<DailyBand> bands = {{0, 1.0}, {12 * 60, 3.0}};
    // Amsterdam moves to summer time at 01:00 UTC on 29 March 2026: local noon is 11:00 UTC on the
    // 28th and 10:00 UTC on the 29th.
    const StepSeries spring = daily_series(bands, TimeZone("Europe/Amsterdam"), utc("2026-03-28T06:00:00Z"),
                                           utc("2026-03-29T22:00:00Z"));
    ASSERT_EQ(spring.t.size(), 4u);
    EXPECT_EQ(spring.t[0], utc("2026-03-27T23:00:00Z"));
    EXPECT_EQ(spring.t[1], utc("2026-03-28T11:00:00Z"));
    EXPECT_EQ(spring.t[2], utc("2026-03-28T23:00:00Z"));
    EXPECT_EQ(spring.t[3], utc("2026-03-29T10:00:00Z"));
    EXPECT_EQ(spring.value_at(utc("2026-03-29T09:59:00Z")), 1.0);
    EXPECT_EQ(spring.value_at(utc("2026-03-29T10:30:00Z")), 3.0);

    // From the last day of January into February.
    const StepSeries months =
        daily_series(bands, TimeZone("UTC"), utc("2026-01-31T18:00:00Z"), utc("2026-02-01T13:00:00Z"));
    ASSERT_EQ(months.t.size(), 4u);
    EXPECT_EQ(months.t[2], utc("2026-02-01T00:00:00Z"));
    EXPECT_EQ(months.t[3], utc("2026-02-01T12:00:00Z"));
    EXPECT_EQ(months.value_at(utc("2026-01-31T20:00:00Z")), 3.0);
    EXPECT_EQ(months.value_at(utc("2026-02-01T06:00:00Z")), 1.0);
}

}  // namespace
}  // namespace evtwin::serve
