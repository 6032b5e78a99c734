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

}  // namespace

std::string format_timestamp(std::int64_t ms) {
    return format_utc(Time(ms));
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
    ms = ms_from_civil(LocalDateTime{y, mo, d, h, mi, sec, frac_ms}) - offset_min * 60'000LL;
    return true;
}

std::int64_t wall_to_utc(std::int64_t wall_ms, const TimeZone& zone) {
    return zone.to_utc(civil_from_ms(wall_ms)).ms();
}

bool parse_log_time(std::string_view text, const TimeZone* zone, std::int64_t& ms) {
    bool has_offset = false;
    if (!parse_timestamp(text, ms, has_offset)) return false;
    if (!has_offset && zone) ms = wall_to_utc(ms, *zone);
    return true;
}

}  // namespace evtwin::ocpp
