#include "core/event_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace evtwin {
namespace {

TEST(EventQueue, PopsInTimeOrder) {
    EventQueue q;
    q.schedule(Time(30), 0, 3);
    q.schedule(Time(10), 0, 1);
    q.schedule(Time(20), 0, 2);
    EXPECT_EQ(q.pop().target, 1u);
    EXPECT_EQ(q.now(), Time(10));
    EXPECT_EQ(q.pop().target, 2u);
    EXPECT_EQ(q.pop().target, 3u);
    EXPECT_TRUE(q.empty());
}

TEST(EventQueue, TiesBreakInSchedulingOrder) {
    EventQueue q;
    for (std::uint32_t i = 0; i < 100; ++i) q.schedule(Time(5), 0, i);
    for (std::uint32_t i = 0; i < 100; ++i) EXPECT_EQ(q.pop().target, i);
}

TEST(EventQueue, EventsAtTheCurrentInstantRunAfterEarlierScheduledOnes) {
    EventQueue q;
    q.schedule(Time(10), 0, 1);
    q.schedule(Time(10), 0, 2);
    EXPECT_EQ(q.pop().target, 1u);  // now = 10; event 2 still in the heap
    q.schedule(Time(10), 0, 3);     // same instant, scheduled later
    EXPECT_EQ(q.pop().target, 2u);
    q.schedule(Time(10), 0, 4);  // goes to the FIFO
    q.schedule(Time(11), 0, 5);
    EXPECT_EQ(q.pop().target, 3u);
    EXPECT_EQ(q.pop().target, 4u);
    EXPECT_EQ(q.pop().target, 5u);
}

TEST(EventQueue, RejectsThePast) {
    EventQueue q;
    q.schedule(Time(10), 0, 0);
    q.pop();
    EXPECT_THROW(q.schedule(Time(9), 0, 0), std::logic_error);
    EXPECT_THROW(q.pop(), std::logic_error);
}

TEST(EventQueue, NextTimeReportsTheEarliestPending) {
    EventQueue q;
    EXPECT_EQ(q.next_time(), Time::max());
    q.schedule(Time(7), 0, 0);
    q.schedule(Time(3), 0, 0);
    EXPECT_EQ(q.next_time(), Time(3));
}

// Property: against a reference (sort by time, then scheduling order), any interleaving of
// schedules and pops yields the same sequence.
TEST(EventQueue, MatchesAStableSortReferenceUnderRandomHoldOperations) {
    std::mt19937_64 rng(12345);
    for (int round = 0; round < 20; ++round) {
        EventQueue q;
        std::vector<Event> reference;
        std::uint64_t seq = 0;
        std::int64_t now = 0;
        auto ref_pop = [&] {
            auto it = std::min_element(reference.begin(), reference.end(), [](const Event& a, const Event& b) {
                return a.time < b.time || (a.time == b.time && a.seq < b.seq);
            });
            Event e = *it;
            reference.erase(it);
            return e;
        };
        for (int op = 0; op < 2000; ++op) {
            if (reference.empty() || rng() % 3 != 0) {
                const std::int64_t t = now + static_cast<std::int64_t>(rng() % 4);  // many ties
                const auto target = static_cast<std::uint32_t>(rng() % 1000);
                EXPECT_EQ(q.schedule(Time(t), 0, target), seq);
                reference.push_back(Event{Time(t), seq++, 0, target});
            } else {
                const Event got = q.pop();
                const Event want = ref_pop();
                ASSERT_EQ(got.seq, want.seq);
                ASSERT_EQ(got.time, want.time);
                now = got.time.ms();
            }
        }
        EXPECT_EQ(q.size(), reference.size());
    }
}

}  // namespace
}  // namespace evtwin
