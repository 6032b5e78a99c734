// The scenario library's scenarios whose strategy solves a MILP (golden/scenario_library.hpp): as
// shipped, with the physical invariants, the bill and the limits checked from their results.
#include "golden/scenario_library.hpp"

#include <gtest/gtest.h>

#include <string>

namespace evtwin::test {

INSTANTIATE_TEST_SUITE_P(SolverScenarios, ScenarioLibrary, ::testing::ValuesIn(shipped_scenarios(true)),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace evtwin::test
