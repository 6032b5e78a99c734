// The token bucket of a WebSocket connection's rate limit, on given instants (no clock).
#include "serve/net/token_bucket.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

using namespace std::chrono_literals;

TEST(TokenBucket, TakesTheBurstThenFollowsTheRate) {
    const TokenBucket::Clock::time_point t0{};
    TokenBucket bucket(2, 3, t0);  // 2 a second, 3 at once
    EXPECT_TRUE(bucket.take(t0));
    EXPECT_TRUE(bucket.take(t0));
    EXPECT_TRUE(bucket.take(t0));
    EXPECT_FALSE(bucket.take(t0));
    EXPECT_FALSE(bucket.take(t0 + 250ms));  // half a token
    EXPECT_TRUE(bucket.take(t0 + 500ms));
    EXPECT_FALSE(bucket.take(t0 + 500ms));
    // A long pause fills it up to the burst, not beyond.
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(bucket.take(t0 + 60s));
    EXPECT_FALSE(bucket.take(t0 + 60s));
}

TEST(TokenBucket, ARateOfZeroIsNoLimit) {
    const TokenBucket::Clock::time_point t0{};
    TokenBucket bucket(0, 1, t0);
    for (int i = 0; i < 1000; ++i) EXPECT_TRUE(bucket.take(t0));
}

}  // namespace
}  // namespace evtwin::serve
