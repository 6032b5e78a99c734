// The site calendar: public holidays by rule, local hour and weekday.
#include "forecast/calendar.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

TEST(HolidayCalendar, UsFederalHolidaysOf2019WithObservedDays) {
    const HolidayCalendar us("us");
    for (auto [m, d] :
         {std::pair{1, 1}, {1, 21}, {2, 18}, {5, 27}, {7, 4}, {9, 2}, {10, 14}, {11, 11}, {11, 28}, {12, 25}})
        EXPECT_TRUE(us.is_holiday(2019, m, d)) << m << "/" << d;
    EXPECT_FALSE(us.is_holiday(2019, 6, 19));  // Juneteenth is federal from 2021
    EXPECT_TRUE(us.is_holiday(2021, 6, 18));   // 2021-06-19 was a Saturday: observed on Friday
    EXPECT_TRUE(us.is_holiday(2021, 12, 31));  // New Year 2022 on a Saturday: observed the Friday before
    EXPECT_TRUE(us.is_holiday(2020, 7, 3));    // July 4th 2020, a Saturday
    EXPECT_FALSE(us.is_holiday(2019, 11, 29));
    EXPECT_FALSE(us.is_holiday(2019, 3, 15));
}

TEST(HolidayCalendar, EasterBasedHolidays) {
    const HolidayCalendar no("no"), nl("nl");
    // Easter Sunday 2019 was April 21st.
    for (auto [m, d] :
         {std::pair{4, 18}, {4, 19}, {4, 21}, {4, 22}, {5, 1}, {5, 17}, {5, 30}, {6, 9}, {6, 10}, {12, 26}})
        EXPECT_TRUE(no.is_holiday(2019, m, d)) << m << "/" << d;
    EXPECT_FALSE(no.is_holiday(2019, 4, 20));
    EXPECT_TRUE(nl.is_holiday(2019, 4, 27));  // King's Day
    EXPECT_TRUE(nl.is_holiday(2014, 4, 26));  // 2014-04-27 was a Sunday
    EXPECT_FALSE(nl.is_holiday(2019, 4, 18));
    EXPECT_FALSE(HolidayCalendar("none").is_holiday(2019, 12, 25));
    EXPECT_THROW(HolidayCalendar("xx"), std::invalid_argument);
}

TEST(CalendarStep, LocalHourAndMondayFirstWeekday) {
    const TimeZone la("America/Los_Angeles");
    const HolidayCalendar us("us");
    // 2019-07-04T17:30Z is 10:30 local (PDT), a Thursday and a holiday.
    const CalendarStep c = calendar_step(parse_time("2019-07-04T17:30:00Z", la), la, us);
    EXPECT_FLOAT_EQ(c.hour, 10.5f);
    EXPECT_EQ(c.weekday, 3);
    EXPECT_TRUE(c.holiday);
    const auto steps = calendar_steps(parse_time("2019-07-07T00:00", la), Duration::hours(1), 25, la, us);
    EXPECT_EQ(steps[0].weekday, 6);  // Sunday
    EXPECT_EQ(steps[24].weekday, 0);
    EXPECT_FALSE(steps[0].holiday);
}

}  // namespace
}  // namespace evtwin
