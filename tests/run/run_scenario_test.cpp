// The engine's run (evtwin/run.hpp) and the columnar results reader (evtwin/results.hpp), as the
// Python module and other SDK programs use them.
#include <evtwin/plugin.hpp>
#include <evtwin/results.hpp>
#include <evtwin/run.hpp>

#include "kpi/battery_grades.hpp"
#include "kpi/kpis.hpp"
#include "record/reader/run_reader.hpp"
#include "scenario/scenario_impl.hpp"

#include "support/test_site.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace evtwin {
namespace {

// Two 11 kW chargers under a 16 kW transformer (no export limit), three sessions.
ScenarioSpec small_spec() {
    ScenarioSpec spec = test::small_site(2, 11.0, 16.0);
    spec.source_file = "small.lua";
    spec.nodes[1].export_limit_kw = kUnlimited;  // stored as NULL
    spec.sessions = {test::session(0, 1.0, 5.0, 20.0), test::session(1, 2.0, 4.0, 15.0),
                     test::session(2, 6.0, 9.0, 30.0)};
    return spec;
}

Scenario small_scenario() {
    return scenario_of(small_spec());
}

// Charges every plugged vehicle at `kw`, whatever the limits: the engine clips what breaks them.
class Fixed final : public Strategy {
public:
    explicit Fixed(double kw) : kw_(kw) {}
    void decide(const Observation& o, Decision& d) override {
        ++decisions;
        for (const SessionView& s : o.sessions) d.connector_kw[s.connector] = kw_;
    }
    int decisions = 0;

private:
    double kw_;
};

class Failing final : public Strategy {
public:
    void decide(const Observation&, Decision&) override { throw std::runtime_error("no idea"); }
};

class FailingForecaster final : public Forecaster {
public:
    FailingForecaster(ForecastTarget, const ForecasterOptions&) {}
    ForecastNeeds needs() const override { return {Duration::hours(1), 24, 0}; }
    void forecast(const ForecastInput&, ForecastOutput&) override {
        throw ForecasterError("no forecast today");
    }
};
EVTWIN_FORECASTER_DESCRIPTOR_FOR(FailingForecaster, "failing_for_test", "1.0.0")
const detail::StaticForecasterRegistrar register_failing(&evtwin_forecaster_descriptor_FailingForecaster);

double kpi(const RunOutcome& r, const std::string& name) {
    for (const Kpi& k : r.kpis)
        if (k.name == name) return k.value;
    ADD_FAILURE() << "no KPI " << name;
    return NAN;
}

TEST(RunScenario, RunsAPluginByNameIntoTheDatabaseAndStoresItsKpis) {
    const auto db = test::temp_dir("run_scenario_plugin") / "runs.db";
    RunOptions options;
    options.strategy = "edf";
    options.db = db;
    const RunOutcome a = run_scenario(small_scenario(), options);
    const RunOutcome b = run_scenario(small_scenario(), options);
    EXPECT_EQ(a.run_id, 1);
    EXPECT_EQ(b.run_id, 2) << "a second run is added to the file";
    EXPECT_EQ(a.strategy_name, "edf");
    EXPECT_GT(a.decisions, 0u);
    EXPECT_FALSE(a.interrupted);
    EXPECT_EQ(kpi(a, "limit_violations"), 0.0);
    const Results results(db);
    EXPECT_EQ(results.run_ids(), (std::vector<RunId>{1, 2}));
    EXPECT_EQ(results.results_dump(1), results.results_dump(2)) << "same scenario, same strategy: same rows";
    const std::vector<Kpi> stored = results.kpis(1);
    ASSERT_EQ(stored.size(), a.kpis.size());
    for (std::size_t i = 0; i < stored.size(); ++i) EXPECT_EQ(stored[i].name, a.kpis[i].name);
    // The decision times the run summed are those its file holds.
    const RunReader reader(db);
    double sum = 0.0, max = 0.0;
    for (const auto& d : reader.decision_times(1)) {
        sum += d.seconds;
        max = std::max(max, d.seconds);
    }
    EXPECT_EQ(reader.decision_times(1).size(), a.decisions);
    EXPECT_NEAR(kpi(a, "decision_time_mean"), 1000.0 * sum / static_cast<double>(a.decisions), 1e-12);
    EXPECT_EQ(kpi(a, "decision_time_max"), 1000.0 * max);
}

TEST(RunScenario, AStrategyObjectGetsTheEnginesChecksAndIsRecordedUnderItsName) {
    const auto db = test::temp_dir("run_scenario_object") / "runs.db";
    Fixed greedy(11.0);  // two vehicles at 11 kW under a 16 kW transformer: clipped
    RunOptions options;
    options.strategy = "fixed";
    options.strategy_object = &greedy;
    options.strategy_version = "2.1";
    options.db = db;
    const RunOutcome r = run_scenario(small_scenario(), options);
    EXPECT_GT(greedy.decisions, 0);
    EXPECT_EQ(static_cast<std::uint64_t>(greedy.decisions), r.decisions);
    EXPECT_GT(r.violations, 0u) << "the transformer limit was enforced";
    EXPECT_GT(kpi(r, "limit_violations"), 0.0);
    const RunRecord run = RunReader(db).run(r.run_id);
    EXPECT_EQ(run.info.strategy_name, "fixed");
    EXPECT_EQ(run.info.strategy_version, "2.1");
    EXPECT_EQ(run.info.scenario_file, "small.lua");
}

TEST(RunScenario, RefusedAndFailingPluginsArePluginErrorsNamingThem) {
    const auto db = test::temp_dir("run_scenario_errors") / "runs.db";
    RunOptions options;
    options.db = db;
    options.strategy = "no_such_strategy";
    EXPECT_NE(test::error_of<PluginError>([&] {
                  run_scenario(small_scenario(), options);
              }).find("no_such_strategy"),
              std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(db)) << "nothing written for a refused strategy";
    Failing failing;
    options.strategy = "failing";
    options.strategy_object = &failing;
    try {
        run_scenario(small_scenario(), options);
        FAIL() << "a failing strategy was accepted";
    } catch (const PluginError& e) {
        EXPECT_NE(std::string(e.what()).find("strategy 'failing' failed: no idea"), std::string::npos)
            << e.what();
    }
    // A forecaster that fails in the run is named, not the strategy that asked for its forecast.
    ScenarioSpec spec = small_spec();
    spec.forecast_horizon = Duration::hours(6);
    spec.forecast.pv.name = "failing_for_test";
    Fixed fixed(11.0);
    options.strategy = "fixed";
    options.strategy_object = &fixed;
    EXPECT_EQ(test::error_of<PluginError>([&] { run_scenario(scenario_of(spec), options); }),
              "forecaster 'failing_for_test' failed: no forecast today");
}

TEST(RunScenario, ALuaScenarioRunsAtTheSeedAsked) {
    const auto db = test::temp_dir("run_scenario_lua") / "runs.db";
    const Scenario scenario = Scenario::load(test::source_file("scenarios/quickstart.lua"));
    RunOptions options;
    options.strategy = "uncontrolled";
    options.db = db;
    options.seed = 3;
    const RunOutcome r = run_scenario(scenario, options);
    EXPECT_EQ(r.seed, 3u);
    EXPECT_EQ(RunReader(db).run(r.run_id).info.seed, 3u);
}

// The run's KPIs and grades are gathered as it is written; the file must give the same.
void expect_what_the_file_gives(const RunOutcome& r, const ScenarioSpec& spec) {
    const RunReader reader(r.db);
    const std::vector<Kpi> from_file = compute_kpis(reader, r.run_id, *spec.tariff, spec.economics);
    ASSERT_EQ(r.kpis.size(), from_file.size());
    for (std::size_t i = 0; i < from_file.size(); ++i) {
        if (!from_file[i].reproducible) continue;
        const double a = r.kpis[i].value, b = from_file[i].value;
        EXPECT_TRUE((std::isnan(a) && std::isnan(b)) ||
                    std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b))
            << from_file[i].name << ": run " << a << ", file " << b;
    }
    const auto stored = reader.battery_grades(r.run_id);
    const auto graded = grade_run_batteries(reader, r.run_id);
    ASSERT_EQ(stored.size(), graded.size());
    for (std::size_t i = 0; i < graded.size(); ++i) {
        EXPECT_EQ(stored[i].battery, graded[i].usage.battery);
        EXPECT_EQ(stored[i].score, graded[i].grade.score);
    }
}

TEST(RunScenario, ItsKpisAndBatteryGradesAreThoseItsFileGives) {
    const auto dir = test::temp_dir("run_scenario_kpis");
    RunOptions options;
    Fixed greedy(11.0);  // clipped by the transformer
    options.strategy = "fixed";
    options.strategy_object = &greedy;
    options.db = dir / "clipped.db";
    const Scenario small = small_scenario();
    const RunOutcome clipped = run_scenario(small, options);
    // A clipped decision stands one control period at most: the next tick decides again.
    double clipped_kw = 0.0;
    for (const ViolationRow& v : RunReader(clipped.db).violations(clipped.run_id))
        clipped_kw += v.v.requested_kw - v.v.applied_kw;
    EXPECT_GT(kpi(clipped, "clipped_energy"), 0.0);
    EXPECT_LE(kpi(clipped, "clipped_energy"),
              clipped_kw * small.impl().loaded.control_period.hours_f() + 1e-9);
    expect_what_the_file_gives(clipped, small.impl().loaded);

    // EV2Gym's V2G case: fleet vehicles that feed energy back, and their battery grades.
    const Scenario v2g = Scenario::load(test::source_file("scenarios/v2g_ev2gym.lua"));
    options = {};
    options.db = dir / "v2g.db";
    const RunOutcome fed = run_scenario(v2g, options);
    EXPECT_GT(kpi(fed, "v2g_grid_energy"), 0.0);
    EXPECT_FALSE(RunReader(fed.db).battery_grades(fed.run_id).empty());
    expect_what_the_file_gives(fed, v2g.impl().loaded);
}

TEST(Results, TablesAreTheReadersValuesAsColumns) {
    const auto db = test::temp_dir("results_columns") / "runs.db";
    RunOptions options;
    options.strategy = "edf";
    options.db = db;
    const RunOutcome r = run_scenario(small_scenario(), options);
    const Results results(db);
    const RunReader reader(db);

    const ResultTable sessions = results.table("sessions", r.run_id);
    const std::vector<SessionRecord> expected = reader.sessions(r.run_id);
    ASSERT_EQ(sessions.rows, expected.size());
    const auto column = [](const ResultTable& t, const std::string& name) -> const ResultColumn& {
        for (const ResultColumn& c : t.columns)
            if (c.name == name) return c;
        throw std::runtime_error("no column " + name);
    };
    EXPECT_THROW(column(sessions, "run_id"), std::runtime_error) << "filtered by run: no run_id column";
    const ResultColumn& delivered = column(sessions, "delivered_kwh");
    const ResultColumn& arrival = column(sessions, "arrival_ms");
    ASSERT_EQ(delivered.type, ResultColumn::Type::real);
    ASSERT_EQ(arrival.type, ResultColumn::Type::integer);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(delivered.reals[i], expected[i].delivered_kwh);
        EXPECT_EQ(arrival.integers[i], expected[i].arrival.ms());
    }
    // NULL in a limit column is unlimited; NULL in an index column is flagged.
    const ResultTable nodes = results.table("nodes", r.run_id);
    const ResultColumn& parent = column(nodes, "parent");
    EXPECT_EQ(parent.null[0], 1) << "the grid connection has no parent";
    EXPECT_EQ(parent.null[1], 0);
    const ResultColumn& import_limit = column(nodes, "import_limit_kw");
    EXPECT_EQ(import_limit.reals[1], 16.0);
    const SiteTree tree = reader.site(r.run_id);
    for (std::size_t i = 0; i < tree.nodes.size(); ++i)
        EXPECT_EQ(import_limit.reals[i], tree.nodes[i].import_limit_kw);
    EXPECT_TRUE(std::isinf(column(nodes, "export_limit_kw").reals[1])) << "the transformer's export limit";
    EXPECT_EQ(column(nodes, "export_limit_kw").null[1], 1);

    const ResultTable all_runs = results.table("runs");
    EXPECT_EQ(all_runs.rows, 1u);
    EXPECT_EQ(column(all_runs, "strategy_name").texts[0], "edf");
    EXPECT_NE(std::find(results.tables().begin(), results.tables().end(), "tariff_prices"),
              results.tables().end());
    EXPECT_THROW(results.table("no_such_table"), ResultsError);
    EXPECT_THROW(results.table("sessions; DROP TABLE runs"), ResultsError);
    EXPECT_THROW(results.table("sessions", 99), ResultsError);
    EXPECT_THROW(Results(test::temp_dir("results_columns") / "missing.db"), ResultsError);
}

}  // namespace
}  // namespace evtwin
