#include "timeline/time_entry.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <optional>

namespace evtwin::viewer {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

[[noreturn]] void fail(std::string_view text, const char* why) {
    throw TimeEntryError("time '" + std::string(text) + "': " + why +
                         " (expected 2024-07-01[T08:30[:15]], 08:30[:15] or +1h30m / -15m)");
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
    std::int64_t y;
    unsigned m, d;
};

Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

bool is_leap(std::int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(std::int64_t y, unsigned m) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

class Scanner {
public:
    explicit Scanner(std::string_view s) : s_(s) {}
    bool done() const { return i_ == s_.size(); }
    char peek() const { return done() ? '\0' : s_[i_]; }
    bool eat(char c) {
        if (peek() != c) return false;
        ++i_;
        return true;
    }
    // Exactly `n` digits.
    std::optional<std::int64_t> digits(std::size_t n) {
        if (s_.size() - i_ < n) return std::nullopt;
        std::int64_t v = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const char c = s_[i_ + k];
            if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
            v = v * 10 + (c - '0');
        }
        i_ += n;
        return v;
    }
    // 1 to 9 digits (no overflow possible).
    std::optional<std::int64_t> number() {
        std::size_t n = 0;
        std::int64_t v = 0;
        while (!done() && std::isdigit(static_cast<unsigned char>(peek()))) {
            if (++n > 9) return std::nullopt;
            v = v * 10 + (peek() - '0');
            ++i_;
        }
        if (n == 0) return std::nullopt;
        return v;
    }

private:
    std::string_view s_;
    std::size_t i_ = 0;
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// HH:MM[:SS[.mmm]] -> ms since midnight.
std::int64_t clock_ms(Scanner& sc, std::string_view text) {
    const auto h = sc.digits(2);
    if (!h || !sc.eat(':')) fail(text, "bad hour");
    const auto m = sc.digits(2);
    if (!m) fail(text, "bad minutes");
    std::int64_t s = 0, ms = 0;
    if (sc.eat(':')) {
        const auto ss = sc.digits(2);
        if (!ss) fail(text, "bad seconds");
        s = *ss;
        if (sc.eat('.')) {
            const auto mmm = sc.digits(3);
            if (!mmm) fail(text, "bad milliseconds (three digits)");
            ms = *mmm;
        }
    }
    if (*h > 23 || *m > 59 || s > 59) fail(text, "hour, minute or second out of range");
    return ((*h * 60 + *m) * 60 + s) * 1000 + ms;
}

Time relative(std::string_view text, Time cursor) {
    const bool negative = text.front() == '-';
    Scanner sc(text.substr(1));
    std::int64_t total = 0;
    int terms = 0;
    while (!sc.done()) {
        const auto n = sc.number();
        if (!n) fail(text, "expected a number of at most 9 digits");
        std::int64_t unit = 0;
        if (sc.eat('d'))
            unit = kDayMs;
        else if (sc.eat('h'))
            unit = 3'600'000;
        else if (sc.eat('m'))
            unit = sc.eat('s') ? 1 : 60'000;
        else if (sc.eat('s'))
            unit = 1000;
        else
            fail(text, "expected a unit d, h, m, s or ms after the number");
        total += *n * unit;  // < 1e9 * 8.64e7 per term, a few terms: far from overflow
        if (++terms > 8) fail(text, "too many terms");
    }
    if (terms == 0) fail(text, "expected a duration after the sign");
    return cursor + Duration(negative ? -total : total);
}

}  // namespace

Time parse_time_entry(std::string_view raw, Time cursor) {
    const std::string_view text = trim(raw);
    if (text.empty()) fail(text, "empty");
    if (text.size() > 64) fail(text.substr(0, 64), "too long");
    if (text.front() == '+' || text.front() == '-') return relative(text, cursor);
    Scanner sc(text);
    if (text.size() >= 3 && text[2] == ':') {  // a clock time on the cursor's day
        const std::int64_t day = floor_div(cursor.ms(), kDayMs) * kDayMs;
        const std::int64_t ms = clock_ms(sc, text);
        sc.eat('Z');
        if (!sc.done()) fail(text, "unexpected text after the time");
        return Time(day + ms);
    }
    const auto y = sc.digits(4);
    if (!y || !sc.eat('-')) fail(text, "bad year");
    const auto mo = sc.digits(2);
    if (!mo || !sc.eat('-') || *mo < 1 || *mo > 12) fail(text, "bad month");
    const auto d = sc.digits(2);
    if (!d || *d < 1 || *d > days_in_month(*y, static_cast<unsigned>(*mo))) fail(text, "bad day of month");
    std::int64_t ms = days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d)) * kDayMs;
    if (!sc.done()) {
        if (!sc.eat('T') && !sc.eat(' ')) fail(text, "expected T or a space between date and time");
        ms += clock_ms(sc, text);
        sc.eat('Z');
        if (!sc.done()) fail(text, "unexpected text after the time");
    }
    return Time(ms);
}

std::string format_time(Time t) {
    const std::int64_t day = floor_div(t.ms(), kDayMs);
    const std::int64_t in_day = t.ms() - day * kDayMs;
    const Civil c = civil_from_days(day);
    const std::int64_t s = in_day / 1000;
    char buf[96];
    if (in_day % 1000 != 0)
        std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld.%03lld",
                      static_cast<long long>(c.y), c.m, c.d, static_cast<long long>(s / 3600),
                      static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60),
                      static_cast<long long>(in_day % 1000));
    else
        std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld", static_cast<long long>(c.y),
                      c.m, c.d, static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60),
                      static_cast<long long>(s % 60));
    return buf;
}

std::string format_duration(Duration d) {
    std::int64_t ms = d.ms();
    const char* sign = ms < 0 ? "-" : "";
    if (ms < 0) ms = -ms;
    char buf[48];
    if (ms < 1000) {
        std::snprintf(buf, sizeof buf, "%s%lld ms", sign, static_cast<long long>(ms));
        return buf;
    }
    const std::int64_t s = ms / 1000;
    const std::int64_t days = s / 86400;
    if (days > 0)
        std::snprintf(buf, sizeof buf, "%s%lldd %02lld:%02lld:%02lld", sign, static_cast<long long>(days),
                      static_cast<long long>(s / 3600 % 24), static_cast<long long>(s / 60 % 60),
                      static_cast<long long>(s % 60));
    else
        std::snprintf(buf, sizeof buf, "%s%02lld:%02lld:%02lld", sign, static_cast<long long>(s / 3600),
                      static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
    return buf;
}

}  // namespace evtwin::viewer
