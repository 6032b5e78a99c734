// The naive baselines and the views they read, on a tiny history worked out by hand.
#include "driver_sessions.hpp"
#include "drivers/evaluation.hpp"

#include <gtest/gtest.h>

namespace evtwin::drivers {
namespace {

using drivers_test::history_of;

// 2021-06-01 was a Tuesday; 2021-06-14 a Monday.
DriverHistory tiny() {
    return history_of({{"a", "2021-06-01T08:30", 6.0},
                       {"a", "2021-06-08T08:10", 8.0},
                       {"a", "2021-06-10T17:00", 13.0},
                       {"a", "2021-06-15T08:20", 9.0}});
}

constexpr int kTuesday8 = 24 + 8;
constexpr int kThursday17 = 3 * 24 + 17;

TEST(DriverBaselines, WeeksAndSlotsCountFromMonday) {
    EXPECT_EQ(hour_of_week(parse_local("1970-01-05T00:00")), 0);
    EXPECT_EQ(hour_of_week(parse_local("2021-06-01T08:30")), kTuesday8);
    EXPECT_EQ(hour_of_week(parse_local("2021-06-13T23:59")), 167);
    EXPECT_EQ(week_start(week_of(parse_local("2021-06-10T17:00"))), parse_local("2021-06-07"));
}

TEST(DriverBaselines, FrequencyIsTheShareOfTheDriversWeeks) {
    const DriverHistory h = tiny();
    DriverView view;
    ASSERT_TRUE(driver_view(h.drivers[0], parse_local("2021-06-14"), view));
    EXPECT_EQ(view.weeks, 2);  // 2021-06-01 is in the second week back
    DriverPrediction p;
    FrequencyBaseline{}.predict(view, population_view({view}), p);
    EXPECT_DOUBLE_EQ(p.probability[kTuesday8], 1.0);    // both weeks
    EXPECT_DOUBLE_EQ(p.probability[kThursday17], 0.5);  // one of two
    double rest = 0.0;
    for (int s = 0; s < kSlots; ++s)
        if (s != kTuesday8 && s != kThursday17) rest += p.probability[s];
    EXPECT_EQ(rest, 0.0);
    EXPECT_DOUBLE_EQ(p.next_kwh, 9.0);  // (6 + 8 + 13) / 3
}

TEST(DriverBaselines, LastWeekRepeatsTheWeekBefore) {
    const DriverHistory h = tiny();
    DriverView view;
    ASSERT_TRUE(driver_view(h.drivers[0], parse_local("2021-06-14"), view));
    DriverPrediction p;
    LastWeekBaseline{}.predict(view, population_view({view}), p);
    EXPECT_EQ(p.probability[kTuesday8], 1.0);
    EXPECT_EQ(p.probability[kThursday17], 1.0);
    EXPECT_EQ(p.probability[kTuesday8 + 1], 0.0);
    EXPECT_DOUBLE_EQ(p.next_kwh, 13.0);  // the last session's
}

TEST(DriverBaselines, SlotsFollowTheOriginsHour) {
    // From Tuesday 2021-06-15 06:00, the prediction's slot 2 is Tuesday 08:00.
    const DriverHistory h = tiny();
    DriverView view;
    ASSERT_TRUE(driver_view(h.drivers[0], parse_local("2021-06-15T06:00"), view));
    DriverPrediction p;
    FrequencyBaseline{}.predict(view, population_view({view}), p);
    EXPECT_EQ(most_likely_slot(p), 2);
}

TEST(DriverBaselines, FrequencyScoredOnTheWeekAfterByHand) {
    const DriverHistory h = tiny();
    const FrequencyBaseline frequency;
    const EvalReport report = evaluate(h, {&frequency}, parse_local("2021-06-14"), parse_local("2021-06-21"));
    ASSERT_EQ(report.origins, 1u);
    const Scores& s = report.rows[0].scores;
    // Tuesday 08:00: p 1, it came (0); Thursday 17:00: p 0.5, it did not (0.25).
    EXPECT_NEAR(s.brier(), 0.25 / 168.0, 1e-15);
    EXPECT_EQ(s.hits, 1u);                  // most likely Tuesday 08:00, came Tuesday 08:20
    EXPECT_DOUBLE_EQ(s.energy_mae(), 0.0);  // expected 9, took 9
}

TEST(DriverBaselines, ADriverWithoutPastIsNotPredicted) {
    const DriverHistory h = history_of({{"a", "2021-06-01T08:30"}, {"b", "2021-06-16T09:00"}});
    EXPECT_EQ(driver_views(h, parse_local("2021-06-14")).size(), 1u);
}

}  // namespace
}  // namespace evtwin::drivers
