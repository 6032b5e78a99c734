#pragma once
// The clock of a run's site, for readers of results (the viewer): local time, UTC offset and the
// zone's abbreviation at an instant, from the time zone a run stores (runs.timezone).
#include <evtwin/time.hpp>

#include <memory>
#include <string>

namespace evtwin {

class TimeZone;

class RunClock {
public:
    // Throws std::invalid_argument naming the zone when the tz database does not know it.
    explicit RunClock(const std::string& zone);
    const std::string& name() const;
    LocalDateTime to_local(Time t) const;
    // In a DST gap or overlap, the earlier valid instant.
    Time to_utc(const LocalDateTime& local) const;
    Duration utc_offset(Time t) const;
    std::string abbreviation(Time t) const;  // "KST", "PDT"; "+03" for zones without letters

private:
    std::shared_ptr<const TimeZone> zone_;
};

}  // namespace evtwin
