// The SDK's view of the run's control periods: where a plan's periods fall, and when an arrival or
// departure takes effect in each run mode.
#include <evtwin/observation.hpp>

#include <gtest/gtest.h>

namespace evtwin {
namespace {

Observation quarter_hours_from(Time run_start, Time now, RunMode mode = RunMode::event) {
    Observation obs;
    obs.run_start = run_start;
    obs.now = now;
    obs.control_period = Duration::minutes(15);
    obs.mode = mode;
    return obs;
}

const Time kStart = Time(0) + Duration::hours(7);

TEST(PeriodBounds, AtABoundaryWholePeriodsToTheEnd) {
    const std::vector<Time> bounds = period_bounds(quarter_hours_from(kStart, kStart + Duration::minutes(30)),
                                                   kStart + Duration::hours(1));
    ASSERT_EQ(bounds.size(), 3u);
    EXPECT_EQ(bounds[0], kStart + Duration::minutes(30));
    EXPECT_EQ(bounds[1], kStart + Duration::minutes(45));
    EXPECT_EQ(bounds[2], kStart + Duration::hours(1));
}

TEST(PeriodBounds, BetweenBoundariesTheFirstPeriodEndsAtTheNext) {
    const std::vector<Time> bounds = period_bounds(quarter_hours_from(kStart, kStart + Duration::minutes(9)),
                                                   kStart + Duration::minutes(40));
    ASSERT_EQ(bounds.size(), 4u);  // 6 minutes, then three quarter hours (the last past the end)
    EXPECT_EQ(bounds[1], kStart + Duration::minutes(15));
    EXPECT_EQ(bounds[3], kStart + Duration::minutes(45));
}

TEST(PeriodBounds, AtLeastOnePeriod) {
    const std::vector<Time> bounds = period_bounds(quarter_hours_from(kStart, kStart), kStart);
    ASSERT_EQ(bounds.size(), 2u);
    EXPECT_EQ(bounds[1], kStart + Duration::minutes(15));
}

TEST(TakesEffect, AtOnceInEventModeAtTheBoundaryAfterInDecisionPeriodsBeforeInAcnMode) {
    const Time t = kStart + Duration::minutes(20);
    EXPECT_EQ(takes_effect(quarter_hours_from(kStart, kStart), t), t);
    EXPECT_EQ(takes_effect(quarter_hours_from(kStart, kStart, RunMode::decision_period), t),
              kStart + Duration::minutes(30));
    EXPECT_EQ(takes_effect(quarter_hours_from(kStart, kStart, RunMode::acnsim), t),
              kStart + Duration::minutes(15));
    const Time boundary = kStart + Duration::minutes(45);
    EXPECT_EQ(takes_effect(quarter_hours_from(kStart, kStart, RunMode::decision_period), boundary), boundary);
    EXPECT_EQ(takes_effect(quarter_hours_from(kStart, kStart, RunMode::acnsim), boundary), boundary);
}

}  // namespace
}  // namespace evtwin
