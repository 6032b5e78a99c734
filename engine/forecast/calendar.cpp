#include "forecast/calendar.hpp"

#include <stdexcept>

namespace evtwin {
namespace {

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
int days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int weekday_monday0(int days) {
    return ((days % 7) + 7 + 3) % 7;
}  // 1970-01-01 was a Thursday

// The day of the n-th `weekday` (0 = Monday) of a month; n = -1 for the last.
int nth_weekday(int y, int m, int weekday, int n) {
    if (n > 0) {
        const int first = days_from_civil(y, m, 1);
        return first + (weekday - weekday_monday0(first) + 7) % 7 + 7 * (n - 1);
    }
    const int last = days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
    return last - (weekday_monday0(last) - weekday + 7) % 7;
}

// Easter Sunday (anonymous Gregorian algorithm).
int easter(int y) {
    const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25;
    const int g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
    return days_from_civil(y, month, day);
}

// A fixed-date US holiday on a Saturday is observed on the Friday before, on a Sunday the Monday after.
bool us_observed(int day, int y, int m, int d) {
    const int fixed = days_from_civil(y, m, d);
    const int w = weekday_monday0(fixed);
    return day == (w == 5 ? fixed - 1 : w == 6 ? fixed + 1 : fixed);
}

bool us_holiday(int y, int day) {
    return us_observed(day, y, 1, 1) || us_observed(day, y + 1, 1, 1) || day == nth_weekday(y, 1, 0, 3) ||
           day == nth_weekday(y, 2, 0, 3) || day == nth_weekday(y, 5, 0, -1) ||
           (y >= 2021 && us_observed(day, y, 6, 19)) || us_observed(day, y, 7, 4) ||
           day == nth_weekday(y, 9, 0, 1) || day == nth_weekday(y, 10, 0, 2) || us_observed(day, y, 11, 11) ||
           day == nth_weekday(y, 11, 3, 4) || us_observed(day, y, 12, 25);
}

bool no_holiday(int y, int m, int d, int day) {
    const int e = easter(y);
    return (m == 1 && d == 1) || (m == 5 && (d == 1 || d == 17)) || (m == 12 && (d == 25 || d == 26)) ||
           day == e - 3 || day == e - 2 || day == e || day == e + 1 || day == e + 39 || day == e + 49 ||
           day == e + 50;
}

bool nl_holiday(int y, int m, int d, int day) {
    const int e = easter(y);
    const int kings = days_from_civil(y, 4, 27);
    const int kings_observed = weekday_monday0(kings) == 6 ? kings - 1 : kings;
    return (m == 1 && d == 1) || (m == 5 && d == 5) || (m == 12 && (d == 25 || d == 26)) ||
           day == kings_observed || day == e - 2 || day == e || day == e + 1 || day == e + 39 ||
           day == e + 49 || day == e + 50;
}

}  // namespace

HolidayCalendar::HolidayCalendar(std::string name) : name_(std::move(name)) {
    if (name_ != "us" && name_ != "no" && name_ != "nl" && name_ != "none")
        throw std::invalid_argument("unknown holiday calendar '" + name_ + "': expected us, no, nl or none");
}

bool HolidayCalendar::is_holiday(int year, int month, int day) const {
    const int days = days_from_civil(year, month, day);
    if (name_ == "us") return us_holiday(year, days);
    if (name_ == "no") return no_holiday(year, month, day, days);
    if (name_ == "nl") return nl_holiday(year, month, day, days);
    return false;
}

CalendarStep calendar_step(Time t, const TimeZone& zone, const HolidayCalendar& holidays) {
    const LocalDateTime l = zone.to_local(t);
    CalendarStep c;
    c.hour = static_cast<float>(l.hour + l.minute / 60.0 + l.second / 3600.0);
    c.weekday = static_cast<std::uint8_t>((l.weekday + 6) % 7);
    c.holiday = holidays.is_holiday(l.year, l.month, l.day);
    return c;
}

std::vector<CalendarStep> calendar_steps(Time start, Duration step, std::size_t n, const TimeZone& zone,
                                         const HolidayCalendar& holidays) {
    std::vector<CalendarStep> out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = calendar_step(start + step * static_cast<std::int64_t>(i), zone, holidays);
    return out;
}

}  // namespace evtwin
