#include "kpi/kpis.hpp"

#include "record/reader/run_reader.hpp"
#include "record/tiny_run.hpp"
#include "record/writer/sqlite_run_writer.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace evtwin {
namespace {

using test::at_h;

std::map<std::string, Kpi> by_name(const std::vector<Kpi>& kpis) {
    std::map<std::string, Kpi> m;
    for (const auto& k : kpis) m[k.name] = k;
    return m;
}

struct TinyKpis : ::testing::Test {
    void write(double stop_at_h = -1.0) {
        file = test::temp_dir("kpi-tiny") / "run.db";
        spec = test::tiny_spec();
        SqliteRunWriter writer(file);
        test::write_tiny_run(writer, spec, stop_at_h);
    }
    std::filesystem::path file;
    ScenarioSpec spec;
};

// The tiny run (tests/record/tiny_run.hpp), hour by hour. Tariff: import 0.10 before 02:00 and
// 0.30 after, export 0.05, demand 1.0 per kW of the highest hourly average import.
//   00:00-00:30  grid  2 kW (load 2)                         import 1 kWh
//   00:30-01:00  grid 12 kW (EV A 10 + load 2)               import 6 kWh
//   01:00-02:00  grid 32 kW (EV A 10 + EV B 20 + load 2)     import 32 kWh
//   02:00-03:00  grid 10 kW (A -5, B 20, load 2, ESS -3, PV 4; 1 kW PV curtailed)  import 10 kWh
//   03:00-04:00  grid -2 kW (load 2, ESS +2, PV 6)           export 2 kWh
TEST_F(TinyKpis, MatchHandComputedValues) {
    write();
    RunReader reader(file);
    const auto k = by_name(compute_kpis(reader, 1, *spec.tariff, spec.economics));
    const double eps = 1e-9;
    // Energy cost: (1 + 6 + 32) kWh x 0.10 + 10 kWh x 0.30 = 3.9 + 3.0 = 6.9
    EXPECT_NEAR(k.at("energy_cost").value, 6.9, eps);
    EXPECT_EQ(k.at("energy_cost").unit, "EUR");
    // Hourly averages 7, 32, 10, 0 kW: peak 32 kW x 1.0 = 32
    EXPECT_NEAR(k.at("demand_charge").value, 32.0, eps);
    // Export: 2 kWh x 0.05 = 0.10
    EXPECT_NEAR(k.at("export_revenue").value, 0.10, eps);
    EXPECT_NEAR(k.at("grid_import").value, 49.0, eps);
    EXPECT_NEAR(k.at("grid_export").value, 2.0, eps);
    EXPECT_NEAR(k.at("peak_import").value, 32.0, eps);
    // Delivered 10 + 40 + 0 = 50 kWh at 0.40 = 20
    EXPECT_NEAR(k.at("charging_revenue").value, 20.0, eps);
    // V2G: A feeds 5 kW from 02:00 to 03:00 = 5 kWh at import price 0.30, factor 0.8: 1.2
    EXPECT_NEAR(k.at("v2g_grid_energy").value, 5.0, eps);
    EXPECT_NEAR(k.at("v2g_revenue").value, 1.2, eps);
    // EV wear: 5 kWh discharged x 0.05 = 0.25; ESS wear: (3 out + 2 in) kWh x 0.02 = 0.10
    EXPECT_NEAR(k.at("ev_v2g_throughput").value, 5.0, eps);
    EXPECT_NEAR(k.at("ev_degradation_cost").value, 0.25, eps);
    EXPECT_NEAR(k.at("ess_throughput").value, 5.0, eps);
    EXPECT_NEAR(k.at("ess_degradation_cost").value, 0.10, eps);
    // Profit: 20 + 0.10 - 6.9 - 32 - 1.2 - 0.25 - 0.10 = -20.35
    EXPECT_NEAR(k.at("cpo_profit").value, -20.35, eps);
    // Cycles: stored in 2 x 0.9 = 1.8, stored out 3 / 0.9 = 3.333..; (1.8 + 3.333..) / (2 x 10)
    EXPECT_NEAR(k.at("ess_equivalent_cycles").value, (1.8 + 3.0 / 0.9) / 20.0, eps);
    // Sessions: 1 (20 asked, 10 got), 2 (40 asked, 40 got), 3 (rejected, 10 asked)
    EXPECT_EQ(k.at("sessions").value, 3.0);
    EXPECT_EQ(k.at("sessions_rejected").value, 1.0);
    EXPECT_NEAR(k.at("sessions_fully_served").value, 100.0 / 3.0, eps);
    // Feasible: session 1 could get min(20, 60 x 0.6, 11 kW x 2.5 h) = 20 (got 10: not served),
    // session 2 min(40, 80 x 0.7, 22 kW x 2.5 h) = 40 (served): 1 of 2 connected sessions
    EXPECT_NEAR(k.at("sessions_fully_served_feasible").value, 50.0, eps);
    EXPECT_NEAR(k.at("energy_requested").value, 70.0, eps);
    EXPECT_NEAR(k.at("energy_delivered").value, 50.0, eps);
    EXPECT_NEAR(k.at("energy_served").value, 100.0 * 50.0 / 70.0, eps);
    EXPECT_NEAR(k.at("unmet_energy").value, 20.0, eps);
    // Of the 20 + 40 kWh feasible, 10 + 40 were delivered
    EXPECT_NEAR(k.at("energy_served_feasible").value, 100.0 * 50.0 / 60.0, eps);
    // EV2Gym's satisfaction, energy held over energy wanted at departure: session 1 holds
    // 24 + 10 of 24 + 20 kWh, session 2 all it wanted, session 3 (rejected) 20 of 20 + 10 kWh
    EXPECT_NEAR(k.at("user_satisfaction").value, 100.0 * (34.0 / 44.0 + 1.0 + 20.0 / 30.0) / 3.0, eps);
    EXPECT_EQ(k.at("user_satisfaction").unit, "%");
    // One violation: 25 kW asked, 20 applied at 01:00; the next decision is at 02:00: 5 kWh
    EXPECT_EQ(k.at("limit_violations").value, 1.0);
    EXPECT_NEAR(k.at("clipped_energy").value, 5.0, eps);
    // PV: 4 kWh + 6 kWh = 10 produced, 1 curtailed; 2 kWh of the 6 exported: 8 used on site = 80 %
    EXPECT_NEAR(k.at("pv_energy").value, 10.0, eps);
    EXPECT_NEAR(k.at("pv_curtailed").value, 1.0, eps);
    EXPECT_NEAR(k.at("pv_self_consumption").value, 80.0, eps);
    // Decision times 1, 3, 2, 6, 4 ms: mean 3.2, max 6; both wall-clock
    EXPECT_NEAR(k.at("decision_time_mean").value, 3.2, eps);
    EXPECT_NEAR(k.at("decision_time_max").value, 6.0, eps);
    EXPECT_FALSE(k.at("decision_time_mean").reproducible);
    EXPECT_TRUE(k.at("cpo_profit").reproducible);
}

// What the site wants of its battery at the end. The tiny run's ESS (10 kWh, SoC 0.5, 0.9 each way)
// gives 3 kW from 02:00 to 03:00 (3 / 0.9 kWh out of store) and takes 2 kW from 03:00 to the end at
// 04:00 (2 × 0.9 kWh into it): it ends with 5 − 3.333 + 1.8 = 3.467 kWh. At 0.5 per kWh stored it
// lost 0.5 × (3.467 − 5) = −0.767 of value; with SoC 0.6 wanted it ends 6 − 3.467 = 2.533 kWh short.
TEST_F(TinyKpis, WhatTheSiteWantsOfItsBatteryAtTheEndIsCounted) {
    file = test::temp_dir("kpi-tiny-ess-end") / "run.db";
    spec = test::tiny_spec();
    spec.ess[0].end_value_per_kwh = 0.5;
    spec.ess[0].end_soc = 0.6;
    {
        SqliteRunWriter writer(file);
        test::write_tiny_run(writer, spec);
    }
    RunReader reader(file);
    EXPECT_EQ(reader.site(1).ess.at(0).end_soc, 0.6);
    const auto k = by_name(compute_kpis(reader, 1, *spec.tariff, spec.economics));
    const double stored_kwh = 5.0 - 3.0 / 0.9 + 2.0 * 0.9;
    EXPECT_NEAR(k.at("ess_end_value").value, 0.5 * (stored_kwh - 5.0), 1e-9);
    EXPECT_EQ(k.at("ess_end_value").unit, "EUR");
    EXPECT_NEAR(k.at("ess_end_short").value, 6.0 - stored_kwh, 1e-9);
    // Without a wish, neither KPI.
    write();
    EXPECT_EQ(by_name(compute_kpis(RunReader(file), 1, *spec.tariff, spec.economics)).count("ess_end_value"),
              0u);
}

TEST_F(TinyKpis, InterruptedRunCountsOnlyWhatWasSimulated) {
    write(1.75);
    RunReader reader(file);
    const auto k = by_name(compute_kpis(reader, 1, *spec.tariff, spec.economics));
    // Up to 01:45: 1 + 6 + 32 x 0.75 = 31 kWh, all at 0.10
    EXPECT_NEAR(k.at("grid_import").value, 31.0, 1e-9);
    EXPECT_NEAR(k.at("energy_cost").value, 3.1, 1e-9);
    // Only the rejected session has ended.
    EXPECT_EQ(k.at("sessions").value, 1.0);
    EXPECT_EQ(k.at("sessions_rejected").value, 1.0);
    EXPECT_TRUE(std::isnan(k.at("sessions_fully_served_feasible").value));  // no connected session
    EXPECT_TRUE(std::isnan(k.at("energy_served_feasible").value));
    EXPECT_NEAR(k.at("user_satisfaction").value, 100.0 * 20.0 / 30.0, 1e-9);  // the rejected one only
    // The clipped decision at 01:00 stood until the run stopped: 5 kW x 0.75 h
    EXPECT_NEAR(k.at("clipped_energy").value, 3.75, 1e-9);
    EXPECT_TRUE(std::isnan(k.at("pv_self_consumption").value));  // no PV produced yet
}

TEST_F(TinyKpis, EconomicsChangeOnlyTheMoney) {
    write();
    RunReader reader(file);
    Economics free_charging = spec.economics;
    free_charging.charging_price_per_kwh = 0.0;
    free_charging.v2g_price_factor = 1.0;
    const auto k = by_name(compute_kpis(reader, 1, *spec.tariff, free_charging));
    EXPECT_NEAR(k.at("charging_revenue").value, 0.0, 1e-12);
    EXPECT_NEAR(k.at("v2g_revenue").value, 1.5, 1e-9);  // 5 kWh x 0.30 x 1.0
    // 0 + 0.10 - 6.9 - 32 - 1.5 - 0.25 - 0.10
    EXPECT_NEAR(k.at("cpo_profit").value, -40.65, 1e-9);
    EXPECT_NEAR(k.at("energy_delivered").value, 50.0, 1e-9);
}

TEST_F(TinyKpis, StoredAndReadBackInOrder) {
    write();
    std::vector<Kpi> kpis;
    {
        RunReader reader(file);
        kpis = compute_kpis(reader, 1, *spec.tariff, spec.economics);
    }
    store_kpis(file, 1, kpis);
    store_kpis(file, 1, kpis);  // storing again replaces
    RunReader reader(file);
    const auto stored = reader.kpis(1);
    ASSERT_EQ(stored.size(), kpis.size());
    for (std::size_t i = 0; i < kpis.size(); ++i) {
        EXPECT_EQ(stored[i].name, kpis[i].name);  // reproducible first, then wall-clock: already so
        EXPECT_EQ(stored[i].unit, kpis[i].unit);
        EXPECT_EQ(stored[i].reproducible, kpis[i].reproducible);
        if (std::isnan(kpis[i].value))
            EXPECT_TRUE(std::isnan(stored[i].value));
        else
            EXPECT_EQ(stored[i].value, kpis[i].value);
    }
    // The reproducible KPIs are part of the results dump, the wall-clock ones are not.
    const std::string dump = reader.results_dump(1);
    EXPECT_NE(dump.find("\"cpo_profit\""), std::string::npos);
    EXPECT_EQ(dump.find("decision_time"), std::string::npos);
    EXPECT_THROW(store_kpis(file, 2, kpis), ResultsError);
    EXPECT_THROW(store_kpis(file.parent_path() / "missing.db", 1, kpis), ResultsError);
}

TEST(Kpis, TwoIdenticalRunsGiveIdenticalStoredResults) {
    std::string dumps[2];
    for (int i = 0; i < 2; ++i) {
        const auto file = test::temp_dir("kpi-repro-" + std::to_string(i)) / "run.db";
        const ScenarioSpec spec = test::tiny_spec();
        {
            SqliteRunWriter writer(file);
            test::write_tiny_run(writer, spec);
        }
        store_kpis(file, 1, compute_kpis(RunReader(file), 1, *spec.tariff, spec.economics));
        dumps[i] = RunReader(file).results_dump(1);
    }
    EXPECT_EQ(dumps[0], dumps[1]);
}

}  // namespace
}  // namespace evtwin
