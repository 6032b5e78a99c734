#pragma once
// Every scenario in scenarios/ runs as shipped (its own strategy) and keeps the physical invariants,
// the bill and the limits, checked from its results database. The scenarios whose strategy solves a
// MILP spend their time in CBC and CLP, which the sanitizers do not instrument: they run in
// tests/long (the unsanitized build under CI), the others here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace evtwin::test {

class ScenarioLibrary : public ::testing::TestWithParam<std::string> {};

// The shipped scenarios' names (their files' stems), sorted: those whose strategy solves a MILP
// (mpc, offline_optimal, day_ahead, v2g_profit_max) when `solver_bound`, else the others.
std::vector<std::string> shipped_scenarios(bool solver_bound);

}  // namespace evtwin::test
