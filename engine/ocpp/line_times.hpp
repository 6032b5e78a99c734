#pragma once
// The time a message of a general OCPP line log carries (docs/ocpp.md, format `lines`): ISO 8601,
// Unix seconds or milliseconds, or a syslog time ("Nov 24 09:12:00", journalctl's default), which
// states no year; and the years of such times.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace evtwin::ocpp {

// A time as a line states it: ms since the epoch, or a month, day and ms into that day.
struct LineTime {
    std::int64_t ms = 0;
    int month = 0;  // 1..12 for a time without a year; 0: `ms` is since the epoch
    int day = 0;
    bool wall = false;  // on the log's clock (no offset written): in ReadOptions::timezone; else UTC
    bool has_year() const { return month == 0; }
};

struct FoundTime {
    LineTime time;
    std::size_t start = 0, end = 0;  // where it stands in the line
};

// The first time that starts within the line's first characters and before `before` (a frame's
// start: a time inside the message is not the line's).
std::optional<FoundTime> find_line_time(std::string_view line, std::size_t before = std::string_view::npos);
// A line that opens a new message: a time first, perhaps in brackets.
bool starts_with_time(std::string_view line);
// Whether a time lies from 2000 to 2100, where a log's times are taken from (a charger that has not
// set its clock states 1970).
bool in_log_years(std::int64_t utc_ms);

// The years of times without one, in log order: the first has `first_year`, each later one its
// predecessor's, or the next year where the date falls back by more than half a year (a log across
// New Year).
void assign_years(std::span<const LineTime> times, int first_year, std::span<int> years);
// The year that puts month, day and time of `t` nearest to `utc_ms`, a time a message states.
int nearest_year(const LineTime& t, std::int64_t utc_ms);
// `t` in the year, as ms since the epoch on its clock; nullopt for a date the year does not have
// (29 February).
std::optional<std::int64_t> in_year(const LineTime& t, int year);

}  // namespace evtwin::ocpp
