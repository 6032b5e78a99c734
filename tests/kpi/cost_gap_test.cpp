// The cost gap of a run to the optimum's run on the same arrivals.
#include "kpi/cost_gap.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace evtwin {
namespace {

std::vector<Kpi> run(double energy, double demand, double exported) {
    return {{"energy_cost", energy, "EUR"},
            {"demand_charge", demand, "EUR"},
            {"export_revenue", exported, "EUR"},
            {"energy_served", 100.0, "%"}};
}

TEST(CostGap, NetCostIsWhatTheSitePaysTheGrid) {
    EXPECT_DOUBLE_EQ(net_cost(run(12.0, 3.0, 1.5)), 13.5);
    EXPECT_TRUE(std::isnan(net_cost({{"energy_cost", 1.0, "EUR"}})));  // a missing part is no cost
}

TEST(CostGap, NetCostCountsCurtailmentAndTheBatteriesEndValue) {
    std::vector<Kpi> kept = run(12.0, 3.0, 1.5);
    kept.push_back({"pv_curtailment_cost", 0.5, "EUR"});
    kept.push_back({"ess_end_value", 4.0, "EUR"});  // the batteries gained 4 EUR worth of energy
    kept.push_back({"ess_end_short", 7.0, "kWh"});  // no price: not in the cost
    EXPECT_DOUBLE_EQ(net_cost(kept), 12.0 + 3.0 - 1.5 + 0.5 - 4.0);
}

TEST(CostGap, ARunThatDrainsTheBatteriesIsNotCheaperThanOneThatKeepsTheirEnergy) {
    // Both deliver the same: one buys 10 kWh at 0.2 from the grid, the other takes them from its
    // batteries, whose kWh are worth 0.3 at the end (ess_end_value = 0.3 x -10).
    std::vector<Kpi> keeps = run(2.0, 0.0, 0.0), drains = run(0.0, 0.0, 0.0);
    keeps.push_back({"ess_end_value", 0.0, "EUR"});
    drains.push_back({"ess_end_value", -3.0, "EUR"});
    const CostGap g = cost_gap(drains, keeps);
    EXPECT_DOUBLE_EQ(g.absolute, 1.0);
    EXPECT_DOUBLE_EQ(g.percent, 50.0);
}

TEST(CostGap, IsAbsoluteAndInPercentOfTheOptimum) {
    const CostGap g = cost_gap(run(12.0, 3.0, 1.5), run(10.0, 2.0, 0.0));
    EXPECT_DOUBLE_EQ(g.absolute, 1.5);
    EXPECT_DOUBLE_EQ(g.percent, 12.5);
    const CostGap self = cost_gap(run(10.0, 2.0, 0.0), run(10.0, 2.0, 0.0));
    EXPECT_DOUBLE_EQ(self.absolute, 0.0);
    EXPECT_DOUBLE_EQ(self.percent, 0.0);
}

TEST(CostGap, PercentOfANegativeOptimumKeepsTheSignOfTheGap) {
    // An optimum that earns (V2G, PV export): a dearer run still has a positive gap.
    const CostGap g = cost_gap(run(5.0, 0.0, 3.0), run(1.0, 0.0, 5.0));
    EXPECT_DOUBLE_EQ(g.absolute, 6.0);
    EXPECT_DOUBLE_EQ(g.percent, 150.0);
}

TEST(CostGap, PercentIsUndefinedAtAZeroOptimum) {
    const CostGap g = cost_gap(run(2.0, 0.0, 0.0), run(0.0, 0.0, 0.0));
    EXPECT_DOUBLE_EQ(g.absolute, 2.0);
    EXPECT_TRUE(std::isnan(g.percent));
}

}  // namespace
}  // namespace evtwin
