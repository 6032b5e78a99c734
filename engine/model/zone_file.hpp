#pragma once
// An IANA time zone's history as the OS tz database holds it: the zone's TZif file (RFC 8536)
// under $TZDIR, or /usr/share/zoneinfo.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin {

struct ZoneHistory {
    // The UTC offset and abbreviation in force from each start on (ms since the epoch, increasing);
    // the first entry holds from the beginning of time.
    std::vector<std::int64_t> start_ms;
    std::vector<std::int64_t> offset_ms;
    std::vector<std::string> abbrev;
    // Whether daylight saving time goes on after the last listed change, by the rule of the
    // file's footer (a POSIX TZ string such as "PST8PDT,M3.2.0,M11.1.0").
    bool dst_continues = false;
};

// The TZif file's contents; `file` names it in errors. Throws std::invalid_argument when it is not a
// TZif file or is cut short.
ZoneHistory parse_zone_file(std::string_view bytes, const std::string& file);

// Reads the zone `name` ("Europe/Amsterdam", "UTC"). Throws std::invalid_argument naming the zone when
// there is no such zone, and when its file lists changes only as far as the footer's rule takes
// over ("slim" files, whose rule this reader does not apply).
ZoneHistory read_zone(const std::string& name);

}  // namespace evtwin
