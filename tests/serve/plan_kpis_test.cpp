// A plan's KPIs from its per-step series: energy cost, export revenue and peak import summed from
// site_profile reproduce kpis, steps that import and export alike included (docs/serve.md, RESULT).
#include "plan_case.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace evtwin::serve {
namespace {

struct SummedKpis {
    double energy_cost = 0.0;
    double export_revenue = 0.0;
    double peak_kw = 0.0;        // the highest step's import
    double rounding_cost = 0.0;  // what the series' rounding to 1 W can move the sums by
};

// The convention of docs/serve.md: a step imported import_kw + export_kw and exported export_kw.
SummedKpis summed_from_series(const nlohmann::json& result, double step_h) {
    const auto& profile = result["site_profile"];
    SummedKpis sum;
    for (std::size_t k = 0; k < profile["t_s"].size(); ++k) {
        const double exported = profile["export_kw"][k].get<double>();
        const double imported = profile["import_kw"][k].get<double>() + exported;
        const double price = profile["price"][k].get<double>();
        const double export_price = profile["export_price"][k].get<double>();
        sum.energy_cost += imported * price * step_h;
        sum.export_revenue += exported * export_price * step_h;
        sum.peak_kw = std::max(sum.peak_kw, imported);
        sum.rounding_cost += 1e-3 * (std::abs(price) + std::abs(export_price)) * step_h;
    }
    return sum;
}

// Energy cost and export revenue always; the peak when the site's power holds over each step (else
// the instant's peak is above the steps' averages).
void expect_reproduced(const nlohmann::json& result, double step_h, bool power_holds_over_steps) {
    const SummedKpis sum = summed_from_series(result, step_h);
    const auto& kpis = result["kpis"];
    EXPECT_NEAR(sum.energy_cost, kpis["energy_cost"].get<double>(), sum.rounding_cost + 1e-9);
    EXPECT_NEAR(sum.export_revenue, kpis["export_revenue"].get<double>(), sum.rounding_cost + 1e-9);
    if (power_holds_over_steps) {
        EXPECT_NEAR(sum.peak_kw, kpis["peak_kw"].get<double>(), 1e-3);
    } else {
        EXPECT_GE(kpis["peak_kw"].get<double>(), sum.peak_kw - 1e-3);
    }
}

TEST(PlanKpis, ThePlansSeriesReproduceItsKpisWithPvExportAndABattery) {
    // Four one-hour steps. PV gives 6 kW in the first two; importing costs 0.10, 0.10, 0.40, 0.40 and
    // exporting pays 0.05, 0.06, 0.30, 0.30. A lossless battery of 10 kWh, 4 kW either way, starts at
    // its lowest charge (10 %) and may hold 8 kWh more; one vehicle wants 4 kWh.
    // Filling the battery from PV (4 kW in each of the first two hours) and selling it at 0.30 in the
    // last two earns 8 × 0.30 = 2.40. The vehicle takes the PV that is left: 2 kW in each of the
    // first two hours, so those hours neither import nor export (taking its 4 kWh in the first hour
    // would import 2 kWh at 0.10 and export 2 kWh at 0.06 in the second: 0.08 worse).
    // Series: ev [2, 2, 0, 0], ess [4, 4, −4, −4], import [0, 0, −4, −4], export [0, 0, 4, 4];
    // KPIs: energy cost 0, export revenue 2.40, peak 0, cost −2.40.
    const nlohmann::json request = nlohmann::json::parse(R"({
      "site": {"grid": {"import_kw": 10, "export_kw": 10},
               "chargers": [{"id": "CP1", "max_kw": 11, "efficiency": 1.0}],
               "pv": {"forecast_kw": [6, 6, 0, 0]},
               "ess": {"capacity_kwh": 10, "max_charge_kw": 4, "soc": 0.1, "soc_min": 0.1, "soc_max": 0.9,
                       "efficiency": 1.0},
               "tariff": {"prices": [0.10, 0.10, 0.40, 0.40], "export_prices": [0.05, 0.06, 0.30, 0.30]}},
      "start": "2026-11-24T00:00:00Z", "horizon_h": 4, "step_min": 60, "strategy": "mpc",
      "vehicles": [{"id": "EV", "charger": "CP1", "arrival": "2026-11-24T00:00:00Z",
                    "departure": "2026-11-24T04:00:00Z", "energy_kwh": 4}]
    })");
    const nlohmann::json response = test::planned(request, "plan_kpis_battery");
    const auto& plan = response["plan"];
    const auto& profile = plan["site_profile"];
    const std::vector<double> ev = {2, 2, 0, 0}, ess = {4, 4, -4, -4}, net = {0, 0, -4, -4},
                              exported = {0, 0, 4, 4};
    for (std::size_t k = 0; k < 4; ++k) {
        EXPECT_NEAR(profile["ev_kw"][k].get<double>(), ev[k], 1e-3) << "step " << k;
        EXPECT_NEAR(profile["ess_kw"][k].get<double>(), ess[k], 1e-3) << "step " << k;
        EXPECT_NEAR(profile["import_kw"][k].get<double>(), net[k], 1e-3) << "step " << k;
        EXPECT_NEAR(profile["export_kw"][k].get<double>(), exported[k], 1e-3) << "step " << k;
    }
    EXPECT_EQ(profile["export_price"], nlohmann::json::array({0.05, 0.06, 0.30, 0.30}));
    EXPECT_NEAR(plan["kpis"]["energy_cost"].get<double>(), 0.0, 1e-6);
    EXPECT_NEAR(plan["kpis"]["export_revenue"].get<double>(), 2.40, 1e-3);
    EXPECT_NEAR(plan["kpis"]["cost"].get<double>(), -2.40, 1e-3);
    {
        SCOPED_TRACE("plan");
        expect_reproduced(plan, 1.0, true);
    }
    {
        SCOPED_TRACE("baseline");
        expect_reproduced(response["baseline"], 1.0, false);
    }
}

TEST(PlanKpis, AStepThatImportsAndExportsKeepsBothInItsSeries) {
    // One hour of 6 kW PV; edf charges the vehicle's 4 kWh at its 11 kW at once: it imports
    // 11 − 6 = 5 kW for 4/11 h, then exports 6 kW for the other 7/11 h. The step's net import is
    // (5 × 4 − 6 × 7) / 11 = −2 kW, its export 42/11 kW, so it imported −2 + 42/11 = 20/11 kWh
    // (cost 2/11 at 0.10) and exported 42/11 kWh (revenue 8.4/11 at 0.20). The peak is the 5 kW of
    // the first 4/11 h, above any step's average.
    const nlohmann::json request = nlohmann::json::parse(R"({
      "site": {"grid": {"import_kw": 10, "export_kw": 10},
               "chargers": [{"id": "CP1", "max_kw": 11, "efficiency": 1.0}],
               "pv": {"forecast_kw": [6]},
               "tariff": {"prices": [0.10], "export_prices": [0.20]}},
      "start": "2026-11-24T00:00:00Z", "horizon_h": 1, "step_min": 60, "strategy": "edf",
      "vehicles": [{"id": "EV", "charger": "CP1", "arrival": "2026-11-24T00:00:00Z",
                    "departure": "2026-11-24T01:00:00Z", "energy_kwh": 4}]
    })");
    const nlohmann::json response = test::planned(request, "plan_kpis_both_ways");
    const auto& plan = response["plan"];
    const auto& profile = plan["site_profile"];
    EXPECT_NEAR(profile["import_kw"][0].get<double>(), -2.0, 1e-3);
    EXPECT_NEAR(profile["export_kw"][0].get<double>(), 42.0 / 11.0, 1e-3);
    EXPECT_NEAR(plan["kpis"]["energy_cost"].get<double>(), 2.0 / 11.0, 1e-6);
    EXPECT_NEAR(plan["kpis"]["export_revenue"].get<double>(), 8.4 / 11.0, 1e-6);
    EXPECT_NEAR(plan["kpis"]["peak_kw"].get<double>(), 5.0, 1e-6);
    expect_reproduced(plan, 1.0, false);
}

}  // namespace
}  // namespace evtwin::serve
