#include "ocpp/frame.hpp"

#include "model/local_time.hpp"

#include <evtwin/errors.hpp>

#include <cctype>
#include <cstdio>

namespace evtwin::ocpp {

std::string_view to_string(Direction d) {
    switch (d) {
        case Direction::cs_to_csms:
            return "cs2csms";
        case Direction::csms_to_cs:
            return "csms2cs";
        case Direction::unknown:
            break;
    }
    return "unknown";
}

std::string_view to_string(Format f) {
    switch (f) {
        case Format::jsonl:
            return "jsonl";
        case Format::csv:
            return "csv";
        case Format::compliance:
            return "compliance";
        case Format::everest:
            return "everest";
        case Format::steve:
            return "steve";
        case Format::lines:
            return "lines";
    }
    return "?";
}

Format format_from_string(std::string_view name) {
    for (Format f :
         {Format::jsonl, Format::csv, Format::compliance, Format::everest, Format::steve, Format::lines})
        if (to_string(f) == name) return f;
    throw DataError("unknown OCPP log format '" + std::string(name) +
                    "': expected jsonl, csv, compliance, everest, steve or lines");
}

namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

// The date of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

// The date and time of day of ms since the epoch, on the clock they are counted in (weekday unset).
LocalDateTime civil_of(std::int64_t ms) {
    constexpr std::int64_t kDayMs = 86'400'000;
    std::int64_t days = ms / kDayMs, rest = ms % kDayMs;
    if (rest < 0) rest += kDayMs, --days;
    LocalDateTime t;
    civil_from_days(days, t.year, t.month, t.day);
    t.hour = static_cast<int>(rest / 3'600'000);
    t.minute = static_cast<int>(rest / 60'000 % 60);
    t.second = static_cast<int>(rest / 1000 % 60);
    t.millisecond = static_cast<int>(rest % 1000);
    return t;
}

}  // namespace

std::string format_timestamp(std::int64_t ms) {
    const LocalDateTime t = civil_of(ms);
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", t.year, t.month, t.day, t.hour,
                  t.minute, t.second, t.millisecond);
    return text;
}

bool parse_timestamp(std::string_view s, std::int64_t& ms) {
    bool has_offset = false;
    return parse_timestamp(s, ms, has_offset);
}

bool parse_timestamp(std::string_view s, std::int64_t& ms, bool& has_offset) {
    has_offset = false;
    int y, mo, d, h, mi, sec;
    if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, h) || s[13] != ':' ||
        !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return false;
    std::size_t pos = 19;
    int frac_ms = 0;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',' || s[pos] == ':')) {
        ++pos;
        int scale = 100, n = 0;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
            frac_ms += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
            ++n;
        }
        if (n == 0) return false;
    }
    int offset_min = 0;
    if (pos < s.size()) {
        has_offset = true;
        if (s[pos] == 'Z' && pos + 1 == s.size()) {
            ++pos;
        } else if ((s[pos] == '+' || s[pos] == '-') && s.size() - pos >= 3) {
            const int sign = s[pos] == '-' ? -1 : 1;
            int oh = 0, om = 0;
            if (!digits(s, pos + 1, 2, oh)) return false;
            std::size_t p = pos + 3;
            if (p < s.size() && s[p] == ':') ++p;
            if (p < s.size() && !digits(s, p, 2, om)) return false;
            if (p < s.size()) p += 2;
            if (p != s.size() || oh > 23 || om > 59) return false;
            offset_min = sign * (oh * 60 + om);
            pos = p;
        } else {
            return false;
        }
    }
    const std::int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    ms = secs * 1000 + frac_ms;
    return true;
}

std::int64_t wall_to_utc(std::int64_t wall_ms, const TimeZone& zone) {
    return zone.to_utc(civil_of(wall_ms)).ms();
}

bool parse_log_time(std::string_view text, const TimeZone* zone, std::int64_t& ms) {
    bool has_offset = false;
    if (!parse_timestamp(text, ms, has_offset)) return false;
    if (!has_offset && zone) ms = wall_to_utc(ms, *zone);
    return true;
}

}  // namespace evtwin::ocpp
