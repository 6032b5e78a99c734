// The clairvoyant row (drivers/ceiling.hpp): a bound on the next-charge score, worked out by hand.
#include "driver_sessions.hpp"
#include "drivers/ceiling.hpp"

#include <gtest/gtest.h>

namespace evtwin::drivers {
namespace {

using drivers_test::history_of;

// 2021-06-14 and 2021-06-21 were Mondays. The first session is the driver's past; the span
// [06-14, 06-28) holds three weekday charging days (08:xx twice, 09:xx once) and one Saturday.
DriverHistory span_of_two_weeks() {
    return history_of({{"a", "2021-06-01T08:30", 5.0},
                       {"a", "2021-06-14T08:10", 6.0},
                       {"a", "2021-06-15T08:20", 8.0},
                       {"a", "2021-06-21T09:05", 10.0},
                       {"a", "2021-06-26T11:00", 4.0}});
}

TEST(DriverCeiling, KnowsTheDaysAndTheSpansHoursNotEachSessionsHour) {
    const DriverHistory h = span_of_two_weeks();
    const LocalMs from = parse_local("2021-06-14"), to = parse_local("2021-06-28");
    const ClairvoyantDays ceiling(h, from, to);
    const EvalReport report = evaluate(h, {}, from, to, &ceiling);
    ASSERT_EQ(report.rows.size(), 1u);
    EXPECT_EQ(report.rows[0].predictor, "clairvoyant_days");
    const Scores& s = report.rows[0].scores;
    ASSERT_EQ(s.pairs, 2u);
    // On a weekday it charges, 08:00 has 2/3 (two of three weekday charging days), 09:00 1/3; on a
    // Saturday it charges, 11:00 has 1. Week 1 (Monday and Tuesday at 08:xx): four slots off by 1/3,
    // 4/9. Week 2 (Monday at 09:05, Saturday at 11:00): Monday's two slots off by 2/3, 8/9;
    // Saturday 0. Together 12/9 over 2 x 168 slots.
    EXPECT_NEAR(s.brier(), (12.0 / 9.0) / (2 * 168), 1e-15);
    // Week 1's most likely slot is Monday 08:00 (hit); week 2's Saturday 11:00, the session
    // came Monday 09:05 (miss).
    EXPECT_EQ(s.hit_cases, 2u);
    EXPECT_EQ(s.hits, 1u);
    // The span's mean energy (6 + 8 + 10 + 4) / 4 = 7 against the next sessions' 6 and 10.
    EXPECT_DOUBLE_EQ(s.energy_mae(), 2.0);
}

TEST(DriverCeiling, SitsBesideThePredictorsLast) {
    const DriverHistory h = span_of_two_weeks();
    const LocalMs from = parse_local("2021-06-14"), to = parse_local("2021-06-28");
    const ClairvoyantDays ceiling(h, from, to);
    const FrequencyBaseline frequency;
    const EvalReport report = evaluate(h, {&frequency}, from, to, &ceiling);
    ASSERT_EQ(report.rows.size(), 2u);
    EXPECT_EQ(report.rows[0].predictor, "frequency");
    EXPECT_EQ(report.rows[1].predictor, "clairvoyant_days");
    EXPECT_LT(report.rows[1].scores.brier(), report.rows[0].scores.brier());
}

}  // namespace
}  // namespace evtwin::drivers
