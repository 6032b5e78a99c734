#pragma once
// Local civil time of a site, from an IANA zone name (e.g. "Asia/Seoul"), by the OS tz database.
#include <evtwin/time.hpp>

#include <memory>
#include <string>

namespace evtwin {

// The instants [start, end) of a stretch of time.
struct TimeRange {
    Time start;
    Time end;  // exclusive
};

class TimeZone {
public:
    // Throws std::invalid_argument naming the zone when it is unknown.
    explicit TimeZone(const std::string& name);
    const std::string& name() const { return name_; }

    LocalDateTime to_local(Time t) const;
    // The instant of a local date-time; in a DST gap or overlap, the earlier valid instant.
    Time to_utc(const LocalDateTime& local) const;
    // Start (UTC) of the local day containing t.
    Time local_midnight(Time t) const;
    // The local calendar month containing t, from local midnight of its first day to that of the
    // next month's (December runs into January of the next year); a month with a DST change is an
    // hour shorter or longer.
    TimeRange local_month(Time t) const;
    // Local time minus UTC at t (e.g. +9 h in Seoul).
    Duration utc_offset(Time t) const;
    // The zone's abbreviation at t as the tz database spells it: "KST", "PDT", "CET"; for zones
    // without letters, the offset ("+03").
    std::string abbreviation(Time t) const;

    // The zone's UTC offsets and abbreviations, one entry per change: utc_offset() is a binary
    // search. Read once per zone and process.
    struct Offsets;

private:
    std::string name_;
    std::shared_ptr<const Offsets> offsets_;
};

// The date and time of day (and weekday) of ms counted from 1970-01-01T00:00 on some clock (UTC,
// or a zone's wall clock), proleptic Gregorian; and back. ms_from_civil carries a month or day out
// of range over ("day 32 of January" is 1 February).
LocalDateTime civil_from_ms(std::int64_t ms);
std::int64_t ms_from_civil(const LocalDateTime& civil);

// Parses "2024-07-01", "2024-07-01T08:00", "2024-07-01T08:00:00Z", "...+09:00" or RFC 1123
// ("Tue, 01 Dec 2020 13:59:06 GMT"). A time without offset is local to `zone`. Throws
// std::invalid_argument with the expected forms on failure.
Time parse_time(const std::string& text, const TimeZone& zone);
// ISO 8601 in UTC with milliseconds, e.g. "2024-07-01T08:00:00.000Z".
std::string format_utc(Time t);

}  // namespace evtwin
