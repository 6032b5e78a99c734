// Step functions averaged over buckets: each value weighted by the time it held in the bucket, the
// row before the window holding into it, the last row up to the data's end, and the energies.
#include "serve/results/step_buckets.hpp"

#include <gtest/gtest.h>

#include <array>
#include <stdexcept>

namespace evtwin::serve {
namespace {

void add(StepBuckets& b, std::int64_t t, double v) {
    const std::array<double, 1> values = {v};
    b.add(Time(t), values);
}

TEST(StepBuckets, AveragesEachValueByTheTimeItHeld) {
    StepBuckets b(Time(0), Time(100), 2, 1);  // [0, 50), [50, 100)
    add(b, -10, 4.0);                         // in force at the window's start
    add(b, 20, 10.0);
    add(b, 60, -6.0);
    b.finish(Time(1000));
    ASSERT_EQ(b.size(), 2u);
    EXPECT_EQ(b.width().ms(), 50);
    EXPECT_DOUBLE_EQ(*b.mean(0, 0), (4.0 * 20 + 10.0 * 30) / 50);
    EXPECT_DOUBLE_EQ(*b.mean(1, 0), (10.0 * 10 - 6.0 * 40) / 50);
    EXPECT_DOUBLE_EQ(*b.min(0, 0), 4.0);
    EXPECT_DOUBLE_EQ(*b.max(1, 0), 10.0);
    EXPECT_DOUBLE_EQ(b.positive_hours(0), (4.0 * 20 + 10.0 * 40) / 3.6e6);
    EXPECT_DOUBLE_EQ(b.negative_hours(0), 6.0 * 40 / 3.6e6);
}

TEST(StepBuckets, ABucketNoRowCoveredHasNoValueAndTheDataEndsWhereTheRunDid) {
    StepBuckets b(Time(0), Time(90), 3, 1);
    add(b, 40, 2.0);
    b.finish(Time(70));
    EXPECT_FALSE(b.mean(0, 0));
    EXPECT_DOUBLE_EQ(*b.mean(1, 0), 2.0);  // held over [40, 60) only
    EXPECT_DOUBLE_EQ(*b.mean(2, 0), 2.0);  // [60, 70)
    EXPECT_DOUBLE_EQ(b.positive_hours(0), 2.0 * 30 / 3.6e6);
}

TEST(StepBuckets, AWindowThatDoesNotDivideEndsInAShorterBucket) {
    StepBuckets b(Time(0), Time(10), 4, 1);  // width 3: [0,3) [3,6) [6,9) [9,10)
    ASSERT_EQ(b.size(), 4u);
    add(b, 0, 1.0);
    add(b, 9, 5.0);
    b.finish(Time(100));
    EXPECT_DOUBLE_EQ(*b.mean(3, 0), 5.0);
    EXPECT_EQ(b.start(3).ms(), 9);
    EXPECT_THROW(StepBuckets(Time(5), Time(5), 1, 1), std::invalid_argument);
    EXPECT_THROW(StepBuckets(Time(0), Time(5), 0, 1), std::invalid_argument);
}

}  // namespace
}  // namespace evtwin::serve
