#include "viewer/timeline/event_marks.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace evtwin::viewer {
namespace {

Time t(std::int64_t ms) {
    return Time(ms);
}

EventMarks sample() {
    std::array<std::vector<Time>, kMarkKinds> m;
    m[0] = {t(30), t(10), t(20), t(20)};  // arrivals, unsorted with a tie
    m[1] = {t(25)};
    m[3] = {t(5), t(95)};
    return EventMarks(std::move(m));
}

TEST(EventMarks, NextAndPreviousAreStrict) {
    const EventMarks e = sample();
    EXPECT_EQ(e.next(MarkKind::arrival, t(0)), t(10));
    EXPECT_EQ(e.next(MarkKind::arrival, t(10)), t(20));
    EXPECT_EQ(e.next(MarkKind::arrival, t(20)), t(30)) << "the tie at 20 is skipped as one instant";
    EXPECT_FALSE(e.next(MarkKind::arrival, t(30)));
    EXPECT_EQ(e.previous(MarkKind::arrival, t(30)), t(20));
    EXPECT_FALSE(e.previous(MarkKind::arrival, t(10)));
    EXPECT_FALSE(e.next(MarkKind::fault, t(0))) << "no faults";
    EXPECT_EQ(e.next(MarkKind::violation, t(5)), t(95));
    EXPECT_EQ(e.previous(MarkKind::departure, t(1000)), t(25));
}

TEST(EventMarks, DensityCountsEveryMarkInTheWindowOnce) {
    const EventMarks e = sample();
    const auto d = e.density(MarkKind::arrival, t(0), t(40), 4);  // buckets of 10 ms
    ASSERT_EQ(d.size(), 4u);
    EXPECT_EQ(d, (std::vector<std::uint32_t>{0, 1, 2, 1}));
    const auto odd = e.density(MarkKind::arrival, t(0), t(31), 3);  // last bucket takes the remainder
    EXPECT_EQ(std::accumulate(odd.begin(), odd.end(), 0u), 4u);
    EXPECT_EQ(e.count(MarkKind::arrival, t(10), t(30)), 3u) << "[from, to)";
    EXPECT_TRUE(e.density(MarkKind::arrival, t(40), t(0), 4).empty());
    EXPECT_TRUE(e.density(MarkKind::arrival, t(0), t(40), 0).empty());
}

}  // namespace
}  // namespace evtwin::viewer
