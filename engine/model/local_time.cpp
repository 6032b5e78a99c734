#include "model/local_time.hpp"

#include "model/zone_file.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace evtwin {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

// Days since 1970-01-01 of a proleptic Gregorian date, in 64 bits so any Time converts without
// overflow (date::days is 32-bit). The month may be out of 1..12 and the day out of the month: both
// are carried over, so callers can ask for "day 32 of January".
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
    y += floor_div(m - 1, 12);
    m = m - 1 - floor_div(m - 1, 12) * 12 + 1;
    y -= m <= 2;
    const std::int64_t era = floor_div(y, 400);
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + (d - 1);
}

struct Civil {
    std::int64_t y;
    int m;
    int d;
};

Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = floor_div(z, 146097);
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return {yoe + era * 400 + (m <= 2), m, d};
}

constexpr std::int64_t kZoneMinMs = -2'208'988'800'000;  // 1900-01-01
constexpr std::int64_t kZoneMaxMs = 4'102'444'799'000;   // 2099-12-31T23:59:59Z
// The OS tz files list changes up to 2037 and leave later years to a POSIX rule. Between 1901 and
// 2099 the calendar repeats every 28 years (same weekdays, same leap years), so a later instant of a
// zone whose daylight saving time goes on gets the offset of the same instant 28*k years earlier
// (landing in 2010..2037). Exact for zones whose rules have not changed since 2010 (checked against
// Python's zoneinfo for Los Angeles, Amsterdam, Sydney, Seoul); not for e.g. America/Santiago after 2037.
constexpr std::int64_t kRulesEndMs = 2'145'916'800'000;           // 2038-01-01
constexpr std::int64_t kCalendarCycleMs = 10'227LL * 86'400'000;  // 28 years
// Offsets lie within 26 hours of UTC (zone_file.cpp refuses others), so the instants that far on
// either side hold the candidates for a local time.
constexpr std::int64_t kMaxOffsetMs = 26 * 3'600'000;

std::int64_t clamp_ms(std::int64_t ms) {
    return std::clamp(ms, kZoneMinMs, kZoneMaxMs);
}

std::int64_t cycle_shift(std::int64_t ms) {
    return ((ms - kRulesEndMs) / kCalendarCycleMs + 1) * kCalendarCycleMs;
}

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_add_overflow(a, b, &r)) return b > 0 ? Time::max().ms() : Time::min().ms();
    return r;
}

}  // namespace

LocalDateTime civil_from_ms(std::int64_t local_ms) {
    const std::int64_t days = floor_div(local_ms, kMsPerDay);
    const std::int64_t in_day = (local_ms % kMsPerDay + kMsPerDay) % kMsPerDay;
    const Civil c = civil_from_days(days);
    LocalDateTime l;
    l.year = static_cast<int>(c.y);
    l.month = c.m;
    l.day = c.d;
    l.hour = static_cast<int>(in_day / 3'600'000);
    l.minute = static_cast<int>(in_day / 60'000 % 60);
    l.second = static_cast<int>(in_day / 1000 % 60);
    l.millisecond = static_cast<int>(in_day % 1000);
    l.weekday = static_cast<int>(((days + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
    return l;
}

std::int64_t ms_from_civil(const LocalDateTime& l) {
    // Years beyond a million saturate (Time spans about 292 million years; this keeps the sums in range).
    const std::int64_t days = days_from_civil(std::clamp(l.year, -1'000'000, 1'000'000), l.month, l.day);
    return days * kMsPerDay + static_cast<std::int64_t>(l.hour) * 3'600'000 +
           static_cast<std::int64_t>(l.minute) * 60'000 + static_cast<std::int64_t>(l.second) * 1000 +
           l.millisecond;
}

// The tz database is only meaningful for a few centuries; offsets far outside are those at the edge.

struct TimeZone::Offsets {
    ZoneHistory history;

    static std::shared_ptr<const Offsets> of(const std::string& name) {
        static std::mutex mutex;
        static std::map<std::string, std::shared_ptr<const Offsets>> read;
        std::lock_guard<std::mutex> lock(mutex);
        if (const auto it = read.find(name); it != read.end()) return it->second;
        // Only zones that exist are kept: the names tried come from clients too (POST /v1/plans).
        auto offsets = std::make_shared<const Offsets>(Offsets{read_zone(name)});
        read.emplace(name, offsets);
        return offsets;
    }

    // The entry in force at a UTC instant within 1900..2099.
    std::size_t at(std::int64_t ms) const {
        const auto& starts = history.start_ms;
        return static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), ms) - starts.begin() -
                                        1);
    }

    // How far an instant is moved back to the years the file lists (0 before 2038).
    std::int64_t shift(std::int64_t ms) const {
        return ms >= kRulesEndMs && history.dst_continues ? cycle_shift(ms) : 0;
    }

    std::size_t entry(std::int64_t utc_ms) const {
        const std::int64_t ms = clamp_ms(utc_ms);
        return at(ms - shift(ms));
    }
};

TimeZone::TimeZone(const std::string& name) : name_(name), offsets_(Offsets::of(name)) {}

LocalDateTime TimeZone::to_local(Time t) const {
    return civil_from_ms(saturating_add(t.ms(), utc_offset(t).ms()));
}

Duration TimeZone::utc_offset(Time t) const {
    return Duration(offsets_->history.offset_ms[offsets_->entry(t.ms())]);
}

std::string TimeZone::abbreviation(Time t) const {
    return offsets_->history.abbrev[offsets_->entry(t.ms())];
}

Time TimeZone::to_utc(const LocalDateTime& local) const {
    const ZoneHistory& h = offsets_->history;
    const std::int64_t lms = ms_from_civil(local);
    const std::int64_t shift = offsets_->shift(clamp_ms(lms));
    const std::int64_t ms = clamp_ms(lms) - shift;
    // The entries whose local times may hold `ms`; the first that does is the earlier instant of a
    // repeated hour.
    const std::size_t first = offsets_->at(ms - kMaxOffsetMs);
    const std::size_t last = offsets_->at(ms + kMaxOffsetMs);
    for (std::size_t i = first; i <= last; ++i) {
        const bool after_start = i == 0 || ms - h.offset_ms[i] >= h.start_ms[i];
        const bool before_end = i + 1 == h.start_ms.size() || ms - h.offset_ms[i] < h.start_ms[i + 1];
        if (after_start && before_end) return Time(saturating_add(lms, -h.offset_ms[i]));
    }
    // In a gap: the instant the clocks jump, which is the first valid instant after it.
    for (std::size_t i = first + 1; i <= last; ++i)
        if (ms - h.offset_ms[i - 1] >= h.start_ms[i] && ms - h.offset_ms[i] < h.start_ms[i])
            return Time(h.start_ms[i] + shift);
    throw std::logic_error("time zone '" + name_ + "': no instant for a local time");
}

Time TimeZone::local_midnight(Time t) const {
    LocalDateTime l = to_local(t);
    l.hour = l.minute = l.second = l.millisecond = 0;
    return to_utc(l);
}

TimeRange TimeZone::local_month(Time t) const {
    LocalDateTime l = to_local(t);
    l.day = 1;
    l.hour = l.minute = l.second = l.millisecond = 0;
    const Time start = to_utc(l);
    l.month += 1;  // month 13 is January of the next year (days_from_civil carries it over)
    return {start, to_utc(l)};
}

namespace {

[[noreturn]] void bad_time(const std::string& text, const char* why) {
    throw std::invalid_argument("cannot parse time '" + text + "' (" + why +
                                "): expected 'YYYY-MM-DD', 'YYYY-MM-DDTHH:MM[:SS[.fff]]' with an optional "
                                "'Z' or '+HH:MM' offset, or RFC 1123 'Tue, 01 Dec 2020 13:59:06 GMT'");
}

class Cursor {
public:
    Cursor(const std::string& text) : text_(text), s_(text) {}
    bool done() const { return i_ == s_.size(); }
    char peek() const { return done() ? '\0' : s_[i_]; }
    bool accept(char c) {
        if (peek() != c) return false;
        ++i_;
        return true;
    }
    void expect(char c, const char* why) {
        if (!accept(c)) bad_time(text_, why);
    }
    int digits(int n, const char* why) {
        int v = 0;
        for (int k = 0; k < n; ++k) {
            const char c = peek();
            if (c < '0' || c > '9') bad_time(text_, why);
            v = v * 10 + (c - '0');
            ++i_;
        }
        return v;
    }
    std::string_view word(std::size_t n, const char* why) {
        if (s_.size() - i_ < n) bad_time(text_, why);
        const auto w = s_.substr(i_, n);
        i_ += n;
        return w;
    }
    const std::string& text() const { return text_; }

private:
    const std::string& text_;
    std::string_view s_;
    std::size_t i_ = 0;
};

int days_in_month(int y, int m) {
    static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

void check_fields(const std::string& text, const LocalDateTime& l) {
    if (l.month < 1 || l.month > 12) bad_time(text, "month out of range 01..12");
    if (l.day < 1 || l.day > days_in_month(l.year, l.month)) bad_time(text, "day out of range for the month");
    if (l.hour > 23) bad_time(text, "hour out of range 00..23");
    if (l.minute > 59) bad_time(text, "minute out of range 00..59");
    if (l.second > 59) bad_time(text, "second out of range 00..59");
}

Time parse_rfc1123(const std::string& text) {
    static constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    Cursor c(text);
    const auto day_name = c.word(3, "expected a weekday name");
    const auto wd = std::find(kDays.begin(), kDays.end(), day_name);
    if (wd == kDays.end()) bad_time(text, "expected a weekday name such as 'Tue'");
    c.expect(',', "expected ',' after the weekday");
    c.expect(' ', "expected ' ' after the weekday");
    LocalDateTime l;
    l.day = c.digits(2, "expected a two-digit day");
    c.expect(' ', "expected ' ' after the day");
    const auto mon = std::find(kMonths.begin(), kMonths.end(), c.word(3, "expected a month name"));
    if (mon == kMonths.end()) bad_time(text, "expected a month name such as 'Dec'");
    l.month = static_cast<int>(mon - kMonths.begin()) + 1;
    c.expect(' ', "expected ' ' after the month");
    l.year = c.digits(4, "expected a four-digit year");
    c.expect(' ', "expected ' ' after the year");
    l.hour = c.digits(2, "expected a two-digit hour");
    c.expect(':', "expected ':' after the hour");
    l.minute = c.digits(2, "expected two-digit minutes");
    c.expect(':', "expected ':' after the minutes");
    l.second = c.digits(2, "expected two-digit seconds");
    c.expect(' ', "expected ' GMT'");
    if (c.word(3, "expected 'GMT'") != "GMT" || !c.done()) bad_time(text, "expected 'GMT' at the end");
    check_fields(text, l);
    const Time t(ms_from_civil(l));
    if (civil_from_ms(t.ms()).weekday != static_cast<int>(wd - kDays.begin()))
        bad_time(text, "the weekday does not match the date");
    return t;
}

}  // namespace

Time parse_time(const std::string& text, const TimeZone& zone) {
    if (text.empty()) bad_time(text, "empty");
    if (text[0] < '0' || text[0] > '9') return parse_rfc1123(text);

    Cursor c(text);
    LocalDateTime l;
    l.year = c.digits(4, "expected a four-digit year");
    c.expect('-', "expected '-' after the year");
    l.month = c.digits(2, "expected a two-digit month");
    c.expect('-', "expected '-' after the month");
    l.day = c.digits(2, "expected a two-digit day");
    std::optional<std::int64_t> offset_ms;
    if (!c.done()) {
        if (!c.accept('T') && !c.accept(' ')) bad_time(text, "expected 'T' between date and time");
        l.hour = c.digits(2, "expected a two-digit hour");
        c.expect(':', "expected ':' after the hour");
        l.minute = c.digits(2, "expected two-digit minutes");
        if (c.accept(':')) {
            l.second = c.digits(2, "expected two-digit seconds");
            if (c.accept('.')) {
                int n = 0;
                int ms = 0;
                while (c.peek() >= '0' && c.peek() <= '9') {
                    const int digit = c.digits(1, "expected digits");
                    if (n < 3) ms = ms * 10 + digit;
                    ++n;
                }
                if (n == 0) bad_time(text, "expected digits after '.'");
                for (int k = n; k < 3; ++k) ms *= 10;
                l.millisecond = ms;
            }
        }
        if (c.accept('Z')) {
            offset_ms = 0;
        } else if (c.peek() == '+' || c.peek() == '-') {
            const int sign = c.peek() == '-' ? -1 : 1;
            c.accept(c.peek());
            const int oh = c.digits(2, "expected a two-digit offset hour");
            c.accept(':');
            const int om = c.digits(2, "expected two-digit offset minutes");
            if (oh > 23 || om > 59) bad_time(text, "offset out of range");
            offset_ms = sign * (oh * 3'600'000LL + om * 60'000LL);
        }
        if (!c.done()) bad_time(text, "unexpected characters at the end");
    }
    check_fields(text, l);
    if (offset_ms) return Time(ms_from_civil(l) - *offset_ms);
    return zone.to_utc(l);
}

std::string format_utc(Time t) {
    const LocalDateTime l = civil_from_ms(t.ms());
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", l.year, l.month, l.day, l.hour,
                  l.minute, l.second, l.millisecond);
    return buf;
}

}  // namespace evtwin
