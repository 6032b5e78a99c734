// The message rate limits kept per charge point: a reconnection finds its bucket as it left it,
// charge points are apart, and buckets no connection holds go once full or when too many are kept.
#include "serve/net/message_rates.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

using namespace std::chrono_literals;

TEST(MessageRates, AReconnectionFindsItsBucketAsItLeftIt) {
    const TokenBucket::Clock::time_point t0{};
    MessageRates rates(1, 2);  // 1 a second after a burst of 2
    auto first = rates.bucket("CP-1", t0);
    EXPECT_TRUE(first->take(t0));
    EXPECT_TRUE(first->take(t0));
    EXPECT_FALSE(first->take(t0));
    first.reset();  // the connection closed
    auto second = rates.bucket("CP-1", t0);
    EXPECT_FALSE(second->take(t0));
    EXPECT_TRUE(second->take(t0 + 1s));
    auto other = rates.bucket("CP-2", t0);
    EXPECT_TRUE(other->take(t0));
    // Two connections of one charge point at once share its bucket.
    EXPECT_EQ(rates.bucket("CP-1", t0), second);
}

TEST(MessageRates, BucketsNoConnectionHoldsGoOnceFullThenLeastRecentlyUsedFirst) {
    const TokenBucket::Clock::time_point t0{};
    MessageRates rates(1, 2, 2);  // at most two kept
    auto a = rates.bucket("a", t0);
    a->take(t0);
    a->take(t0);
    a.reset();
    auto b = rates.bucket("b", t0);
    b->take(t0 + 100ms);
    b.reset();
    EXPECT_EQ(rates.size(), 2u);
    // Neither is full again half a second later: "a", used least recently, goes.
    auto c = rates.bucket("c", t0 + 500ms);
    EXPECT_EQ(rates.size(), 2u);
    c.reset();
    EXPECT_TRUE(rates.bucket("b", t0 + 500ms)->take(t0 + 500ms));  // "b" kept its count: 1.4 left
    EXPECT_FALSE(rates.bucket("b", t0 + 500ms)->take(t0 + 500ms));
    auto a_again = rates.bucket("a", t0 + 500ms);  // "a" went: a new, full bucket
    EXPECT_TRUE(a_again->take(t0 + 500ms));
    EXPECT_TRUE(a_again->take(t0 + 500ms));
    a_again.reset();
    // Ten seconds on, every bucket is full again: all go for the next new key.
    auto d = rates.bucket("d", t0 + 10s);
    EXPECT_EQ(rates.size(), 1u);
}

TEST(MessageRates, ABucketAConnectionHoldsIsNeverDropped) {
    const TokenBucket::Clock::time_point t0{};
    MessageRates rates(1, 2, 1);
    auto held = rates.bucket("a", t0);
    held->take(t0);
    auto other = rates.bucket("b", t0 + 1h);
    EXPECT_EQ(rates.size(), 2u);
    EXPECT_EQ(rates.bucket("a", t0 + 1h), held);
}

}  // namespace
}  // namespace evtwin::serve
