// The receding horizon's warm start: an earlier plan's integer decisions carried to the next plan
// by name, at the same instants.
#include "plugins/milp/planning.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace evtwin::milp {
namespace {

// A plan with the named binaries at the given values (and one continuous variable), starting at
// `start`, 15-minute periods on a grid from time 0 (the first one shorter when `start` is between two
// boundaries).
Plan plan_with(Time start, const std::vector<std::pair<std::string, double>>& binaries) {
    Plan plan;
    plan.model.start = start;
    plan.model.period = Duration::minutes(15);
    Observation obs;
    obs.now = start;
    obs.control_period = plan.model.period;
    plan.model.bounds = period_bounds(obs, start + Duration::hours(1));
    plan.model.periods = static_cast<int>(plan.model.bounds.size()) - 1;
    std::vector<double> values;
    for (const auto& [name, value] : binaries) {
        plan.model.model.add_binary(name);
        values.push_back(value);
    }
    plan.model.model.add_continuous(0.0, 11.0, "s1.p.t0");
    values.push_back(7.0);
    plan.solution.status = SolveStatus::optimal;
    plan.solution.values = values;
    return plan;
}

TEST(MilpWarmStart, CarriesIntegerDecisionsToTheSameInstants) {
    const Time t0 = Time(0);
    const Plan before = plan_with(t0, {{"s1.on.t0", 1}, {"s1.on.t1", 0}, {"s1.on.t2", 1}, {"ess.dir.t1", 1}});
    // One period later: t0 of the new plan is t1 of the old one. s2 is new.
    const Plan after =
        plan_with(t0 + Duration::minutes(15),
                  {{"s1.on.t0", 0}, {"s1.on.t1", 0}, {"s2.on.t0", 0}, {"ess.dir.t0", 0}, {"s1.on.t2", 0}});
    const std::vector<StartValue> start = carried_start(before, after.model);
    ASSERT_EQ(start.size(), 3u);
    EXPECT_EQ(start[0].var.index, 0u);  // s1.on.t0 <- s1.on.t1
    EXPECT_EQ(start[0].value, 0.0);
    EXPECT_EQ(start[1].var.index, 1u);  // s1.on.t1 <- s1.on.t2
    EXPECT_EQ(start[1].value, 1.0);
    EXPECT_EQ(start[2].var.index, 3u);  // ess.dir.t0 <- ess.dir.t1
    EXPECT_EQ(start[2].value, 1.0);
}

// A plan made 9 minutes into a period (at an arrival) has that period's rest as its first: the
// earlier plan's first period is its first, and its second the next.
TEST(MilpWarmStart, APlanMadeWithinAPeriodKeepsItsInstants) {
    const Plan before = plan_with(Time(0), {{"s1.on.t0", 1}, {"s1.on.t1", 0}});
    const Plan after = plan_with(Time(0) + Duration::minutes(9), {{"s1.on.t0", 0}, {"s1.on.t1", 0}});
    EXPECT_EQ(after.model.bounds[1], Time(0) + Duration::minutes(15));
    const std::vector<StartValue> start = carried_start(before, after.model);
    ASSERT_EQ(start.size(), 2u);
    EXPECT_EQ(start[0].value, 1.0);  // s1.on.t0 <- s1.on.t0
    EXPECT_EQ(start[1].value, 0.0);  // s1.on.t1 <- s1.on.t1
}

TEST(MilpWarmStart, NothingFromAPlanWithoutValuesOrAnotherPeriod) {
    Plan failed = plan_with(Time(0), {{"s1.on.t1", 1}});
    failed.solution.values.clear();
    const Plan next = plan_with(Time(0) + Duration::minutes(15), {{"s1.on.t0", 0}});
    EXPECT_TRUE(carried_start(failed, next.model).empty());

    Plan hourly = plan_with(Time(0), {{"s1.on.t1", 1}});
    hourly.model.period = Duration::hours(1);
    EXPECT_TRUE(carried_start(hourly, next.model).empty());
}

}  // namespace
}  // namespace evtwin::milp
