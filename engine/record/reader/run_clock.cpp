#include "record/reader/run_clock.hpp"

#include "model/local_time.hpp"

namespace evtwin {

RunClock::RunClock(const std::string& zone) : zone_(std::make_shared<const TimeZone>(zone)) {}

const std::string& RunClock::name() const {
    return zone_->name();
}

LocalDateTime RunClock::to_local(Time t) const {
    return zone_->to_local(t);
}

Time RunClock::to_utc(const LocalDateTime& local) const {
    return zone_->to_utc(local);
}

Duration RunClock::utc_offset(Time t) const {
    return zone_->utc_offset(t);
}

std::string RunClock::abbreviation(Time t) const {
    return zone_->abbreviation(t);
}

}  // namespace evtwin
