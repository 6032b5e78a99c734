#pragma once
// The site calendar forecasters see: local hour, weekday and public holidays.
#include "model/local_time.hpp"

#include <evtwin/forecaster.hpp>

#include <string>
#include <vector>

namespace evtwin {

// Public holidays by rule, for a named calendar: "us" (federal, with the Friday/Monday observed
// days), "no" (Norway), "nl" (the Netherlands) or "none". Throws std::invalid_argument for another name.
class HolidayCalendar {
public:
    explicit HolidayCalendar(std::string name);
    const std::string& name() const { return name_; }
    bool is_holiday(int year, int month, int day) const;

private:
    std::string name_;
};

CalendarStep calendar_step(Time t, const TimeZone& zone, const HolidayCalendar& holidays);
// One CalendarStep per step of [start, start + n·step).
std::vector<CalendarStep> calendar_steps(Time start, Duration step, std::size_t n, const TimeZone& zone,
                                         const HolidayCalendar& holidays);

}  // namespace evtwin
