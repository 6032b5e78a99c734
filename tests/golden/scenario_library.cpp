#include "golden/scenario_library.hpp"

#include "golden/invariants.hpp"
#include "scenario/scenario_loader.hpp"
#include "support/test_support.hpp"

#include <algorithm>
#include <set>

namespace evtwin::test {

std::vector<std::string> shipped_scenarios(bool solver_bound) {
    const std::set<std::string> milp{"depot_two_batteries", "v2g_ev2gym", "v2g_kepco_peak"};
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(source_file("scenarios")))
        if (e.path().extension() == ".lua" &&
            milp.count(e.path().stem().string()) == (solver_bound ? 1u : 0u))
            names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

TEST_P(ScenarioLibrary, RunsAndKeepsThePhysicalInvariants) {
    const auto file = source_file("scenarios/" + GetParam() + ".lua");
    const auto db = temp_dir("library-" + GetParam()) / "run.db";
    const auto r = run_command(evtwin_binary().string() + " run " + file.string() + " --db " + db.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const RunReader reader(db);
    const RunId id = reader.latest_run();
    EXPECT_EQ(reader.run(id).status, RunStatus::complete);
    EXPECT_FALSE(reader.sessions(id).empty());
    expect_session_energy_matches_series(reader, id);
    expect_node_limits_hold(reader, id);
    expect_soc_within_bounds(reader, id);
    expect_grid_permissions_hold(reader, id);
    expect_bill_matches_series(reader, id, *load_scenario(file).tariff);
    EXPECT_TRUE(reader.violations(id).empty()) << "the shipped strategies respect every limit";
}

}  // namespace evtwin::test
