// The throttle of failed passwords, on given instants (no clock): a delay that doubles after the
// free failures, a lock-out, a right password forgetting the failures, failures forgotten in time,
// and a flood of new keys kept in bounded memory and throttled as one.
#include "serve/net/login_throttle.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace evtwin::serve {
namespace {

using namespace std::chrono_literals;
using Clock = LoginThrottle::Clock;

// Fails `key` `n` times, each as soon as it is allowed; when the last one was.
Clock::time_point fail_when_allowed(LoginThrottle& throttle, const std::string& key, int n,
                                    Clock::time_point t) {
    for (int i = 0; i < n; ++i) {
        t += throttle.state(key, t).blocked_for;
        throttle.failed(key, t);
    }
    return t;
}

TEST(LoginThrottle, TheDelayDoublesAfterTheFreeFailuresThenTheKeyIsLockedOut) {
    const Clock::time_point t0{};
    LoginThrottle throttle({});  // 3 free, 1 s doubling, a 15-minute lock-out at the 10th
    std::vector<Clock::duration> blocks;
    std::vector<bool> locked;
    Clock::time_point t = t0;
    for (int i = 0; i < 10; ++i) {
        const LoginThrottle::State before = throttle.state("CP-1", t);
        t += before.blocked_for;
        EXPECT_FALSE(throttle.state("CP-1", t).blocked());
        const LoginThrottle::State after = throttle.failed("CP-1", t);
        EXPECT_EQ(after.failures, static_cast<unsigned>(i + 1));
        blocks.push_back(after.blocked_for);
        locked.push_back(after.locked_out);
    }
    EXPECT_EQ(blocks, (std::vector<Clock::duration>{0s, 0s, 0s, 1s, 2s, 4s, 8s, 16s, 32s, 900s}));
    EXPECT_EQ(locked,
              (std::vector<bool>{false, false, false, false, false, false, false, false, false, true}));
    EXPECT_EQ(throttle.state("CP-1", t + 899s).blocked_for, Clock::duration(1s));
    EXPECT_TRUE(throttle.state("CP-1", t + 899s).locked_out);
    EXPECT_FALSE(throttle.state("CP-1", t + 900s).blocked());
    EXPECT_FALSE(throttle.state("CP-2", t).blocked());  // keys are apart
}

TEST(LoginThrottle, OnlyTheFirstRefusalOfEachBlockIsWorthALogLine) {
    const Clock::time_point t0{};
    LoginThrottle throttle({});
    const Clock::time_point t = fail_when_allowed(throttle, "CP-1", 4, t0);  // blocked for 1 s
    EXPECT_FALSE(throttle.first_refusal("CP-2", t));                         // not blocked
    EXPECT_TRUE(throttle.first_refusal("CP-1", t));
    EXPECT_FALSE(throttle.first_refusal("CP-1", t + 500ms));
    throttle.failed("CP-1", t + 1s);  // the next block
    EXPECT_TRUE(throttle.first_refusal("CP-1", t + 1s));
    EXPECT_FALSE(throttle.first_refusal("CP-1", t + 1s));
    EXPECT_FALSE(throttle.first_refusal("CP-1", t + 3s));  // the block is over
}

TEST(LoginThrottle, TheDelayStopsGrowingAtTheLongest) {
    const Clock::time_point t0{};
    LoginThrottle::Policy policy;
    policy.free_failures = 0;
    policy.longest_delay = 4s;
    policy.lockout_after = 100;
    LoginThrottle throttle(policy);
    std::vector<Clock::duration> blocks;
    Clock::time_point t = t0;
    for (int i = 0; i < 5; ++i) {
        t = fail_when_allowed(throttle, "CP-1", 1, t);
        blocks.push_back(throttle.state("CP-1", t).blocked_for);
    }
    EXPECT_EQ(blocks, (std::vector<Clock::duration>{1s, 2s, 4s, 4s, 4s}));
}

TEST(LoginThrottle, ARightPasswordForgetsTheFailures) {
    const Clock::time_point t0{};
    LoginThrottle throttle({});
    const Clock::time_point t = fail_when_allowed(throttle, "CP-1", 5, t0);
    EXPECT_TRUE(throttle.state("CP-1", t).blocked());
    throttle.succeeded("CP-1");
    EXPECT_FALSE(throttle.state("CP-1", t).blocked());
    EXPECT_EQ(throttle.failed("CP-1", t).failures, 1u);
    EXPECT_FALSE(throttle.state("CP-1", t).blocked());
}

TEST(LoginThrottle, FailuresAreForgottenLongAfterTheLastButNotSoonAfterALockOut) {
    const Clock::time_point t0{};
    LoginThrottle throttle({});
    const Clock::time_point locked = fail_when_allowed(throttle, "CP-1", 10, t0);
    // Soon after the lock-out ends, one more failure locks the key out again.
    EXPECT_TRUE(throttle.failed("CP-1", locked + 900s + 1s).locked_out);
    const Clock::time_point relocked = locked + 901s;
    EXPECT_EQ(throttle.state("CP-1", relocked).failures, 11u);
    // 15 minutes after that lock-out's end, the failures are forgotten.
    const Clock::time_point later = relocked + 900s + 900s;
    EXPECT_EQ(throttle.state("CP-1", later).failures, 0u);
    const LoginThrottle::State fresh = throttle.failed("CP-1", later);
    EXPECT_EQ(fresh.failures, 1u);
    EXPECT_FALSE(fresh.blocked());
}

TEST(LoginThrottle, AFloodOfNewKeysStaysInBoundedMemoryAndIsThrottledAsOne) {
    const Clock::time_point t0{};
    LoginThrottle::Policy policy;
    policy.max_keys = 4;
    LoginThrottle throttle(policy);
    for (int i = 0; i < 4; ++i) throttle.failed("10.0.0." + std::to_string(i), t0);
    for (int i = 4; i < 20; ++i) throttle.failed("10.0.0." + std::to_string(i), t0);
    EXPECT_EQ(throttle.size(), 4u);
    // The 16 keys not kept failed as one, locked out: so is any other key not kept.
    EXPECT_TRUE(throttle.state("10.0.1.1", t0).locked_out);
    EXPECT_FALSE(throttle.state("10.0.0.1", t0).blocked());  // a kept key has its own count
    // Once the kept keys are forgotten, a new key takes a place of its own again.
    const Clock::time_point later = t0 + 15min;
    EXPECT_EQ(throttle.failed("10.0.1.1", later).failures, 1u);
    EXPECT_EQ(throttle.size(), 1u);
}

}  // namespace
}  // namespace evtwin::serve
