#include "viewer/timeline/time_entry.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <vector>

namespace evtwin::viewer {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

constexpr const char* kExpected =
    "expected 2024-07-01[T08:30[:15]], 08:30[:15] or +1h30m / -15m; a time may end with Z, UTC, an offset "
    "such as +09:00 or the zone's abbreviation";

[[noreturn]] void fail(std::string_view text, const std::string& why, const char* expected = kExpected) {
    throw TimeEntryError("time '" + std::string(text) + "': " + why + " (" + expected + ")");
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
    char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
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

// What a typed date-time or clock time ends with: nothing (the shown zone), UTC, an offset, or an
// abbreviation of the run's zone.
struct Suffix {
    enum class Kind { none, utc, offset, abbreviation } kind = Kind::none;
    std::int64_t offset_ms = 0;
    std::string abbreviation;  // upper case
};

Suffix suffix(Scanner& sc, std::string_view text) {
    Suffix out;
    while (sc.eat(' ')) {
    }
    if (sc.done()) return out;
    if (sc.eat('Z')) {
        out.kind = Suffix::Kind::utc;
    } else if (sc.peek() == '+' || sc.peek() == '-') {
        const bool negative = sc.peek() == '-';
        sc.eat(sc.peek());
        const auto h = sc.digits(2);
        if (!h) fail(text, "bad UTC offset (two-digit hours, e.g. +09:00)");
        std::int64_t m = 0;
        const bool colon = sc.eat(':');
        if (colon || !sc.done()) {
            const auto mm = sc.digits(2);
            if (!mm) fail(text, "bad UTC offset minutes (e.g. +05:30)");
            m = *mm;
        }
        if (*h > 18 || m > 59) fail(text, "UTC offset out of range");
        out.kind = Suffix::Kind::offset;
        out.offset_ms = (negative ? -1 : 1) * (*h * 3'600'000 + m * 60'000);
    } else {
        std::string word;
        while (std::isalpha(static_cast<unsigned char>(sc.peek())) && word.size() <= 6) {
            word += static_cast<char>(std::toupper(static_cast<unsigned char>(sc.peek())));
            sc.eat(sc.peek());
        }
        if (word.size() < 2 || word.size() > 6) fail(text, "unexpected text after the time");
        if (word == "UTC" || word == "GMT") {
            out.kind = Suffix::Kind::utc;
        } else {
            out.kind = Suffix::Kind::abbreviation;
            out.abbreviation = word;
        }
    }
    if (!sc.done()) fail(text, "unexpected text after the time");
    return out;
}

bool same_letters(const std::string& a, const std::string& upper) {
    if (a.size() != upper.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != upper[i]) return false;
    return true;
}

// "2024-07-01 08:30:15[.250]" of civil fields.
std::string civil_text(const LocalDateTime& l) {
    char buf[64];
    if (l.millisecond != 0)
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03d", l.year, l.month, l.day, l.hour,
                      l.minute, l.second, l.millisecond);
    else
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", l.year, l.month, l.day, l.hour,
                      l.minute, l.second);
    return buf;
}

// The civil fields of ms counted from 1970-01-01 00:00 on some clock.
LocalDateTime civil_fields(std::int64_t ms) {
    const std::int64_t day = floor_div(ms, kDayMs);
    const std::int64_t in_day = ms - day * kDayMs;
    const Civil c = civil_from_days(day);
    LocalDateTime l;
    l.year = static_cast<int>(c.y);
    l.month = static_cast<int>(c.m);
    l.day = static_cast<int>(c.d);
    l.hour = static_cast<int>(in_day / 3'600'000);
    l.minute = static_cast<int>(in_day / 60'000 % 60);
    l.second = static_cast<int>(in_day / 1000 % 60);
    l.millisecond = static_cast<int>(in_day % 1000);
    return l;
}

// The instants at which the zone's clocks read `local_ms`: none in a spring-forward gap, two in the
// hour that happens twice; earliest first.
std::vector<Time> instants_reading(const RunClock& zone, std::int64_t local_ms) {
    std::vector<Time> out;
    for (const std::int64_t probe : {local_ms - kDayMs, local_ms, local_ms + kDayMs}) {
        const std::int64_t offset = zone.utc_offset(Time(probe)).ms();
        const Time t(local_ms - offset);
        if (zone.utc_offset(t).ms() == offset && std::find(out.begin(), out.end(), t) == out.end())
            out.push_back(t);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

const std::string& TimeView::utc_name() {
    static const std::string name = "UTC";
    return name;
}

TimeView::TimeView(const std::string& zone) {
    if (zone.empty()) {
        note_ = "the run stores no time zone: times are in UTC";
        return;
    }
    try {
        zone_.emplace(zone);
    } catch (const std::invalid_argument&) {
        note_ = "the run's time zone '" + zone + "' is not in this machine's tz database: times are in UTC";
    }
}

std::string TimeView::format_in(Time t, bool in_utc) const {
    if (in_utc || !zone_) return civil_text(civil_fields(t.ms())) + " UTC";
    return civil_text(zone_->to_local(t)) + " " + zone_->abbreviation(t);
}

std::string TimeView::format(Time t) const {
    return format_in(t, utc());
}

std::string TimeView::format_other(Time t) const {
    return format_in(t, !utc());
}

Time TimeView::parse(std::string_view raw, Time cursor) const {
    const std::string_view text = trim(raw);
    if (text.empty()) fail(text, "empty");
    if (text.size() > 64) fail(text.substr(0, 64), "too long");
    if (text.front() == '+' || text.front() == '-') return relative(text, cursor);
    Scanner sc(text);
    std::optional<std::int64_t> day;  // days since 1970-01-01 of the typed date, on the typed clock
    std::int64_t clock = 0;
    if (text.size() >= 3 && text[2] == ':') {  // a clock time on the cursor's day
        clock = clock_ms(sc, text);
    } else {
        const auto y = sc.digits(4);
        if (!y || !sc.eat('-')) fail(text, "bad year");
        const auto mo = sc.digits(2);
        if (!mo || !sc.eat('-') || *mo < 1 || *mo > 12) fail(text, "bad month");
        const auto d = sc.digits(2);
        if (!d || *d < 1 || *d > days_in_month(*y, static_cast<unsigned>(*mo)))
            fail(text, "bad day of month");
        day = days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d));
        // A time after T or a space; else the date may end with a zone ("2024-07-01 UTC").
        if (sc.eat('T') ||
            (sc.peek() == ' ' && std::isdigit(static_cast<unsigned char>(sc.peek(1))) && sc.eat(' ')))
            clock = clock_ms(sc, text);
    }
    const Suffix sfx = suffix(sc, text);
    if (sfx.kind == Suffix::Kind::abbreviation && !zone_)
        fail(text, "'" + sfx.abbreviation + "': " + (note_.empty() ? "no time zone is known here" : note_),
             "expected no zone, Z, UTC or an offset such as +09:00");
    // On the typed clock: UTC, a fixed offset, or the zone's wall clock.
    const bool on_zone = sfx.kind == Suffix::Kind::abbreviation || (sfx.kind == Suffix::Kind::none && !utc());
    const std::int64_t offset = sfx.kind == Suffix::Kind::offset ? sfx.offset_ms : 0;
    if (!day) {
        const std::int64_t shift = on_zone ? zone_->utc_offset(cursor).ms() : offset;
        day = floor_div(cursor.ms() + shift, kDayMs);
    }
    const std::int64_t local_ms = *day * kDayMs + clock;
    if (!on_zone) return Time(local_ms - offset);
    if (sfx.kind == Suffix::Kind::none) return zone_->to_utc(civil_fields(local_ms));
    // The zone's abbreviation picks one of the instants its clocks read that time.
    const std::vector<Time> instants = instants_reading(*zone_, local_ms);
    std::string known;
    for (const Time t : instants) {
        const std::string a = zone_->abbreviation(t);
        if (same_letters(a, sfx.abbreviation)) return t;
        known += (known.empty() ? "" : " or ") + a;
    }
    if (instants.empty())
        fail(text, "that time does not exist in " + zone_->name() + " (the clocks jump over it)",
             "expected a time outside the jump, or no abbreviation for the instant of the jump");
    const std::string expected = "expected " + known + ", Z, UTC or an offset such as +09:00";
    fail(text, "'" + sfx.abbreviation + "' is not what " + zone_->name() + " calls that time",
         expected.c_str());
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
