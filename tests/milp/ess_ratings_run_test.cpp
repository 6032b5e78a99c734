// End to end: mpc and offline_optimal reach the hand-worked optimum on a site whose ESS charges at
// 5 kW and discharges at 0 or 2.5 kW (tests/milp/ess_ratings_test.cpp has the same numbers for one
// plan). Three one-hour periods at 0.10, 0.30, 0.30 per kWh, exports paid nothing; an ESS of 10 kWh,
// empty, SoC bounds 0 and 1, both efficiencies 1; one vehicle from hour 1 to hour 2 wanting 5 kWh
// on a 7 kW charger of efficiency 1. Optimum: with 0 kW discharge the ESS stays idle and the
// vehicle's 5 kWh cost 5 · 0.30 = 1.50, as under edf; with 2.5 kW it stores 2.5 kWh in hour 0
// (0.25) and gives them in hour 1, when the other 2.5 kWh are bought (0.75): 1.00. Planned as if
// it could give 5 kW, both strategies stored 5 kWh in hour 0 and paid 2.00 and 1.25.
#include "day_prices.hpp"
#include "golden/invariants.hpp"
#include "record/reader/run_reader.hpp"
#include "scenario/scenario_loader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

namespace evtwin {
namespace {

constexpr double kCapacityKwh = 10.0;
// A vehicle stops on the millisecond at which it has its energy: at 7 kW, within 2e-6 kWh.
constexpr double kEnergyTol = 1e-5;
constexpr double kCostTol = 1e-5;

std::string scenario_text(double discharge_kw, const std::filesystem::path& prices) {
    return R"(
scenario { name = "ess_ratings", start = "2024-07-01", duration = hours(3), control_period = hours(1) }
grid { import_kw = 100, export_kw = 100 }
charger { name = "CP1", max_kw = 7, efficiency = 1 }
ess { capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = )" +
           std::to_string(discharge_kw) + R"(,
      charge_efficiency = 1, discharge_efficiency = 1, soc_min = 0, soc_max = 1, soc_initial = 0 }
tariff { prices_csv = ")" +
           prices.string() + R"(", export_price = 0, currency = "EUR" }
session { arrival = "2024-07-01T01:00", departure = "2024-07-01T02:00", requested_kwh = 5,
          charge_efficiency = 1, discharge_efficiency = 1, station = "CP1" }
)";
}

std::filesystem::path write_scenario(const std::string& name, double discharge_kw) {
    const auto dir = test::temp_dir("ess-ratings-" + name);
    const auto csv = test::write_cheap_first_hour_prices(dir);
    return test::write_file(dir / (name + ".lua"), scenario_text(discharge_kw, csv));
}

// Runs the scenario, checks the run's physics (session energy against its series, SoC bounds, the
// bill against the series, no violation; at every recorded change, grid = EVs + ESS, and the ESS's
// stored energy follows its power) and returns the KPIs.
std::map<std::string, double> run_checked(const std::filesystem::path& scenario,
                                          const std::string& strategy) {
    const auto db = test::temp_dir("ess-ratings-run-" + strategy) / (scenario.stem().string() + ".db");
    const auto r = test::run_command(test::evtwin_binary().string() + " run " + scenario.string() +
                                     " --strategy " + strategy + " --db " + db.string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    if (r.exit_code != 0) return {};
    const RunReader reader(db);
    const RunId id = reader.latest_run();
    EXPECT_EQ(reader.run(id).status, RunStatus::complete);
    test::expect_session_energy_matches_series(reader, id);
    test::expect_soc_within_bounds(reader, id);
    test::expect_bill_matches_series(reader, id, *load_scenario(scenario).tariff);
    EXPECT_TRUE(reader.violations(id).empty()) << strategy << " recorded violations";
    const std::vector<SiteRow> rows = reader.site_series(id);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_NEAR(rows[i].s.grid_kw, rows[i].s.ev_kw + rows[i].s.ess_kw, kEnergyTol) << strategy;
        if (i + 1 < rows.size()) {
            const double stored_kwh = rows[i].s.ess_kw * (rows[i + 1].t - rows[i].t).hours_f();
            EXPECT_NEAR((rows[i + 1].s.ess_soc - rows[i].s.ess_soc) * kCapacityKwh, stored_kwh, kEnergyTol)
                << strategy;
        }
    }
    std::map<std::string, double> kpis;
    for (const Kpi& k : reader.kpis(id)) kpis[k.name] = k.value;
    return kpis;
}

TEST(EssRatingsRun, ABatteryThatCannotDischargeStaysIdle) {
    const auto scenario = write_scenario("no-discharge", 0.0);
    for (const std::string strategy : {"edf", "mpc", "offline_optimal"}) {
        const auto k = run_checked(scenario, strategy);
        ASSERT_FALSE(k.empty()) << strategy;
        EXPECT_NEAR(k.at("energy_delivered"), 5.0, kEnergyTol) << strategy;
        EXPECT_NEAR(k.at("ess_throughput"), 0.0, kEnergyTol) << strategy;
        EXPECT_NEAR(k.at("grid_import"), 5.0, kEnergyTol) << strategy;
        EXPECT_NEAR(k.at("energy_cost"), 1.50, kCostTol) << strategy;
    }
}

TEST(EssRatingsRun, DischargeIsPlannedAtItsOwnRating) {
    const auto scenario = write_scenario("half-discharge", 2.5);
    const auto edf = run_checked(scenario, "edf");
    ASSERT_FALSE(edf.empty());
    EXPECT_NEAR(edf.at("energy_cost"), 1.50, kCostTol);
    for (const std::string strategy : {"mpc", "offline_optimal"}) {
        const auto k = run_checked(scenario, strategy);
        ASSERT_FALSE(k.empty()) << strategy;
        EXPECT_NEAR(k.at("energy_delivered"), 5.0, kEnergyTol) << strategy;
        EXPECT_NEAR(k.at("ess_throughput"), 2.5 + 2.5, kEnergyTol) << strategy;  // in, then out
        EXPECT_NEAR(k.at("grid_import"), 2.5 + 2.5, kEnergyTol) << strategy;
        EXPECT_NEAR(k.at("energy_cost"), 1.00, kCostTol) << strategy;
    }
}

}  // namespace
}  // namespace evtwin
