// End to end: `evtwin run scenarios/quickstart.lua` under every baseline strategy, checked from the
// results database for the physical invariants, the bill, and reproducibility.
#include "golden/invariants.hpp"
#include "scenario/scenario_loader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace evtwin {
namespace {

struct QuickstartRun {
    std::filesystem::path db;
    int exit_code = -1;
    std::string output;
};

class Quickstart : public ::testing::TestWithParam<std::string> {
protected:
    static std::filesystem::path dir() {
        static const std::filesystem::path d = test::temp_dir("quickstart");
        return d;
    }

    // Runs each (strategy, seed, tag) once and keeps the database for every test that needs it.
    static const QuickstartRun& run(const std::string& strategy, int seed = 1, const std::string& tag = "a") {
        static std::map<std::string, QuickstartRun> runs;
        const std::string key = strategy + "-" + std::to_string(seed) + "-" + tag;
        auto it = runs.find(key);
        if (it != runs.end()) return it->second;
        QuickstartRun r;
        r.db = dir() / (key + ".db");
        const auto result =
            test::run_command(test::evtwin_binary().string() + " run " +
                              test::source_file("scenarios/quickstart.lua").string() + " --strategy " +
                              strategy + " --seed " + std::to_string(seed) + " --db " + r.db.string());
        r.exit_code = result.exit_code;
        r.output = result.output;
        return runs.emplace(key, r).first->second;
    }

    static ScenarioSpec spec() { return load_scenario(test::source_file("scenarios/quickstart.lua")); }
};

TEST_P(Quickstart, RunsAndPrintsItsKpis) {
    const QuickstartRun& r = run(GetParam());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("energy_cost"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("peak_import"), std::string::npos) << r.output;
}

TEST_P(Quickstart, KeepsThePhysicalInvariants) {
    const QuickstartRun& r = run(GetParam());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const RunReader reader(r.db);
    const RunId id = reader.latest_run();
    test::expect_session_energy_matches_series(reader, id);
    test::expect_node_limits_hold(reader, id);
    test::expect_soc_within_bounds(reader, id);
}

TEST_P(Quickstart, BillEqualsPowerTimesPriceOverTheStoredSeries) {
    const QuickstartRun& r = run(GetParam());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const RunReader reader(r.db);
    test::expect_bill_matches_series(reader, reader.latest_run(), *spec().tariff);
}

TEST_P(Quickstart, BaselinesRecordNoViolation) {
    const QuickstartRun& r = run(GetParam());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const RunReader reader(r.db);
    const auto violations = reader.violations(reader.latest_run());
    EXPECT_TRUE(violations.empty()) << violations.size()
                                    << " violations, first: " << violations.front().v.kind;
}

TEST_P(Quickstart, SameSeedGivesIdenticalResultsTables) {
    const QuickstartRun& a = run(GetParam(), 1, "a");
    const QuickstartRun& b = run(GetParam(), 1, "b");
    ASSERT_EQ(a.exit_code, 0) << a.output;
    ASSERT_EQ(b.exit_code, 0) << b.output;
    const RunReader ra(a.db), rb(b.db);
    const std::string dump = ra.results_dump(ra.latest_run());
    EXPECT_GT(dump.size(), 10'000u);
    EXPECT_EQ(dump, rb.results_dump(rb.latest_run()));
}

INSTANTIATE_TEST_SUITE_P(Baselines, Quickstart,
                         ::testing::Values("uncontrolled", "fcfs", "round_robin", "edf", "llf"));

TEST(QuickstartSeeds, AnotherSeedGivesOtherArrivals) {
    ScenarioLoadOptions one, two;
    one.seed = 1;
    two.seed = 2;
    const ScenarioSpec a = load_scenario(test::source_file("scenarios/quickstart.lua"), one);
    const ScenarioSpec b = load_scenario(test::source_file("scenarios/quickstart.lua"), two);
    ASSERT_FALSE(a.sessions.empty());
    ASSERT_FALSE(b.sessions.empty());
    bool differ = a.sessions.size() != b.sessions.size();
    for (std::size_t i = 0; !differ && i < a.sessions.size(); ++i)
        differ = a.sessions[i].arrival != b.sessions[i].arrival;
    EXPECT_TRUE(differ);
}

}  // namespace
}  // namespace evtwin
