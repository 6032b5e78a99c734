#include "ocpp/line_times.hpp"

#include "model/local_time.hpp"
#include "ocpp/frame.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace evtwin::ocpp {

namespace {

constexpr std::size_t kTimeSearch = 64;  // a time must start within this many characters
constexpr std::int64_t kFirstLogSecond = 946'684'800, kLastLogSecond = 4'102'444'800;  // 2000, 2100
constexpr int kHalfYearDays = 186;

bool digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Milliseconds of a fraction of a second written after the point, truncated as parse_timestamp does.
std::int64_t fraction_ms(std::string_view digits) {
    std::int64_t ms = 0;
    for (std::size_t k = 0; k < 3; ++k) ms = ms * 10 + (k < digits.size() ? digits[k] - '0' : 0);
    return ms;
}

// Past the digits from `p`.
std::size_t skip_digits(std::string_view s, std::size_t p) {
    while (p < s.size() && digit(s[p])) ++p;
    return p;
}

// The number the digits in [from, to) write.
std::int64_t number(std::string_view s, std::size_t from, std::size_t to) {
    std::int64_t v = 0;
    for (std::size_t k = from; k < to; ++k) v = v * 10 + (s[k] - '0');
    return v;
}

// "2026-11-24T09:20:44.561Z" at `at`, with '/' between date parts, a space or '_' for the 'T', '.'
// ',' or ':' before the fraction, and "Z", "+01:00" or "+0100" after it. Sets `end` past it.
bool iso_at(std::string_view s, std::size_t at, LineTime& t, std::size_t& end) {
    if (at + 19 > s.size()) return false;
    std::string text(s.substr(at, 19));
    if (text[4] != text[7] || (text[4] != '-' && text[4] != '/')) return false;
    text[4] = text[7] = '-';
    if (text[10] == '_') text[10] = 'T';
    std::size_t p = at + 19;
    if (p + 1 < s.size() && (s[p] == '.' || s[p] == ',' || s[p] == ':') && digit(s[p + 1])) {
        const std::size_t q = skip_digits(s, p + 1);
        text.append(s.substr(p, q - p));
        p = q;
    }
    if (p < s.size() && s[p] == 'Z') {
        text += s[p++];
    } else if (p + 3 <= s.size() && (s[p] == '+' || s[p] == '-') && digit(s[p + 1]) && digit(s[p + 2])) {
        std::size_t q = p + 3;
        if (q < s.size() && s[q] == ':') ++q;
        q = q + 2 <= s.size() && digit(s[q]) && digit(s[q + 1]) ? q + 2
                                                                : p + 3;  // "+01:00", "+0100" or "+01"
        text.append(s.substr(p, q - p));
        p = q;
    }
    bool has_offset = false;
    if (!parse_timestamp(text, t.ms, has_offset)) return false;
    t.wall = !has_offset;
    end = p;
    return true;
}

// A Unix time at `at`: 10 digits of seconds (with a fraction after a point, or not), or 13, 16 or
// 19 digits of milli-, micro- or nanoseconds, standing alone, from 2000 to 2100.
bool unix_at(std::string_view s, std::size_t at, std::int64_t& ms, std::size_t& end) {
    const std::size_t digits_end = skip_digits(s, at);
    const std::size_t n = digits_end - at;
    if (n != 10 && n != 13 && n != 16 && n != 19) return false;
    const std::int64_t seconds = number(s, at, at + 10);
    if (!in_log_years(seconds * 1000)) return false;  // a bare number outside is something else
    // The digits after the tenth are the fraction of the second, written after a point or not.
    std::string_view fraction = s.substr(at + 10, n - 10);
    std::size_t p = digits_end;
    if (n == 10 && p + 1 < s.size() && s[p] == '.' && digit(s[p + 1])) {
        p = skip_digits(s, p + 1);
        fraction = s.substr(digits_end + 1, p - digits_end - 1);
    }
    if (p < s.size() && alnum(s[p])) return false;
    ms = seconds * 1000 + fraction_ms(fraction);
    end = p;
    return true;
}

// A syslog time at `at`: "Nov 24 09:12:00", the day space-padded or not, perhaps with a fraction of
// a second ("Nov  4 09:12:00.013456", journalctl's short-precise).
bool syslog_at(std::string_view s, std::size_t at, LineTime& t, std::size_t& end) {
    static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (at + 3 > s.size()) return false;
    const auto month = std::find(kMonths.begin(), kMonths.end(), s.substr(at, 3));
    if (month == kMonths.end()) return false;
    std::size_t p = at + 3;
    if (p >= s.size() || s[p] != ' ') return false;
    while (p < s.size() && s[p] == ' ' && p < at + 5) ++p;
    const std::size_t day_end = skip_digits(s, p);
    if (day_end == p || day_end - p > 2 || day_end + 9 > s.size() || s[day_end] != ' ') return false;
    const std::string_view clock = s.substr(day_end + 1, 8);  // "09:12:00"
    for (std::size_t k = 0; k < clock.size(); ++k)
        if (k == 2 || k == 5 ? clock[k] != ':' : !digit(clock[k])) return false;
    const std::int64_t day = number(s, p, day_end), h = number(clock, 0, 2), mi = number(clock, 3, 5),
                       sec = number(clock, 6, 8);
    if (day < 1 || day > 31 || h > 23 || mi > 59 || sec > 60) return false;
    p = day_end + 9;
    std::int64_t ms = 0;
    if (p + 1 < s.size() && (s[p] == '.' || s[p] == ',') && digit(s[p + 1])) {
        const std::size_t q = skip_digits(s, p + 1);
        ms = fraction_ms(s.substr(p + 1, q - p - 1));
        p = q;
    }
    if (p < s.size() && alnum(s[p])) return false;
    t.month = static_cast<int>(month - kMonths.begin()) + 1;
    t.day = static_cast<int>(day);
    t.wall = true;
    t.ms = ((h * 60 + mi) * 60 + sec) * 1000 + ms;
    end = p;
    return true;
}

// A date's place in its year, for telling which of two dates comes first (31 days a month will do).
int day_of_year(const LineTime& t) {
    return (t.month - 1) * 31 + t.day - 1;
}

}  // namespace

std::optional<FoundTime> find_line_time(std::string_view line, std::size_t before) {
    const std::size_t last = std::min({line.size(), kTimeSearch, before});
    for (std::size_t i = 0; i < last; ++i) {
        const char previous = i == 0 ? ' ' : line[i - 1];
        FoundTime found;
        found.start = i;
        if (digit(line[i]) && !digit(previous)) {
            if (iso_at(line, i, found.time, found.end)) return found;
            if (!alnum(previous) && unix_at(line, i, found.time.ms, found.end)) return found;
        } else if (std::isupper(static_cast<unsigned char>(line[i])) && !alnum(previous)) {
            if (syslog_at(line, i, found.time, found.end)) return found;
        }
    }
    return std::nullopt;
}

bool in_log_years(std::int64_t utc_ms) {
    return utc_ms >= kFirstLogSecond * 1000 && utc_ms <= kLastLogSecond * 1000;
}

bool starts_with_time(std::string_view line) {
    const auto found = find_line_time(line);
    return found && (found->start == 0 || (found->start == 1 && (line[0] == '[' || line[0] == '<')));
}

void assign_years(std::span<const LineTime> times, int first_year, std::span<int> years) {
    int year = first_year;
    const LineTime* previous = nullptr;
    for (std::size_t k = 0; k < times.size(); ++k) {
        if (previous) {
            const int step = day_of_year(times[k]) - day_of_year(*previous);
            if (step < -kHalfYearDays) ++year;  // after New Year
            if (step > kHalfYearDays) --year;   // a late line from before it
        }
        years[k] = year;
        previous = &times[k];
    }
}

std::optional<std::int64_t> in_year(const LineTime& t, int year) {
    const std::int64_t midnight = ms_from_civil(LocalDateTime{year, t.month, t.day});
    // ms_from_civil carries 29 February of a common year over to 1 March: not the day named.
    if (civil_from_ms(midnight).day != t.day) return std::nullopt;
    return midnight + t.ms;
}

int nearest_year(const LineTime& t, std::int64_t utc_ms) {
    const int stated = civil_from_ms(utc_ms).year;
    int best = stated;
    std::int64_t best_gap = -1;
    for (const int year : {stated - 1, stated, stated + 1}) {
        const auto ms = in_year(t, year);
        if (!ms) continue;
        const std::int64_t gap = *ms > utc_ms ? *ms - utc_ms : utc_ms - *ms;
        if (best_gap < 0 || gap < best_gap) {
            best = year;
            best_gap = gap;
        }
    }
    return best;
}

}  // namespace evtwin::ocpp
