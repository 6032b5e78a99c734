#include "model/charge_curve.hpp"

#include "model/random_curve.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

namespace evtwin {
namespace {

using test::curve_fraction;

// The stair edges from 0 up to 1.0, found by walking next_edge.
std::vector<double> edges_of(const ChargeStaircase& s) {
    std::vector<double> edges{0.0};
    while (edges.back() < 1.0) {
        const double next = s.next_edge(edges.back());
        if (!(next > edges.back()) || edges.size() > 100'000) break;  // the caller checks the count
        edges.push_back(next);
    }
    return edges;
}

TEST(ChargeStaircase, FlatCurveIsOneStair) {
    const ChargeStaircase s({{0.0, 1.0}, {1.0, 1.0}}, 11.0);
    EXPECT_EQ(s.stairs(), 1u);
    for (double soc : {0.0, 0.3, 0.999, 1.0}) EXPECT_DOUBLE_EQ(s.max_kw(soc), 11.0) << soc;
    EXPECT_DOUBLE_EQ(s.next_edge(0.0), 1.0);
    EXPECT_DOUBLE_EQ(s.next_edge(0.7), 1.0);
}

TEST(ChargeStaircase, EmptyCurveIsRatedPowerEverywhere) {
    const ChargeStaircase s({}, 7.4);
    EXPECT_EQ(s.stairs(), 1u);
    EXPECT_DOUBLE_EQ(s.max_kw(0.0), 7.4);
    EXPECT_DOUBLE_EQ(s.max_kw(1.0), 7.4);
}

TEST(ChargeStaircase, SinglePointHoldsItsFractionOverTheWholeRange) {
    // One point at SoC 0.5: constant 0.6 before and after it, 0.6 x 50 kW = 30 kW.
    const ChargeStaircase s({{0.5, 0.6}}, 50.0);
    EXPECT_EQ(s.stairs(), 1u);
    EXPECT_DOUBLE_EQ(s.max_kw(0.1), 30.0);
    EXPECT_DOUBLE_EQ(s.max_kw(0.9), 30.0);
}

TEST(ChargeStaircase, ZeroRatedPowerIsOneStairOfZero) {
    const ChargeStaircase s({{0.0, 1.0}, {0.8, 1.0}, {1.0, 0.2}}, 0.0);
    EXPECT_EQ(s.stairs(), 1u);  // every stair is 0 kW and merges with its neighbour
    EXPECT_DOUBLE_EQ(s.max_kw(0.9), 0.0);
}

TEST(ChargeStaircase, ConstantThenTaperingCurve) {
    // 50 kW to SoC 0.8, then linear to 0.2 x 50 = 10 kW at SoC 1: f(s) = 1 - 4 (s - 0.8) on the slope.
    // The slope is cut every 0.01 SoC into 20 stairs, each at the curve's value at its upper end:
    // stair k (k = 0..19) covers [0.80 + 0.01k, 0.81 + 0.01k] at 50 (1 - 0.04 (k + 1)) = 48 - 2k kW.
    const ChargeStaircase s({{0.0, 1.0}, {0.8, 1.0}, {1.0, 0.2}}, 50.0);
    EXPECT_EQ(s.stairs(), 21u);
    EXPECT_DOUBLE_EQ(s.max_kw(0.5), 50.0);
    EXPECT_DOUBLE_EQ(s.max_kw(0.799), 50.0);
    EXPECT_NEAR(s.max_kw(0.8), 48.0, 1e-9);  // k = 0
    EXPECT_NEAR(s.max_kw(0.805), 48.0, 1e-9);
    EXPECT_NEAR(s.max_kw(0.905), 28.0, 1e-9);  // k = 10: 48 - 20
    EXPECT_NEAR(s.max_kw(0.995), 10.0, 1e-9);  // k = 19: the curve's end value
    EXPECT_DOUBLE_EQ(s.next_edge(0.0), 0.8);
    EXPECT_DOUBLE_EQ(s.next_edge(0.5), 0.8);
    EXPECT_NEAR(s.next_edge(0.8), 0.81, 1e-12);
    EXPECT_NEAR(s.next_edge(0.8051), 0.81, 1e-12);
    EXPECT_DOUBLE_EQ(s.next_edge(0.995), 1.0);
}

TEST(ChargeStaircase, CoarserStepGivesFewerStairs) {
    // Same curve cut every 0.05 SoC: 0.2 / 0.05 = 4 stairs on the slope, at 50 (1 - 4 x 0.05 (k + 1))
    // = 40, 30, 20, 10 kW.
    const ChargeStaircase s({{0.0, 1.0}, {0.8, 1.0}, {1.0, 0.2}}, 50.0, 0.05);
    EXPECT_EQ(s.stairs(), 5u);
    EXPECT_NEAR(s.max_kw(0.82), 40.0, 1e-9);
    EXPECT_NEAR(s.max_kw(0.97), 10.0, 1e-9);
    EXPECT_NEAR(s.next_edge(0.82), 0.85, 1e-12);
}

TEST(ChargeStaircase, RisingCurveTakesEachStairsLowerEnd) {
    // 50 kW at SoC 0 rising to 100 kW at SoC 0.1, then flat: on the slope f(s) = 0.5 + 5 s, stair k
    // covers [0.01k, 0.01(k + 1)] at 100 f(0.01k) = 50 + 5k kW; then one flat stair of 100 kW.
    const ChargeStaircase s({{0.0, 0.5}, {0.1, 1.0}}, 100.0);
    EXPECT_EQ(s.stairs(), 11u);
    EXPECT_NEAR(s.max_kw(0.005), 50.0, 1e-9);
    EXPECT_NEAR(s.max_kw(0.035), 65.0, 1e-9);
    EXPECT_NEAR(s.max_kw(0.095), 95.0, 1e-9);
    EXPECT_DOUBLE_EQ(s.max_kw(0.5), 100.0);
    EXPECT_DOUBLE_EQ(s.next_edge(0.1), 1.0);
}

TEST(ChargeStaircase, ValleyTakesItsBottomOnBothSides) {
    // Down to 0.3 at SoC 0.5 and up again: the stairs on both sides of 0.5, [0.49, 0.50] and
    // [0.50, 0.51], take f(0.5) = 0.3, i.e. 30 kW.
    const ChargeStaircase s({{0.0, 1.0}, {0.5, 0.3}, {1.0, 1.0}}, 100.0);
    EXPECT_NEAR(s.max_kw(0.495), 30.0, 1e-9);
    EXPECT_NEAR(s.max_kw(0.505), 30.0, 1e-9);
    EXPECT_NEAR(s.max_kw(0.515), 31.4, 1e-9);  // [0.51, 0.52]: 100 x (0.3 + 1.4 x 0.01)
    EXPECT_NEAR(s.next_edge(0.505), 0.51, 1e-12);
}

TEST(ChargeStaircase, MostUpToAStairIsTheHighestAtOrBelowIt) {
    // The valley above: its first stair (98.6 kW) stays the most, down into the valley and back up
    // to its last stair (98.6 kW again). On a rising curve the most is the stair's own.
    const ChargeStaircase s({{0.0, 1.0}, {0.5, 0.3}, {1.0, 1.0}}, 100.0);
    const auto most_at = [&](double soc) { return s.most_kw_up_to(s.stair_of(soc, 0)); };
    EXPECT_NEAR(most_at(0.005), s.max_kw(0.005), 1e-9);
    EXPECT_NEAR(most_at(0.505), s.max_kw(0.005), 1e-9);
    EXPECT_NEAR(most_at(0.995), s.max_kw(0.005), 1e-9);
    const ChargeStaircase rising({{0.0, 0.5}, {0.1, 1.0}}, 100.0);
    EXPECT_NEAR(rising.most_kw_up_to(rising.stair_of(0.035, 0)), 65.0, 1e-9);
}

TEST(ChargeStaircase, SocWithinRoundingBelowAnEdgeCountsAsOnIt) {
    // Integration may leave the SoC a few ulps short of an edge it has crossed: 1e-13 below 0.8 is on
    // the stair that starts at 0.8 (48 kW), and the next edge is 0.81.
    const ChargeStaircase s({{0.0, 1.0}, {0.8, 1.0}, {1.0, 0.2}}, 50.0);
    EXPECT_NEAR(s.max_kw(0.8 - 1e-13), 48.0, 1e-9);
    EXPECT_NEAR(s.next_edge(0.8 - 1e-13), 0.81, 1e-12);
    EXPECT_DOUBLE_EQ(s.max_kw(0.8 - 1e-9), 50.0);  // farther than rounding: still the flat part
}

TEST(ChargeStaircase, MalformedCurvesThrow) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<std::vector<ChargeCurvePoint>> bad = {
        {{-0.1, 1.0}, {1.0, 1.0}},             // soc below 0
        {{0.0, 1.0}, {1.1, 1.0}},              // soc above 1
        {{nan, 1.0}},                          // soc not a number
        {{0.0, 1.0}, {0.5, 1.0}, {0.5, 0.5}},  // soc repeated
        {{0.0, 1.0}, {0.6, 1.0}, {0.4, 0.5}},  // soc decreasing
        {{0.0, 1.5}, {1.0, 1.0}},              // fraction above 1
        {{0.0, 1.0}, {1.0, -0.1}},             // fraction below 0
        {{0.0, nan}},                          // fraction not a number
    };
    for (std::size_t i = 0; i < bad.size(); ++i)
        EXPECT_THROW(ChargeStaircase(bad[i], 11.0), std::invalid_argument) << i;
    EXPECT_THROW(ChargeStaircase({{0.0, 1.0}}, -1.0), std::invalid_argument);
    EXPECT_THROW(ChargeStaircase({{0.0, 1.0}}, nan), std::invalid_argument);
    // A stair width of 0 would cut a slope into infinitely many stairs (and overflow the count).
    EXPECT_THROW(ChargeStaircase({{0.0, 1.0}, {1.0, 0.5}}, 11.0, 0.0), std::invalid_argument);
    EXPECT_THROW(ChargeStaircase({{0.0, 1.0}, {1.0, 0.5}}, 11.0, -0.01), std::invalid_argument);
    EXPECT_THROW(ChargeStaircase({{0.0, 1.0}, {1.0, 0.5}}, 11.0, nan), std::invalid_argument);
}

// For random valid curves: the staircase is never above the curve anywhere, each stair is the
// curve's minimum over its range (no more conservative than that), edges sit at the curve's points
// or at most `max_step_soc` apart on its slopes, and next_edge climbs strictly to 1.0.
TEST(ChargeStaircase, PropertyNeverAboveTheCurveOnRandomCurves) {
    std::mt19937_64 rng(20240701);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int trial = 0; trial < 400; ++trial) {
        const auto curve = test::random_curve(rng);
        const double rated = 1.0 + 349.0 * u(rng);
        const double step = std::array{0.01, 0.05, 0.003}[trial % 3];
        const ChargeStaircase s(curve, rated, step);
        const double eps = 1e-9 * rated;
        const auto f = [&](double soc) { return rated * curve_fraction(curve, soc); };
        SCOPED_TRACE("trial " + std::to_string(trial) + ", curve " + test::to_string(curve) + " x " +
                     std::to_string(rated) + " kW");

        const std::vector<double> edges = edges_of(s);
        ASSERT_EQ(edges.back(), 1.0);
        ASSERT_EQ(edges.size() - 1, s.stairs());  // one step of the walk per stair
        for (std::size_t i = 1; i < edges.size(); ++i) ASSERT_GT(edges[i], edges[i - 1]);

        // Breakpoints of the curve as the staircase sees it (extended to 0 and 1), and whether the
        // piece after each one slopes.
        std::vector<double> points{0.0};
        for (const auto& p : curve) points.push_back(p.soc);
        points.push_back(1.0);
        std::vector<bool> slopes;
        for (std::size_t j = 0; j + 1 < points.size(); ++j)
            slopes.push_back(points[j] < points[j + 1] &&
                             curve_fraction(curve, points[j]) != curve_fraction(curve, points[j + 1]));

        for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
            const double a = edges[i], b = edges[i + 1];
            const double kw = s.max_kw(a);
            // Never above: at both ends (the stair takes the minimum over the closed range) and inside.
            EXPECT_LE(kw, f(a) + eps);
            EXPECT_LE(kw, f(b) + eps);
            for (int k = 1; k < 8; ++k) {
                const double soc = a + (b - a) * k / 8.0;
                EXPECT_EQ(s.max_kw(soc), kw) << soc;
                EXPECT_LE(kw, f(soc) + eps) << soc;
            }
            // Tight: the curve's minimum over [a, b] is at an end or at one of its points inside.
            double lowest = std::min(f(a), f(b));
            for (double p : points)
                if (p > a && p < b) lowest = std::min(lowest, f(p));
            EXPECT_NEAR(kw, lowest, eps) << "stair [" << a << ", " << b << "]";
            // On every sloped piece of the curve, a stair spans at most `step` of SoC.
            for (std::size_t j = 0; j + 1 < points.size(); ++j) {
                if (!slopes[j]) continue;
                const double overlap = std::min(b, points[j + 1]) - std::max(a, points[j]);
                EXPECT_LE(overlap, step + 1e-12) << "stair [" << a << ", " << b << "]";
            }
            // An edge is at a point of the curve, or inside a sloped piece.
            if (i > 0) {
                bool at_point = std::find(points.begin(), points.end(), a) != points.end();
                bool on_slope = false;
                for (std::size_t j = 0; j + 1 < points.size(); ++j)
                    on_slope |= slopes[j] && a > points[j] && a < points[j + 1];
                EXPECT_TRUE(at_point || on_slope) << "edge " << a;
            }
        }
        // Anywhere, including SoCs drawn at random, and next_edge lies strictly ahead.
        for (int k = 0; k < 200; ++k) {
            const double soc = u(rng);
            EXPECT_LE(s.max_kw(soc), f(soc) + eps) << soc;
            EXPECT_GT(s.next_edge(soc), soc) << soc;
            EXPECT_LE(s.next_edge(soc), 1.0);
        }
    }
}

// The hinted look-up the vehicles use finds the stair the binary search finds, for every hint
// (right, one behind, far off, past the end), at random SoCs, exactly on edges, just below them
// (within the tolerance), outside [0, 1] and at NaN.
TEST(ChargeStaircase, PropertyHintedLookupAgreesWithTheSearch) {
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int trial = 0; trial < 300; ++trial) {
        const auto curve = test::random_curve(rng);
        const ChargeStaircase s(curve, 1.0 + 100.0 * u(rng), std::array{0.01, 0.05, 0.003}[trial % 3]);
        SCOPED_TRACE("trial " + std::to_string(trial) + ", curve " + test::to_string(curve));
        std::vector<double> socs = edges_of(s);
        for (std::size_t i = 0, n = socs.size(); i < n; ++i) {
            socs.push_back(socs[i] - 1e-13);
            socs.push_back(socs[i] - 1e-11);
            socs.push_back(std::nextafter(socs[i], 2.0));
        }
        for (int k = 0; k < 50; ++k) socs.push_back(u(rng));
        for (double x : {-0.5, 0.0, 1.0, 1.5, std::numeric_limits<double>::quiet_NaN()}) socs.push_back(x);
        for (double soc : socs) {
            const std::size_t found = s.stair_of(soc, 0);
            for (std::size_t hint : {std::size_t{0}, found, found > 0 ? found - 1 : 0, found + 1,
                                     s.stairs() / 2, s.stairs() - 1, s.stairs(), s.stairs() + 7}) {
                const std::size_t i = s.stair_of(soc, hint);
                ASSERT_LT(i, s.stairs());
                ASSERT_EQ(i, found) << "soc " << soc << ", hint " << hint;
                if (std::isnan(soc)) continue;
                EXPECT_EQ(s.stair_kw(i), s.max_kw(soc)) << soc;
                EXPECT_EQ(s.edge_after(i), s.next_edge(soc)) << soc;
            }
        }
    }
}

}  // namespace
}  // namespace evtwin

// Decision-period mode integrates the curve exactly over a period. A flat-to-0.8-then-linear-to-zero
// curve is ACN-Sim's continuous two-stage battery; its closed forms give the expected values.
namespace evtwin {
namespace {

const std::vector<ChargeCurvePoint> kTwoStage = {{0.0, 1.0}, {0.8, 1.0}, {1.0, 0.0}};

TEST(ChargeCurvePeriod, AboveTheTransitionSocDecaysExponentially) {
    // 10 kWh, 6.6 kW, 5 min: above 0.8 the limit is 6.6 (1 - s) / 0.2 kW, so
    // 1 - s(t) = (1 - s0) exp(-6.6 t / (10 x 0.2)); t = 1/12 h gives exp(-0.275).
    const ChargeStaircase curve(kTwoStage, 6.6);
    EXPECT_NEAR(curve.soc_after_charging(0.9, 6.6, 1.0 / 12, 10.0, 1.0, 1.0), 1 - 0.1 * std::exp(-0.275),
                1e-12);
}

TEST(ChargeCurvePeriod, CrossingTheTransitionWithinThePeriod) {
    // From 0.79 at 6.6 kW: 0.01 SoC in 0.01 x 10 / 6.6 h, then the decay for the rest of the period.
    // ACN-Sim's form: 1 + exp((0.055 + 0.79 - 0.8) / (0.8 - 1)) x (0.8 - 1) with 0.055 = 6.6 / 10 / 12.
    const ChargeStaircase curve(kTwoStage, 6.6);
    EXPECT_NEAR(curve.soc_after_charging(0.79, 6.6, 1.0 / 12, 10.0, 1.0, 1.0), 1 - 0.2 * std::exp(-0.225),
                1e-12);
}

TEST(ChargeCurvePeriod, AReducedPilotMovesTheTransitionUp) {
    // 16 A at 208 V = 3.328 kW: the curve falls to it at s* = 1 - 0.2 x 3.328 / 6.6 = 0.8992. Above
    // s* (from 0.95) only the decay applies, ACN-Sim: 1 + exp(pilot_dsoc / (s* - 1)) (0.95 - 1) with
    // pilot_dsoc = 3.328 / 10 / 12. From 0.85 the period ends before s*: linear, 0.85 + pilot_dsoc.
    // From 0.88 it crosses s* within the period: 1 + exp((pilot_dsoc + 0.88 - s*) / (s* - 1)) (s* - 1).
    const ChargeStaircase curve(kTwoStage, 6.6);
    const double s_star = 1 - 0.2 * 3.328 / 6.6;
    const double pilot_dsoc = 3.328 / 10 / 12;
    EXPECT_NEAR(curve.soc_after_charging(0.95, 3.328, 1.0 / 12, 10.0, 1.0, 1.0),
                1 + std::exp(pilot_dsoc / (s_star - 1)) * (0.95 - 1), 1e-12);
    EXPECT_NEAR(curve.soc_after_charging(0.85, 3.328, 1.0 / 12, 10.0, 1.0, 1.0), 0.85 + pilot_dsoc, 1e-12);
    EXPECT_NEAR(curve.soc_after_charging(0.88, 3.328, 1.0 / 12, 10.0, 1.0, 1.0),
                1 + std::exp((pilot_dsoc + 0.88 - s_star) / (s_star - 1)) * (s_star - 1), 1e-12);
}

TEST(ChargeCurvePeriod, FlatCurveIsTheIdealBatteryAndStopsAtTheBound) {
    // ACN-Sim's ideal Battery: min(pilot, max, rate_to_full). 6.6 kW for 5 min from 0.2 of 10 kWh.
    const ChargeStaircase flat({}, 6.6);
    EXPECT_NEAR(flat.soc_after_charging(0.2, 11.0, 1.0 / 12, 10.0, 1.0, 1.0), 0.2 + 0.055, 1e-12);
    EXPECT_NEAR(flat.soc_after_charging(0.2, 11.0, 1.0 / 12, 10.0, 1.0, 0.23), 0.23, 1e-12);
    // The battery efficiency scales what is stored: 6.6 kW x 0.9 for 5 min.
    EXPECT_NEAR(flat.soc_after_charging(0.2, 6.6, 1.0 / 12, 10.0, 0.9, 1.0), 0.2 + 0.055 * 0.9, 1e-12);
    EXPECT_DOUBLE_EQ(flat.soc_after_charging(0.2, 0.0, 1.0 / 12, 10.0, 1.0, 1.0), 0.2);
}

// Property: the exact integral never beats charging at the cap, never passes the stop, and splitting a
// period in two gives the same end SoC (the solution is a flow).
TEST(ChargeCurvePeriod, SplittingThePeriodGivesTheSameResult) {
    const ChargeStaircase curve({{0.0, 0.6}, {0.3, 1.0}, {0.8, 1.0}, {1.0, 0.05}}, 22.0);
    for (double soc = 0.0; soc < 1.0; soc += 0.037) {
        for (double cap : {3.0, 11.0, 22.0, 40.0}) {
            const double whole = curve.soc_after_charging(soc, cap, 0.5, 40.0, 0.95, 1.0);
            const double half = curve.soc_after_charging(soc, cap, 0.25, 40.0, 0.95, 1.0);
            EXPECT_NEAR(curve.soc_after_charging(half, cap, 0.25, 40.0, 0.95, 1.0), whole, 1e-9)
                << soc << " " << cap;
            EXPECT_LE(whole, soc + cap * 0.95 * 0.5 / 40.0 + 1e-12);
            EXPECT_LE(whole, 1.0);
            EXPECT_GE(whole, soc);
        }
    }
}

}  // namespace
}  // namespace evtwin
