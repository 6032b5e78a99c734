// The decision clock measures what steady_clock measures over the same stretch: the processor's
// counter, where it is read, is turned into seconds at the rate it has run since the clock was made.
#include "core/decision_clock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

namespace evtwin {
namespace {

TEST(DecisionClock, AgreesWithSteadyClockOverTheSameStretch) {
    DecisionClock clock;
    std::printf("decision clock: %s\n", clock.counts_cycles() ? "time-stamp counter" : "steady_clock");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the rate is measured over some time
    for (int i = 0; i < 3; ++i) {
        const auto steady_from = std::chrono::steady_clock::now();
        const DecisionClock::Ticks from = clock.now();
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
        const DecisionClock::Ticks to = clock.now();
        const double steady =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - steady_from).count();
        const double seconds = clock.seconds(from, to);
        EXPECT_GT(seconds, 0.0);
        // Both read wall time: however loaded the machine, the stretch they measure is the same,
        // give or take the reads around it and the rate's measurement over the clock's life.
        EXPECT_NEAR(seconds, steady, 0.02 * steady + 50e-6) << "stretch " << i;
    }
}

TEST(DecisionClock, NoTimeBackwards) {
    DecisionClock clock;
    const DecisionClock::Ticks t = clock.now();
    EXPECT_EQ(clock.seconds(t, t), 0.0);
    EXPECT_EQ(clock.seconds(t + 10, t), 0.0);
}

}  // namespace
}  // namespace evtwin
