// The scenario library's scenarios that a sanitizer build runs (golden/scenario_library.hpp), and
// the detailed Caltech variant.
#include "golden/scenario_library.hpp"
#include "golden/invariants.hpp"
#include "scenario/scenario_loader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace evtwin::test {

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioLibrary, ::testing::ValuesIn(shipped_scenarios(false)),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// The scenarios named as solver-bound are exactly those whose own strategy solves a MILP.
TEST(ScenarioLibraryPartition, NamesTheScenariosWhoseStrategySolvesAMilp) {
    const std::set<std::string> milp{"mpc", "offline_optimal", "day_ahead", "v2g_profit_max"};
    const std::vector<std::string> named = shipped_scenarios(true);
    for (const bool solver_bound : {true, false})
        for (const std::string& name : shipped_scenarios(solver_bound))
            EXPECT_EQ(milp.count(load_scenario(source_file("scenarios/" + name + ".lua")).strategy) == 1,
                      solver_bound)
                << name;
    EXPECT_FALSE(named.empty());
}

}  // namespace evtwin::test

namespace evtwin {
namespace {

// The detailed Caltech variant: real pilot sets, a tight transformer. Every connector power recorded
// is one of its charger's pilots, and the limits hold.
TEST(CaltechAcn, DetailedVariantDrawsOnlyRealPilots) {
    const auto file = test::source_file("scenarios/caltech_acn.lua");
    const auto db = test::temp_dir("caltech-detailed") / "run.db";
    const auto r = test::run_command(test::evtwin_binary().string() + " run " + file.string() +
                                     " -D variant=detailed -D cap_kw=50 --strategy llf --db " + db.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const RunReader reader(db);
    const RunId id = reader.latest_run();
    const SiteTree site = reader.site(id);
    ASSERT_EQ(site.connectors.size(), 54u);
    ASSERT_EQ(site.phase_constraints.size(), 8u);
    test::expect_session_energy_matches_series(reader, id);
    test::expect_node_limits_hold(reader, id);
    EXPECT_TRUE(reader.violations(id).empty());
    // A power off the pilot set is either the vehicle's own limit (ACN-Sim's batteries take 6.6 kW,
    // less than the 32 A pilot's 6.656 kW) or the average of the period in which the vehicle met its
    // request: one period later the connector then draws nothing, or that vehicle has left. The
    // scenario runs in ACN-compatible mode, where, as in acnportal, no pilot is above what the
    // vehicle still needs in the period: the second case never happens.
    const std::vector<ConnectorRow> rows = reader.connector_series(id);  // by connector, then time
    std::set<std::pair<ConnectorIndex, std::int64_t>> departures;
    for (const EventRow& e : reader.events(id))
        if (e.kind == EventKind::departure) departures.insert({e.connector, e.t.ms()});
    std::size_t on_pilots = 0, finishing = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ConnectorRow& row = rows[i];
        if (row.grid_kw <= 0.0) continue;
        const auto& pilots = site.connectors[row.connector].setpoints_kw;
        ASSERT_FALSE(pilots.empty());
        if (std::any_of(pilots.begin(), pilots.end(),
                        [&](double p) { return std::abs(p - row.grid_kw) < 1e-9; })) {
            ++on_pilots;
            continue;
        }
        if (std::abs(row.grid_kw - 6.6) < 1e-9) continue;
        ++finishing;
        ASSERT_LT(i + 1, rows.size());
        EXPECT_EQ(rows[i + 1].connector, row.connector);
        EXPECT_EQ(rows[i + 1].t - row.t, Duration::minutes(5)) << "connector " << row.connector;
        EXPECT_TRUE(rows[i + 1].grid_kw == 0.0 || departures.count({row.connector, rows[i + 1].t.ms()}))
            << "connector " << row.connector << " at " << row.t.ms();
    }
    EXPECT_GT(on_pilots, 1000u);
    EXPECT_EQ(finishing, 0u);
}

}  // namespace
}  // namespace evtwin
