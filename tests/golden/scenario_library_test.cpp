// Every scenario in scenarios/ runs as shipped (its own strategy) and keeps the physical invariants,
// the bill and the limits, checked from its results database.
#include "golden/invariants.hpp"
#include "scenario/scenario_loader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace evtwin {
namespace {

std::vector<std::string> library() {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(test::source_file("scenarios")))
        if (e.path().extension() == ".lua") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

class ScenarioLibrary : public ::testing::TestWithParam<std::string> {};

TEST_P(ScenarioLibrary, RunsAndKeepsThePhysicalInvariants) {
    const auto file = test::source_file("scenarios/" + GetParam() + ".lua");
    const auto db = test::temp_dir("library-" + GetParam()) / "run.db";
    const auto r = test::run_command(test::evtwin_binary().string() + " run " + file.string() + " --db " + db.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const RunReader reader(db);
    const RunId id = reader.latest_run();
    EXPECT_EQ(reader.run(id).status, RunStatus::complete);
    EXPECT_FALSE(reader.sessions(id).empty());
    test::expect_session_energy_matches_series(reader, id);
    test::expect_node_limits_hold(reader, id);
    test::expect_soc_within_bounds(reader, id);
    test::expect_bill_matches_series(reader, id, *load_scenario(file).tariff);
    EXPECT_TRUE(reader.violations(id).empty()) << "the shipped strategies respect every limit";
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioLibrary, ::testing::ValuesIn(library()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace evtwin
