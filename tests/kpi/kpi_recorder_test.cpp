// The figures a run's KPIs and battery grades come from, gathered as the run is written
// (KpiRecorder), against the same computed from the file afterwards (compute_kpis).
#include "kpi/kpi_recorder.hpp"

#include "kpi/battery_grades.hpp"
#include "kpi/kpis.hpp"
#include "record/health_run.hpp"
#include "record/reader/run_reader.hpp"
#include "record/tiny_run.hpp"
#include "record/writer/sqlite_run_writer.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace evtwin {
namespace {

void expect_same_bits(const std::vector<Kpi>& gathered, const std::vector<Kpi>& read_back) {
    ASSERT_EQ(gathered.size(), read_back.size());
    for (std::size_t i = 0; i < gathered.size(); ++i) {
        const Kpi& a = gathered[i];
        const Kpi& b = read_back[i];
        EXPECT_EQ(a.name, b.name);
        EXPECT_EQ(a.unit, b.unit);
        if (!a.reproducible) continue;  // wall-clock: the caller's figures against SQLite's average
        if (std::isnan(a.value) && std::isnan(b.value)) continue;
        EXPECT_EQ(std::bit_cast<std::uint64_t>(a.value), std::bit_cast<std::uint64_t>(b.value))
            << a.name << ": gathered " << a.value << ", read back " << b.value;
    }
}

// The tiny run with fleet batteries (tests/record/health_run.hpp): grid import and export, PV, an
// ESS, a vehicle feeding energy back, a clipped decision and a rejected session.
// Returns the KPIs gathered.
std::vector<Kpi> check_tiny_run(double stop_at_h) {
    const auto file = test::temp_dir("kpi-recorder") / "run.db";
    const ScenarioSpec spec = test::tiny_spec();
    std::vector<Kpi> gathered;
    std::vector<GradedBattery> graded;
    {
        SqliteRunWriter writer(file);
        KpiRecorder recorder(writer);
        test::HealthSink fleet(recorder);
        test::write_tiny_run(fleet, spec, stop_at_h);
        gathered = recorder.totals().kpis(recorder.end(), *spec.tariff, spec.economics, {});
        graded = grade_batteries(recorder.totals().batteries(), recorder.end());
    }
    const RunReader reader(file);
    expect_same_bits(gathered, compute_kpis(reader, 1, *spec.tariff, spec.economics));

    const std::vector<GradedBattery> from_file = grade_run_batteries(reader, 1);
    EXPECT_EQ(graded.size(), from_file.size());
    for (std::size_t i = 0; i < std::min(graded.size(), from_file.size()); ++i) {
        EXPECT_EQ(graded[i].usage.battery, from_file[i].usage.battery);
        EXPECT_EQ(graded[i].grade.score, from_file[i].grade.score);
        EXPECT_EQ(graded[i].grade.grade, from_file[i].grade.grade);
    }
    return gathered;
}

TEST(KpiRecorder, GathersWhatTheFileGivesToTheLastBit) {
    const std::vector<Kpi> k = check_tiny_run(-1.0);
    // Every kind of figure is there to compare.
    for (const char* name :
         {"v2g_grid_energy", "clipped_energy", "pv_energy", "ess_throughput", "grid_export",
          "ev_degradation_cost", "ess_degradation_cost", "sessions_rejected"}) {
        bool positive = false;
        for (const Kpi& kpi : k) positive |= kpi.name == name && kpi.value > 0.0;
        EXPECT_TRUE(positive) << name;
    }
}

TEST(KpiRecorder, GathersWhatTheFileGivesForAnInterruptedRun) {
    for (const double stop_at_h : {1.25, 1.75, 2.5}) {
        SCOPED_TRACE(stop_at_h);
        check_tiny_run(stop_at_h);
    }
}

// A tariff whose prices cannot be had: the KPIs cannot be worked out.
class PricelessTariff final : public Tariff {
public:
    std::string name() const override { return "priceless"; }
    std::string currency() const override { return "EUR"; }
    double import_price(Time) const override { throw std::runtime_error("no import price"); }
    double export_price(Time) const override { throw std::runtime_error("no export price"); }
    Time next_change(Time) const override { return Time::max(); }
    double demand_charge_per_kw(Time) const override { return 0.0; }
    BillingPeriod billing_period(Time) const override { return {Time::min(), Time::max()}; }
    Duration demand_interval() const override { return Duration::minutes(15); }
};

TEST(KpiRecorder, KpisThatCannotBeWorkedOutFailTheRunNamingIt) {
    const auto file = test::temp_dir("kpi-recorder-fails") / "run.db";
    const ScenarioSpec spec = test::tiny_spec();
    const PricelessTariff priceless;
    {
        WriterOptions options;
        options.write_behind = true;
        SqliteRunWriter writer(file, options);
        KpiRecorder recorder(writer);
        recorder.store_at_end(writer, priceless, spec.economics);
        const std::string message =
            test::error_of<ResultsError>([&] { test::write_tiny_run(recorder, spec); });
        EXPECT_NE(message.find("run 1's KPIs: no import price"), std::string::npos) << message;
    }
    EXPECT_EQ(RunReader(file).run(1).status, RunStatus::failed);
}

TEST(KpiRecorder, HasNoTotalsBeforeTheRunBegins) {
    SqliteRunWriter writer(test::temp_dir("kpi-recorder-early") / "run.db");
    const KpiRecorder recorder(writer);
    EXPECT_THROW(recorder.totals(), std::logic_error);
}

}  // namespace
}  // namespace evtwin
