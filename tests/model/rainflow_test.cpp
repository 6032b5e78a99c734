// Rainflow counting against ASTM E1049-85's worked example, and its bookkeeping of turning points.
#include "model/rainflow.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

namespace evtwin {
namespace {

std::map<double, double> counts_by_range(const std::vector<RainflowCycle>& cycles) {
    std::map<double, double> counts;
    for (const auto& c : cycles) counts[c.range] += c.count;
    return counts;
}

TEST(Rainflow, AstmE1049Example) {
    // ASTM E1049-85 (2017), Fig. 6 / X1: loading -2, 1, -3, 5, -1, 3, -4, 4, -2.
    const std::vector<double> series{-2, 1, -3, 5, -1, 3, -4, 4, -2};
    const auto cycles = rainflow(series);
    const std::map<double, double> expected{{3, 0.5}, {4, 1.5}, {6, 0.5}, {8, 1.0}, {9, 0.5}};
    EXPECT_EQ(counts_by_range(cycles), expected);

    // The one full cycle is -1 -> 3 (points 4 and 5), with its mean.
    int full = 0;
    for (const auto& c : cycles) {
        if (c.count != 1.0) continue;
        ++full;
        EXPECT_EQ(c.start, 4u);
        EXPECT_EQ(c.end, 5u);
        EXPECT_DOUBLE_EQ(c.mean, 1.0);
        EXPECT_DOUBLE_EQ(c.range, 4.0);
    }
    EXPECT_EQ(full, 1);
}

TEST(Rainflow, TurningPointsSkipMonotoneRunsAndPlateaus) {
    const std::vector<double> series{0.5, 0.6, 0.7, 0.7, 0.7, 0.4, 0.4, 0.2, 0.9, 0.9};
    // Extremes at 2 (the plateau 0.7's first point) and 7; the first and last samples.
    EXPECT_EQ(turning_points(series), (std::vector<std::size_t>{0, 2, 7, 9}));
    EXPECT_EQ(turning_points(std::vector<double>{1, 2, 3}), (std::vector<std::size_t>{0, 2}));
    EXPECT_EQ(turning_points(std::vector<double>{4}), (std::vector<std::size_t>{0}));
    EXPECT_TRUE(turning_points(std::vector<double>{}).empty());
}

TEST(Rainflow, FlatSeriesHasNoCycles) {
    EXPECT_TRUE(rainflow(std::vector<double>{0.6, 0.6, 0.6}).empty());
    EXPECT_TRUE(rainflow(std::vector<double>{0.6}).empty());
}

TEST(Rainflow, CyclesAccountForEveryReversal) {
    // Twice the counted ranges is the total variation of the series: no excursion is lost or doubled.
    std::vector<double> series;
    for (int i = 0; i < 200; ++i) series.push_back(0.5 + 0.3 * std::sin(0.37 * i) + 0.15 * std::sin(1.9 * i));
    double variation = 0.0;
    for (std::size_t i = 1; i < series.size(); ++i) variation += std::abs(series[i] - series[i - 1]);
    double counted = 0.0;
    for (const auto& c : rainflow(series)) {
        counted += 2.0 * c.count * c.range;
        EXPECT_LT(c.start, c.end);
        EXPECT_NEAR(c.range, std::abs(series[c.end] - series[c.start]), 1e-15);
    }
    EXPECT_NEAR(counted, variation, 1e-12);
}

TEST(Rainflow, InnerCycleIsCountedWhole) {
    // 0 -> 1 -> 0.5 -> 0.8 -> 0: the 0.5 -> 0.8 excursion is a full cycle inside the big one.
    const auto counts = counts_by_range(rainflow(std::vector<double>{0, 1, 0.5, 0.8, 0}));
    ASSERT_EQ(counts.size(), 2u);
    EXPECT_NEAR(counts.begin()->first, 0.3, 1e-15);
    EXPECT_DOUBLE_EQ(counts.begin()->second, 1.0);
    EXPECT_DOUBLE_EQ(counts.rbegin()->first, 1.0);
    EXPECT_DOUBLE_EQ(counts.rbegin()->second, 1.0);  // two halves: 0 -> 1 and 1 -> 0
}

}  // namespace
}  // namespace evtwin
