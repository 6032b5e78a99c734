#pragma once
// Typed time entry for the scrub bar, and the matching display format. All times are UTC.
//   2024-07-01            midnight of that day
//   2024-07-01T08:30      also with a space instead of T, optional :SS, .mmm and a trailing Z
//   08:30 or 08:30:15     that time on the cursor's day
//   +90m, -1h30m, +2d     relative to the cursor (units d, h, m, s, ms; at least one term)
#include <evtwin/time.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace evtwin::viewer {

// The message says what was typed and what was expected.
struct TimeEntryError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

Time parse_time_entry(std::string_view text, Time cursor);

// "2024-07-01 08:30:15" (UTC; milliseconds only when not zero).
std::string format_time(Time t);
// "3d 04:05:06" / "04:05:06" / "350 ms": a span for labels.
std::string format_duration(Duration d);

}  // namespace evtwin::viewer
