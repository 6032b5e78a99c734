#include "serve/plan/daily_profile.hpp"

namespace evtwin::serve {

StepSeries daily_series(const std::vector<DailyBand>& bands, const TimeZone& zone, Time from, Time to) {
    StepSeries series;
    if (bands.empty()) return series;
    series.before = bands.back().value;  // the previous evening's
    LocalDateTime day = zone.to_local(zone.local_midnight(from));
    day.hour = day.minute = day.second = day.millisecond = 0;
    for (;;) {
        for (const DailyBand& band : bands) {
            LocalDateTime at = day;
            at.hour = band.from_minute / 60;
            at.minute = band.from_minute % 60;
            const Time t = zone.to_utc(at);
            if (t >= to) return series;
            if (!series.empty() && t <= series.t.back()) {
                series.v.back() = band.value;
            } else {
                series.push(t, band.value);
            }
        }
        day.day += 1;
        day = civil_from_ms(ms_from_civil(day));  // carries the month and year over
    }
}

}  // namespace evtwin::serve
