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

// The shipped scenarios' names (their files' stems), sorted: those whose own strategy solves a MILP
// (depot_two_batteries under mpc, v2g_ev2gym and v2g_kepco_peak under v2g_profit_max) when
// `solver_bound`, else the others. By name: the list is made at each start of a test program, and
// loading every scenario for its strategy would read their data files each time
// (ScenarioLibraryPartition checks the names against the strategies once).
std::vector<std::string> shipped_scenarios(bool solver_bound);

}  // namespace evtwin::test
