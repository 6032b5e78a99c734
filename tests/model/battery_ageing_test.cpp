// Capacity fade: the published laws by hand, the direction of every stressor, fade that does not depend
// on how a life is cut into stretches, the reference use, and the marginal costs.
#include "model/battery_ageing.hpp"
#include "model/lfp_fade.hpp"
#include "model/nmc_fade.hpp"
#include "model/reference_use.hpp"
#include "model/reference_weeks_table.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <span>
#include <stdexcept>
#include <vector>

namespace evtwin {
namespace {

constexpr Chemistry kBoth[] = {Chemistry::nmc, Chemistry::lfp};

std::vector<SocPoint> flat(double days, double soc, double temperature_c) {
    return {{0.0, soc, temperature_c}, {days, soc, temperature_c}};
}

// Full cycles between `low` and `high` starting at `high`, at `c_rate` (SoC per hour), `n` of them.
std::vector<SocPoint> cycles(int n, double low, double high, double c_rate, double temperature_c,
                             double t0 = 0.0) {
    std::vector<SocPoint> trace{{t0, high, temperature_c}};
    const double leg_days = (high - low) / c_rate / 24.0;
    for (int i = 0; i < n; ++i) {
        trace.push_back({trace.back().t_days + leg_days, low, temperature_c});
        trace.push_back({trace.back().t_days + leg_days, high, temperature_c});
    }
    return trace;
}

// A week of irregular use: parked stretches at several SoCs and temperatures, drives and charges.
std::vector<SocPoint> irregular_week() {
    std::vector<SocPoint> trace;
    double t = 0.0;
    double soc = 0.55;
    for (int i = 0; i < 60; ++i) {
        const double temperature = 15.0 + 12.0 * std::sin(0.7 * i);
        trace.push_back({t, soc, temperature});
        t += 0.02 + 0.2 * (0.5 + 0.5 * std::sin(1.3 * i));
        soc = std::clamp(0.5 + 0.35 * std::sin(0.9 * i) + 0.1 * std::cos(2.1 * i), 0.05, 0.95);
    }
    trace.push_back({t, soc, 20.0});
    return trace;
}

Fade age_in_pieces(BatteryAgeing& battery, std::span<const SocPoint> trace, std::vector<std::size_t> cuts) {
    Fade total;
    std::size_t from = 0;
    cuts.push_back(trace.size() - 1);
    for (const std::size_t to : cuts) {
        const Fade f = battery.age(trace.subspan(from, to - from + 1));
        total.calendar += f.calendar;
        total.cycling += f.cycling;
        from = to;
    }
    return total;
}

TEST(BatteryAgeing, ParsesChemistries) {
    EXPECT_EQ(parse_chemistry("nmc"), Chemistry::nmc);
    EXPECT_EQ(parse_chemistry("lfp"), Chemistry::lfp);
    EXPECT_STREQ(chemistry_name(Chemistry::lfp), "lfp");
    const std::string message = test::error_of<std::invalid_argument>([] { parse_chemistry("nca"); });
    EXPECT_NE(message.find("'nca'"), std::string::npos) << message;
    EXPECT_NE(message.find("nmc or lfp"), std::string::npos) << message;
}

TEST(BatteryAgeing, RejectsBadStateAndTraces) {
    for (const double soh : {0.0, -0.1, 1.2, std::nan("")}) {
        const std::string m =
            test::error_of<std::invalid_argument>([&] { BatteryAgeing b(Chemistry::nmc, soh); });
        EXPECT_NE(m.find("state of health"), std::string::npos) << m;
    }
    BatteryAgeing b(Chemistry::nmc);
    const std::vector<SocPoint> one{{0, 0.5, 20}};
    EXPECT_THROW(b.age(one), std::invalid_argument);
    const std::vector<SocPoint> backwards{{1, 0.5, 20}, {0, 0.5, 20}};
    EXPECT_THROW(b.age(backwards), std::invalid_argument);
    const std::vector<SocPoint> overfull{{0, 0.5, 20}, {1, 1.5, 20}};
    EXPECT_THROW(b.age(overfull), std::invalid_argument);
    EXPECT_THROW(BatteryAgeing::from_losses(Chemistry::lfp, -0.1, 0.0), std::invalid_argument);
    EXPECT_DOUBLE_EQ(b.soh(), 1.0);
}

TEST(BatteryAgeing, NmcCalendarYearAt50CMatchesSchmalstieg) {
    // By hand from Schmalstieg et al. (2014): V(50 %) from the OCV table (0.498480903 -> 3.696420384 V,
    // 0.516623264 -> 3.708323686 V), alpha = (7.543 V - 23.75) 1e6 exp(-6976 / T), loss = alpha t^0.75.
    const double v =
        3.696420384 + (3.708323686 - 3.696420384) * (0.5 - 0.498480903) / (0.516623264 - 0.498480903);
    const double alpha = (7.543 * v - 23.75) * 1e6 * std::exp(-6976.0 / 323.15);
    const double expected = alpha * std::pow(365.0, 0.75);
    BatteryAgeing b(Chemistry::nmc);
    const Fade f = b.age(flat(365.0, 0.5, 50.0));
    EXPECT_NEAR(f.calendar, expected, 1e-12 * expected);
    EXPECT_NEAR(expected, 0.147, 0.002);  // about 15 % a year at 50 °C
    EXPECT_EQ(f.cycling, 0.0);
    EXPECT_NEAR(b.soh(), 1.0 - expected, 1e-15);
}

// The NMC laws integrate over the OCV table piece by piece from running sums; a fine midpoint rule
// over ocv() and calendar_alpha() must agree, for windows inside one piece, across many, and at
// the table's ends.
TEST(BatteryAgeing, NmcIntegralsOverSocMatchQuadrature) {
    const auto mean_of = [](double a, double b, auto f) {
        constexpr int n = 20000;
        double sum = 0.0;
        for (int i = 0; i < n; ++i) sum += f(a + (b - a) * (i + 0.5) / n);
        return sum / n;
    };
    const double p = 0.75;  // Schmalstieg's calendar exponent: the rate integrated is alpha^(1/p)
    for (const auto& [a, b] : {std::pair{0.0, 1.0},
                               {0.0, 0.005},
                               {0.3, 0.31},
                               {0.4, 0.8},
                               {0.2, 0.6},
                               {0.9, 1.0},
                               {0.099348958, 0.117491319},
                               {0.55, 0.998}}) {
        const double rms = std::sqrt(mean_of(a, b, [](double s) { return std::pow(fade::nmc::ocv(s), 2); }));
        EXPECT_NEAR(fade::nmc::rms_ocv(a, b), rms, 1e-7) << a << ".." << b;
        const double temperature = 25.0;
        const double rate = mean_of(
            a, b, [&](double s) { return std::pow(fade::nmc::calendar_alpha(s, temperature), 1.0 / p); });
        const double loss = fade::nmc::calendar_after(0.0, {a, b, 100.0, temperature});
        EXPECT_NEAR(loss / std::pow(rate * 100.0, p), 1.0, 1e-7) << a << ".." << b;
    }
}

// A trace's segments aged at once (one power law for all, the power at an end they share worked out
// once) and one after another give the same calendar fade: charges, V2G discharges, parked
// stretches, segments that start or end on a point of the OCV table, from a new and a used battery.
TEST(BatteryAgeing, CalendarFadeOverSegmentsAtOnceIsSegmentBySegment) {
    const double knot = 0.099348958;  // a point of the NMC OCV table
    const std::vector<fade::Segment> segments{
        {0.20, 0.35, 0.05, 25.0}, {0.35, 0.80, 0.10, 25.0}, {0.80, 0.80, 2.00, 18.0},
        {0.80, 0.60, 0.04, 30.0}, {0.60, 0.45, 0.04, 30.0}, {0.45, knot, 0.08, 30.0},
        {knot, knot, 0.50, 10.0}, {knot, 0.95, 0.20, 22.0}, {0.95, 1.00, 0.01, 22.0},
        {1.00, 0.97, 0.00, 22.0}, {0.97, 0.30, 0.30, 35.0}};
    for (const Chemistry c : kBoth) {
        for (const double start : {0.0, 0.03}) {
            double one_by_one = start;
            for (const fade::Segment& s : segments)
                one_by_one = c == Chemistry::nmc ? fade::nmc::calendar_after(one_by_one, s)
                                                 : fade::lfp::calendar_after(one_by_one, s);
            const double at_once = c == Chemistry::nmc ? fade::nmc::calendar_after_segments(start, segments)
                                                       : fade::lfp::calendar_after_segments(start, segments);
            EXPECT_GT(at_once, start + 1e-5) << chemistry_name(c);
            EXPECT_NEAR(at_once, one_by_one, 1e-12 * one_by_one) << chemistry_name(c) << " from " << start;
        }
    }
}

TEST(BatteryAgeing, LfpCalendarFollowsTheSigmoid) {
    const auto p = fade::lfp::calendar_params(0.5, 25.0);
    const double expected = p.q1 * std::tanh(std::pow(p.q2 * 365.0, p.q3) / 2.0);
    BatteryAgeing b(Chemistry::lfp);
    EXPECT_NEAR(b.age(flat(365.0, 0.5, 25.0)).calendar, expected, 1e-12);
    EXPECT_GT(expected, 0.01);
    EXPECT_LT(expected, 0.08);
}

TEST(BatteryAgeing, HotterAndFullerMeansMoreCalendarFade) {
    for (const Chemistry c : kBoth) {
        const auto fade_at = [&](double soc, double temperature) {
            BatteryAgeing b(c);
            return b.age(flat(100.0, soc, temperature)).calendar;
        };
        EXPECT_LT(fade_at(0.5, 15.0), fade_at(0.5, 25.0)) << chemistry_name(c);
        EXPECT_LT(fade_at(0.5, 25.0), fade_at(0.5, 45.0)) << chemistry_name(c);
        EXPECT_LT(fade_at(0.2, 25.0), fade_at(0.5, 25.0)) << chemistry_name(c);
        EXPECT_LT(fade_at(0.5, 25.0), fade_at(0.9, 25.0)) << chemistry_name(c);
    }
}

TEST(BatteryAgeing, DeeperAndFasterCyclesWearMorePerEfc) {
    for (const Chemistry c : kBoth) {
        const auto per_efc = [&](double depth, double c_rate) {
            BatteryAgeing b(c);
            const auto trace = cycles(50, 0.5 - depth / 2.0, 0.5 + depth / 2.0, c_rate, 25.0);
            return b.age(trace).cycling / (50.0 * depth);  // 50 full swings of `depth` make 50 depth EFC
        };
        EXPECT_LT(per_efc(0.3, 0.5), per_efc(0.6, 0.5)) << chemistry_name(c);
        EXPECT_LT(per_efc(0.6, 0.5), per_efc(0.9, 0.5)) << chemistry_name(c);
        EXPECT_LT(per_efc(0.6, 0.3), per_efc(0.6, 1.0)) << chemistry_name(c);
        EXPECT_LT(per_efc(0.6, 1.0), per_efc(0.6, 2.0)) << chemistry_name(c);

        const BatteryAgeing used = BatteryAgeing::from_losses(c, 0.03, 0.03);
        EXPECT_LT(used.cycling_loss_per_efc(0.2, 0.5, 25.0), used.cycling_loss_per_efc(0.8, 0.5, 25.0));
        EXPECT_LT(used.cycling_loss_per_efc(0.5, 0.2, 25.0), used.cycling_loss_per_efc(0.5, 1.5, 25.0));
    }
}

TEST(BatteryAgeing, CRateFactorIsOneAtTheRateSchmalstiegTested) {
    EXPECT_DOUBLE_EQ(fade::nmc::c_rate_factor(1.0, 35.0), 1.0);
    EXPECT_LT(fade::nmc::c_rate_factor(0.3, 35.0), 1.0);
    EXPECT_GT(fade::nmc::c_rate_factor(2.0, 35.0), 1.0);
}

TEST(BatteryAgeing, LfpCyclingIsHeldAtTheHighestTestedCRate) {
    const BatteryAgeing b = BatteryAgeing::from_losses(Chemistry::lfp, 0.02, 0.02);
    const double at_limit = b.cycling_loss_per_efc(0.8, 1.5, 25.0);
    EXPECT_DOUBLE_EQ(b.cycling_loss_per_efc(0.8, 2.5, 25.0), at_limit);
    EXPECT_LT(at_limit, 1e-3);  // per EFC: a fast-charged LFP pack is not destroyed in a few cycles
}

TEST(BatteryAgeing, LfpCyclesSlowerThanNmcAtEqualStress) {
    for (const double depth : {0.4, 0.8}) {
        BatteryAgeing nmc(Chemistry::nmc);
        BatteryAgeing lfp(Chemistry::lfp);
        const auto trace = cycles(500, 0.5 - depth / 2.0, 0.5 + depth / 2.0, 0.5, 25.0);
        const double nmc_fade = nmc.age(trace).cycling;
        const double lfp_fade = lfp.age(trace).cycling;
        EXPECT_GT(lfp_fade, 0.0);
        EXPECT_LT(lfp_fade, 0.5 * nmc_fade) << "depth " << depth;
    }
}

TEST(BatteryAgeing, CalendarFadeDoesNotDependOnHowTheLifeIsSplit) {
    const auto week = irregular_week();
    for (const Chemistry c : kBoth) {
        BatteryAgeing whole(c, 0.93);
        BatteryAgeing pieces(c, 0.93);
        const Fade a = whole.age(week);
        const Fade b = age_in_pieces(pieces, week, {7, 8, 23, 40});
        EXPECT_NEAR(b.calendar, a.calendar, 1e-9 * a.calendar) << chemistry_name(c);
        EXPECT_GT(a.calendar, 0.0);
        EXPECT_NEAR(pieces.calendar_loss(), whole.calendar_loss(), 1e-12) << chemistry_name(c);
    }
}

TEST(BatteryAgeing, ExtraPointsOnALinearSegmentChangeNothing) {
    // A point inserted on a straight stretch of the trace: NMC integrates exactly, LFP in small sub-steps.
    const std::vector<SocPoint> two{{0.0, 0.2, 30.0}, {3.0, 0.9, 30.0}, {10.0, 0.9, 30.0}};
    const std::vector<SocPoint> three{{0.0, 0.2, 30.0},
                                      {1.1, 0.2 + 0.7 * 1.1 / 3.0, 30.0},
                                      {3.0, 0.9, 30.0},
                                      {6.5, 0.9, 30.0},
                                      {10.0, 0.9, 30.0}};
    for (const Chemistry c : kBoth) {
        BatteryAgeing a(c, 0.95);
        BatteryAgeing b(c, 0.95);
        const double fa = a.age(two).calendar;
        const double fb = b.age(three).calendar;
        EXPECT_NEAR(fb, fa, (c == Chemistry::nmc ? 1e-12 : 1e-5) * fa) << chemistry_name(c);
    }
}

TEST(BatteryAgeing, CyclingSplitAtATurningPointGivesTheSameFade) {
    const auto trace = cycles(40, 0.3, 0.8, 0.4, 25.0);
    for (const Chemistry c : kBoth) {
        BatteryAgeing whole(c, 0.9);
        BatteryAgeing pieces(c, 0.9);
        const Fade a = whole.age(trace);
        const Fade b = age_in_pieces(pieces, trace, {2, 10, 40});  // even indices are the peaks at 80 %
        EXPECT_NEAR(b.cycling, a.cycling, 1e-9 * a.cycling) << chemistry_name(c);
        EXPECT_NEAR(b.calendar, a.calendar, 1e-9 * a.calendar) << chemistry_name(c);
    }
}

TEST(BatteryAgeing, FullCyclesSurviveASplitAtATurningPoint) {
    // Each day: two inner 50-70 % cycles inside a 90 -> 10 -> 90 % swing. Whole, rainflow pairs the big
    // swings of consecutive days into full cycles; cut at the 90 % peaks, each piece counts them as two
    // halves. Same depths, windows and rates, so the same fade, up to the SoH at which each cycle's
    // throughput is converted to nominal EFC (when the cycle closes: a half closes earlier than the full
    // cycle it is part of), a second-order effect of about (fade in a day) x (share of those cycles).
    std::vector<SocPoint> trace{{0.0, 0.9, 25.0}};
    const double socs[] = {0.5, 0.7, 0.5, 0.7, 0.1, 0.9};
    for (int day = 0; day < 6; ++day) {
        for (const double soc : socs) {
            const double hours = std::abs(soc - trace.back().soc) / 0.5;
            trace.push_back({trace.back().t_days + hours / 24.0, soc, 25.0});
        }
        trace.push_back({day + 1.0, 0.9, 25.0});  // parked full until the next day
    }
    for (const Chemistry c : kBoth) {
        BatteryAgeing whole(c, 0.9);
        BatteryAgeing pieces(c, 0.9);
        const Fade a = whole.age(trace);
        const Fade b = age_in_pieces(pieces, trace, {7, 14, 21, 35});  // days end at 90 % (every 7th point)
        EXPECT_NEAR(b.cycling, a.cycling, 2e-4 * a.cycling) << chemistry_name(c);
        EXPECT_NEAR(b.calendar, a.calendar, 1e-9 * a.calendar) << chemistry_name(c);
    }
}

TEST(BatteryAgeing, HealthNeverRises) {
    const auto week = irregular_week();
    for (const Chemistry c : kBoth) {
        BatteryAgeing b(c);
        double previous = b.soh();
        for (int w = 0; w < 30; ++w) {
            for (std::size_t i = 0; i + 1 < week.size(); i += 5) {
                const std::size_t end = std::min(week.size(), i + 7);
                const Fade f = b.age(std::span(week).subspan(i, end - i));
                EXPECT_GE(f.calendar, 0.0);
                EXPECT_GE(f.cycling, 0.0);
                EXPECT_LE(b.soh(), previous);
                previous = b.soh();
            }
        }
        EXPECT_LT(b.soh(), 1.0);
    }
}

TEST(BatteryAgeing, ExpectedSohStartsAtOneAndFalls) {
    for (const Chemistry c : kBoth) {
        EXPECT_DOUBLE_EQ(expected_soh(c, 0.0), 1.0);
        double previous = 1.0;
        for (const double years : {0.01, 0.5, 1.0, 2.0, 3.3, 5.0, 8.0, 12.0}) {
            const double soh = expected_soh(c, years);
            EXPECT_LT(soh, previous) << chemistry_name(c) << " at " << years << " years";
            EXPECT_GT(soh, 0.0);
            previous = soh;
        }
        EXPECT_THROW(expected_soh(c, -1.0), std::invalid_argument);
    }
    // LFP outlasts NMC under the same use.
    EXPECT_GT(expected_soh(Chemistry::lfp, 8.0), expected_soh(Chemistry::nmc, 8.0));
}

TEST(BatteryAgeing, ExpectedSohIsTheModelUnderTheReferenceUse) {
    // Aging a new battery along the reference trace in weekly stretches gives expected_soh.
    for (const Chemistry c : kBoth) {
        BatteryAgeing b(c);
        const double days = 7.0 * 20 + 3.5;
        for (double t = 0.0; t < days; t += 7.0) b.age(reference_trace(t, std::min(t + 7.0, days)));
        EXPECT_NEAR(b.soh(), expected_soh(c, days / 365.25), 1e-12) << chemistry_name(c);
        // 300 EFC a year: about 300 * 140 / 365 EFC in these days, of 40 % swings.
        EXPECT_GT(b.cycling_loss(), 0.0);
        EXPECT_GT(b.calendar_loss(), 0.0);
    }
}

TEST(BatteryAgeing, UsedBatteryStartsOnTheReferenceUse) {
    for (const Chemistry c : kBoth) {
        const double soh = expected_soh(c, 6.0);
        const BatteryAgeing b(c, soh);
        EXPECT_NEAR(b.soh(), soh, 1e-12);
        const ReferenceLoss ref = reference_loss(c, 6.0 * 365.25);
        EXPECT_NEAR(b.calendar_loss() / (1.0 - soh), ref.calendar / ref.total(), 1e-3) << chemistry_name(c);
        const BatteryAgeing fresh(c, 1.0);
        EXPECT_EQ(fresh.calendar_loss(), 0.0);
        EXPECT_EQ(fresh.cycling_loss(), 0.0);
    }
}

TEST(BatteryAgeing, TheBuildsReferenceWeeksAreTheSimulatedOnes) {
    // The table the build generated holds, bit for bit, what simulating the reference use gives: all
    // 60 years of NMC, the first ten of LFP (the rest takes a second).
    for (const Chemistry c : kBoth) {
        const std::span<const ReferenceLoss> table = reference_weeks_table(c);
        ASSERT_EQ(table.size(), reference_table_weeks() + 1) << chemistry_name(c);
        const std::size_t weeks = c == Chemistry::nmc ? reference_table_weeks() : 522;
        const std::vector<ReferenceLoss> simulated = compute_reference_weeks(c, weeks);
        for (std::size_t w = 0; w <= weeks; ++w) {
            ASSERT_EQ(table[w].calendar, simulated[w].calendar) << chemistry_name(c) << " week " << w;
            ASSERT_EQ(table[w].cycling, simulated[w].cycling) << chemistry_name(c) << " week " << w;
        }
    }
}

TEST(BatteryAgeing, MarginalCostsMatchFiniteDifferences) {
    for (const Chemistry c : kBoth) {
        // Calendar: an hour parked at 70 % and 35 °C.
        BatteryAgeing b = BatteryAgeing::from_losses(c, 0.04, 0.05);
        const double per_day = b.calendar_loss_per_day(0.7, 35.0);
        const double hour = 1.0 / 24.0;
        EXPECT_NEAR(b.age(flat(hour, 0.7, 35.0)).calendar / hour, per_day, 1e-4 * per_day)
            << chemistry_name(c);

        // Cycling: one swing 30 -> 70 -> 30 % (two half cycles of depth 0.4, 0.4 present-capacity EFC) at
        // 0.8 C of nominal capacity.
        BatteryAgeing d = BatteryAgeing::from_losses(c, 0.04, 0.05);
        const double soh = d.soh();
        const double per_efc = d.cycling_loss_per_efc(0.4, 0.8, 25.0);
        const double leg_days = 0.4 / (0.8 / soh) / 24.0;
        const std::vector<SocPoint> swing{{0, 0.3, 25.0}, {leg_days, 0.7, 25.0}, {2 * leg_days, 0.3, 25.0}};
        const double fade = d.age(swing).cycling;
        EXPECT_NEAR(fade / (0.4 * soh), per_efc, 2e-3 * per_efc) << chemistry_name(c);
    }
}

TEST(BatteryAgeing, NewBatteryHasAFiniteMarginalCost) {
    for (const Chemistry c : kBoth) {
        const BatteryAgeing b(c);
        const double per_efc = b.cycling_loss_per_efc(0.5, 0.5, 25.0);
        const double per_day = b.calendar_loss_per_day(0.5, 25.0);
        EXPECT_TRUE(std::isfinite(per_efc) && per_efc > 0.0) << chemistry_name(c);
        EXPECT_TRUE(std::isfinite(per_day) && per_day > 0.0) << chemistry_name(c);
    }
}

}  // namespace
}  // namespace evtwin
