#include "viewer/data/step_columns.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace evtwin::viewer {
namespace {

// Property: over random step series, windows and bucket counts, the buckets conserve energy
// (Σ mean × covered time equals the exact integral), min/max bound every value in force, and
// row_at agrees with a linear scan.
TEST(StepColumns, BucketsConserveEnergyAndBoundValuesOnRandomSeries) {
    std::mt19937_64 rng(7);
    for (int round = 0; round < 300; ++round) {
        std::vector<std::int64_t> t;
        std::vector<double> v;
        std::int64_t now = static_cast<std::int64_t>(rng() % 1000);
        const std::size_t rows = 1 + rng() % 50;
        for (std::size_t i = 0; i < rows; ++i) {
            t.push_back(now);
            v.push_back(std::uniform_real_distribution<double>(-50, 150)(rng));
            now += 1 + static_cast<std::int64_t>(rng() % 500);
        }
        const Time end(now + static_cast<std::int64_t>(rng() % 300));
        const Time from(static_cast<std::int64_t>(rng() % 2000) - 500);
        const Time to = from + Duration(1 + static_cast<std::int64_t>(rng() % 30000));
        const std::size_t n = 1 + rng() % 97;
        const auto b = bucketize(t, v, end, from, to, n);
        ASSERT_EQ(b.size(), n);

        // Exact integral over [from, to) ∩ [t0, end), and the values in force there.
        double exact = 0.0;
        for (std::size_t i = 0; i < rows; ++i) {
            const std::int64_t a = std::max(t[i], from.ms());
            const std::int64_t z = std::min({i + 1 < rows ? t[i + 1] : end.ms(), end.ms(), to.ms()});
            if (z > a) exact += v[i] * static_cast<double>(z - a);
        }
        double summed = 0.0;
        const double span = static_cast<double>((to - from).ms());
        for (std::size_t k = 0; k < n; ++k) {
            if (!b[k].has_data) continue;
            const auto lo =
                from.ms() + static_cast<std::int64_t>(span * static_cast<double>(k) / static_cast<double>(n));
            const auto hi = k + 1 < n
                                ? from.ms() + static_cast<std::int64_t>(span * static_cast<double>(k + 1) /
                                                                        static_cast<double>(n))
                                : to.ms();
            // Time covered by data inside the bucket.
            const std::int64_t a = std::max(lo, t.front());
            const std::int64_t z = std::min(hi, end.ms());
            ASSERT_GT(z, a);
            summed += b[k].mean * static_cast<double>(z - a);
            EXPECT_LE(b[k].min, b[k].mean + 1e-9);
            EXPECT_GE(b[k].max, b[k].mean - 1e-9);
        }
        EXPECT_NEAR(summed, exact, 1e-6 * (1.0 + std::abs(exact))) << "round " << round;

        for (int probe = 0; probe < 20; ++probe) {
            const Time at(static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(now + 100)) - 50);
            std::size_t expect = kNoRow;
            for (std::size_t i = 0; i < rows; ++i)
                if (t[i] <= at.ms()) expect = i;
            EXPECT_EQ(row_at(t, at), expect);
        }
    }
}

TEST(StepColumns, EmptyInputsGiveEmptyBuckets) {
    const std::vector<std::int64_t> none;
    const std::vector<double> nv;
    EXPECT_EQ(row_at(none, Time(5)), kNoRow);
    const auto b = bucketize(none, nv, Time(10), Time(0), Time(10), 3);
    ASSERT_EQ(b.size(), 3u);
    EXPECT_FALSE(b[0].has_data);
    EXPECT_TRUE(bucketize({1}, {2.0}, Time(10), Time(0), Time(10), 0).empty());
}

}  // namespace
}  // namespace evtwin::viewer
