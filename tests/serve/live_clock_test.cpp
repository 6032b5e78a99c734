// The live twin's clocks: the forms --clock takes, and the stepped clock a test moves by hand.
#include "serve/live/live_clock.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace evtwin::serve {
namespace {

const Time kStart = Time(1'700'000'000'000);

TEST(LiveClock, RefusesWhatIsNotRealFastOrStep) {
    for (const char* spec :
         {"", "fast", "fast:", "fast:0", "fast:-2", "fast:2x", "fast:inf", "steps", "Real"})
        EXPECT_THROW(LiveClock(spec, kStart), std::invalid_argument) << spec;
}

TEST(LiveClock, AFastClockStartsAtItsStartAndRunsAhead) {
    const LiveClock clock("fast:1000", kStart);
    EXPECT_FALSE(clock.real());
    EXPECT_FALSE(clock.stepped());
    EXPECT_GE(clock.now(), kStart);
    EXPECT_LT(clock.now(), kStart + Duration::hours(1));
}

TEST(LiveClock, ASteppedClockHoldsItsStartUntilStepped) {
    LiveClock clock("step", kStart);
    EXPECT_TRUE(clock.stepped());
    EXPECT_EQ(clock.now(), kStart);
    clock.step_to(kStart + Duration::minutes(5));
    EXPECT_EQ(clock.now(), kStart + Duration::minutes(5));
    clock.step_to(kStart + Duration::minutes(5));  // staying is a step
    EXPECT_EQ(clock.now(), kStart + Duration::minutes(5));
}

TEST(LiveClock, ASteppedClockDoesNotGoBack) {
    LiveClock clock("step", kStart);
    clock.step_to(kStart + Duration::minutes(5));
    EXPECT_THROW(clock.step_to(kStart), std::invalid_argument);
    EXPECT_EQ(clock.now(), kStart + Duration::minutes(5));
}

TEST(LiveClock, OnlyASteppedClockIsMovedByHand) {
    LiveClock clock("fast:60", kStart);
    EXPECT_THROW(clock.step_to(kStart + Duration::minutes(5)), std::logic_error);
}

TEST(LiveClock, ASteppedClockReachesAnInstantOnlyWhenSteppedThere) {
    LiveClock clock("step", kStart);
    const auto reached_now = [&](Time t) {
        const auto before = std::chrono::steady_clock::now();
        const auto at = clock.wall_at(t);
        return at >= before && at <= std::chrono::steady_clock::now();
    };
    EXPECT_TRUE(reached_now(kStart));
    EXPECT_GT(clock.wall_at(kStart + Duration::seconds(1)),
              std::chrono::steady_clock::now() + std::chrono::hours(24));
    clock.step_to(kStart + Duration::seconds(1));
    EXPECT_TRUE(reached_now(kStart + Duration::seconds(1)));
}

}  // namespace
}  // namespace evtwin::serve
