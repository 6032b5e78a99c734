// ACN-Sim's experiment on its own month (acnportal-experiments, notebook 2.1: Caltech, March 2019,
// three-phase basic EVSEs, 5-minute periods) at a 10 kW transformer, where the phase limits bind
// most of the month. adacharge's offline optimum (energy first, then the TOU energy cost and the
// demand charge, on the exact second-order cones of the phase limits) delivers 52.09 % of the
// requested energy and its MPC 51.40 %, of the requests as acnportal's force_feasible caps them
// (8,890.17 kWh; docs/milp.md shows why). offline_optimal with objective=energy_first and the phase
// limits held exactly delivers 52.09 % of the same total (the polygon inside each limit's circle
// gave 51.49 %: this pin fails on it). mpc, planning again on deviation as `evtwin serve` runs it,
// delivers as much. Each run is the whole month under the evtwin command, its invariants checked
// and no violation recorded; the two are apart (suites of their own) so that the test runner runs
// them side by side.
#include "milp/run_check.hpp"

#include <gtest/gtest.h>

#include <string>

namespace evtwin {
namespace {

double delivered_pct(const std::string& strategy, const std::string& options = {}) {
    const auto k = test::run_and_check(
        "caltech_acn.lua", strategy,
        "-D cap_kw=10 -D force_feasible=true --opt objective=energy_first " + options, "caltech-" + strategy);
    if (k.empty()) return 0.0;
    EXPECT_NEAR(k.at("energy_requested"), 8890.169, 1e-3);
    const double pct = 100.0 * k.at("energy_delivered") / k.at("energy_requested");
    ::testing::Test::RecordProperty(strategy + "_delivered_pct", std::to_string(pct));
    ::testing::Test::RecordProperty(strategy + "_delivered_kwh", std::to_string(k.at("energy_delivered")));
    return pct;
}

TEST(MilpCaltechAcnPins, OfflineOptimalAtTenKw) {
    EXPECT_GE(delivered_pct("offline_optimal"), 52.085);  // adacharge: 52.09
}

// adacharge's MPC sees the vehicles present only; mpc's perfect forecast sees those to come.
TEST(MilpCaltechAcnMpcPin, MpcPlanningAgainOnDeviationAtTenKw) {
    EXPECT_GE(delivered_pct("mpc", "--opt replan=deviation"), 52.08);  // adacharge: 51.40
}

}  // namespace
}  // namespace evtwin
