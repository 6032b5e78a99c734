#include "core/event_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <tuple>
#include <utility>
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
    EXPECT_THROW(q.peek(), std::logic_error);
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
            auto it =
                std::min_element(reference.begin(), reference.end(), [](const Event& a, const Event& b) {
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
                const Event peeked = q.peek();
                const Event got = q.pop();
                const Event want = ref_pop();
                ASSERT_EQ(peeked.seq, want.seq);  // peek() shows what pop() takes
                ASSERT_EQ(got.seq, want.seq);
                ASSERT_EQ(got.time, want.time);
                now = got.time.ms();
            }
        }
        EXPECT_EQ(q.size(), reference.size());
    }
}

// The reference for the long property tests: an ordered set of (time, seq) with the payload.
class Reference {
public:
    void add(const Event& e) { set_.insert(std::make_tuple(e.time.ms(), e.seq, e.kind, e.target)); }
    Event pop() {
        const auto [t, seq, kind, target] = *set_.begin();
        set_.erase(set_.begin());
        return Event{Time(t), seq, kind, target};
    }
    Time next_time() const { return set_.empty() ? Time::max() : Time(std::get<0>(*set_.begin())); }
    std::size_t size() const { return set_.size(); }

private:
    std::set<std::tuple<std::int64_t, std::uint64_t, std::uint32_t, std::uint32_t>> set_;
};

void expect_same(const Event& got, const Event& want) {
    ASSERT_EQ(got.time, want.time);
    ASSERT_EQ(got.seq, want.seq);
    ASSERT_EQ(got.kind, want.kind);
    ASSERT_EQ(got.target, want.target);
}

// Property: mixes of hold steps (pop then schedule, the root-hole path), bursts of schedules and
// pops, same-instant events (the FIFO) and next_time()/size() probes between them, at realistic
// epoch times, with seqs that start low, across the 2^24 boundary between the two key words, and
// close to the 2^42 limit, all pop exactly like the ordered reference, payload included.
TEST(EventQueue, MatchesAnOrderedReferenceAcrossSeqRangesAndPaths) {
    const std::int64_t start_2024 = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
    const std::uint64_t seq_starts[] = {0, (std::uint64_t{1} << 24) - 700, std::uint64_t{1} << 33,
                                        EventQueue::seq_limit - 60'000};
    std::mt19937_64 rng(2024);
    for (const std::uint64_t seq_start : seq_starts) {
        for (int round = 0; round < 4; ++round) {
            EventQueue q;
            Reference ref;
            q.advance_seq_to(seq_start);
            std::uint64_t seq = seq_start;
            std::int64_t now = start_2024 * (round % 2);          // also times near 0
            const std::int64_t spread = round < 2 ? 3 : 100'000;  // many ties, or few
            auto schedule = [&](std::int64_t t) {
                const auto kind = static_cast<std::uint32_t>(rng() % EventQueue::kind_limit);
                const auto target = static_cast<std::uint32_t>(rng());
                ASSERT_EQ(q.schedule(Time(t), kind, target), seq);
                ref.add(Event{Time(t), seq++, kind, target});
            };
            auto pop = [&] {
                const Event got = q.pop();
                const Event want = ref.pop();
                expect_same(got, want);
                ASSERT_EQ(q.now(), want.time);
                now = want.time.ms();
            };
            for (int i = 0; i < 200; ++i) schedule(now + static_cast<std::int64_t>(rng() % spread));
            for (int op = 0; op < 12'000; ++op) {
                const auto r = rng() % 16;
                if (ref.size() == 0 || r < 8) {  // hold step
                    if (ref.size() != 0) pop();
                    schedule(now + static_cast<std::int64_t>(rng() % spread));
                } else if (r < 10) {
                    schedule(now);  // same instant
                } else if (r < 12) {
                    pop();
                } else if (r < 13) {
                    for (int k = 0; k < 20; ++k) schedule(now + static_cast<std::int64_t>(rng() % spread));
                } else if (r < 14) {
                    for (int k = 0; k < 20 && ref.size() != 0; ++k) pop();
                } else {
                    if (ref.size() != 0) pop();
                    ASSERT_EQ(q.next_time(), ref.next_time());  // probe with the root hole open
                    ASSERT_EQ(q.size(), ref.size());
                }
                ASSERT_EQ(q.size(), ref.size());
            }
            while (ref.size() != 0) pop();
            EXPECT_TRUE(q.empty());
            EXPECT_EQ(q.next_time(), Time::max());
        }
    }
}

// A long hold run (10^6 events over 10^4 pending, integer-ms exponential delays as in the bench):
// the queue agrees with the reference on every event.
TEST(EventQueue, LongHoldRunMatchesTheReference) {
    std::mt19937_64 rng(7);
    std::exponential_distribution<double> delay_ms(1.0 / 1000.0);
    EventQueue q;
    Reference ref;
    q.reserve(10'000);
    std::uint64_t seq = 0;
    auto schedule = [&](std::int64_t t, std::uint32_t target) {
        ASSERT_EQ(q.schedule(Time(t), 1, target), seq);
        ref.add(Event{Time(t), seq++, 1, target});
    };
    for (std::uint32_t i = 0; i < 10'000; ++i) schedule(std::llround(delay_ms(rng)), i);
    for (int i = 0; i < 1'000'000; ++i) {
        const Event got = q.pop();
        const Event want = ref.pop();
        expect_same(got, want);
        schedule(got.time.ms() + std::llround(delay_ms(rng)), got.target);
    }
    EXPECT_EQ(q.size(), 10'000u);
}

TEST(EventQueue, HoldStepsKeepTheOrderWithTheRootHoleOpen) {
    EventQueue q;
    q.schedule(Time(5), 0, 1);
    q.schedule(Time(8), 0, 2);
    q.schedule(Time(9), 0, 3);
    EXPECT_EQ(q.pop().target, 1u);  // the root is now a hole
    EXPECT_EQ(q.size(), 2u);
    EXPECT_EQ(q.next_time(), Time(8));
    EXPECT_EQ(q.peek().target, 2u);  // beneath the hole, left in place
    EXPECT_EQ(q.size(), 2u);
    q.schedule(Time(20), 0, 4);  // fills the hole, sifts down
    q.schedule(Time(5), 0, 5);   // same instant as now
    EXPECT_EQ(q.pop().target, 5u);
    EXPECT_EQ(q.pop().target, 2u);
    q.schedule(Time(8), 0, 6);  // same instant, heap empty of it: FIFO or hole, either way next
    EXPECT_EQ(q.pop().target, 6u);
    EXPECT_EQ(q.pop().target, 3u);
    EXPECT_EQ(q.pop().target, 4u);
    EXPECT_TRUE(q.empty());
    EXPECT_THROW(q.pop(), std::logic_error);
}

TEST(EventQueue, RefusesWhatTheKeyCannotHold) {
    EventQueue q;
    EXPECT_THROW(q.schedule(Time(1), EventQueue::kind_limit, 0), std::out_of_range);
    EXPECT_THROW(q.schedule(Time(EventQueue::time_limit_ms), 0, 0), std::out_of_range);
    EXPECT_TRUE(q.empty());
    const Time last(EventQueue::time_limit_ms - 1);  // year 4199
    q.schedule(last, EventQueue::kind_limit - 1, 0xFFFF'FFFFu);
    q.advance_seq_to(EventQueue::seq_limit - 1);
    EXPECT_EQ(q.schedule(last, 3, 4), EventQueue::seq_limit - 1);
    EXPECT_THROW(q.schedule(last, 0, 0), std::overflow_error);
    EXPECT_THROW(q.advance_seq_to(5), std::out_of_range);
    EXPECT_EQ(q.size(), 2u);
    const Event a = q.pop();
    EXPECT_EQ(a.time, last);
    EXPECT_EQ(a.seq, 0u);
    EXPECT_EQ(a.kind, EventQueue::kind_limit - 1);
    EXPECT_EQ(a.target, 0xFFFF'FFFFu);
    const Event b = q.pop();
    EXPECT_EQ(b.seq, EventQueue::seq_limit - 1);
    EXPECT_EQ(b.kind, 3u);
    EXPECT_EQ(b.target, 4u);
}

TEST(EventQueue, CopiesAndMovesKeepThePendingEvents) {
    EventQueue q;
    for (std::uint32_t i = 0; i < 50; ++i) q.schedule(Time(100 - i), 0, i);
    EXPECT_EQ(q.pop().target, 49u);  // leaves the root hole open
    EventQueue copy = q;
    EventQueue moved = std::move(q);
    EventQueue assigned;
    assigned.schedule(Time(1), 0, 999);
    assigned = copy;
    for (EventQueue* c : {&copy, &moved, &assigned}) {
        EXPECT_EQ(c->size(), 49u);
        EXPECT_EQ(c->now(), Time(51));
        for (std::uint32_t i = 48;; --i) {
            EXPECT_EQ(c->pop().target, i);
            if (i == 0) break;
        }
        EXPECT_TRUE(c->empty());
    }
}

TEST(EventQueue, ReserveKeepsThePendingEvents) {
    EventQueue q;
    for (std::uint32_t i = 0; i < 10; ++i) q.schedule(Time(10 - i), 0, i);
    q.reserve(100'000);
    for (std::uint32_t i = 10; i-- > 0;) EXPECT_EQ(q.pop().target, i);
}

}  // namespace
}  // namespace evtwin
