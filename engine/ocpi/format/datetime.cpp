#include "ocpi/format/datetime.hpp"

#include "model/local_time.hpp"

#include <cstdio>

namespace evtwin::ocpi {

namespace {

bool digits(const std::string& text, std::size_t at, std::size_t n, int& out) {
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
        out = out * 10 + (text[i] - '0');
    }
    return true;
}

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::optional<Time> parse_datetime(const std::string& text) {
    if (text.size() < 19 || text.size() > 25) return std::nullopt;
    LocalDateTime c;
    if (!digits(text, 0, 4, c.year) || text[4] != '-' || !digits(text, 5, 2, c.month) || text[7] != '-' ||
        !digits(text, 8, 2, c.day) || text[10] != 'T' || !digits(text, 11, 2, c.hour) || text[13] != ':' ||
        !digits(text, 14, 2, c.minute) || text[16] != ':' || !digits(text, 17, 2, c.second)) {
        return std::nullopt;
    }
    if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > days_in_month(c.year, c.month) || c.hour > 23 ||
        c.minute > 59 || c.second > 59) {
        return std::nullopt;
    }
    std::size_t at = 19;
    if (at < text.size() && text[at] == '.') {
        ++at;
        int scale = 100;
        const std::size_t first = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
            c.millisecond += (text[at] - '0') * scale;
            scale /= 10;
            ++at;
        }
        if (at == first) return std::nullopt;
    }
    if (at < text.size() && text[at] == 'Z') ++at;
    if (at != text.size()) return std::nullopt;
    return Time(ms_from_civil(c));
}

std::string format_datetime(Time t) {
    const LocalDateTime c = civil_from_ms(t.ms());
    char text[32];
    if (c.millisecond != 0) {
        std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year, c.month, c.day,
                      c.hour, c.minute, c.second, c.millisecond);
    } else {
        std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
                      c.minute, c.second);
    }
    return text;
}

}  // namespace evtwin::ocpi
