#include "serve/plan/charging_schedule.hpp"

#include "model/local_time.hpp"

#include <cmath>

namespace evtwin::serve {
namespace {

// OCPP limits have one decimal place.
double rounded(double x) {
    const double r = std::round(x * 10.0) / 10.0;
    return r == 0.0 ? 0.0 : r;  // no "-0.0"
}

}  // namespace

nlohmann::json charging_schedule(Time start, Time end, const std::vector<PowerStep>& steps,
                                 const ScheduleUnit& unit) {
    nlohmann::json periods = nlohmann::json::array();
    for (const PowerStep& s : steps) {
        if (s.t < start || s.t >= end) continue;
        const double watts = s.kw * 1000.0;
        const double limit = rounded(unit.amps ? watts / (unit.phases * unit.voltage_v) : watts);
        const long long at = std::llround(static_cast<double>((s.t - start).ms()) / 1000.0);
        if (!periods.empty() && periods.back()["startPeriod"] == at) {
            periods.erase(periods.size() - 1);  // a later change in the same second wins
        }
        if (!periods.empty() && periods.back()["limit"] == limit) continue;
        periods.push_back({{"startPeriod", at}, {"limit", limit}, {"numberPhases", unit.phases}});
    }
    if (periods.empty() || periods.front()["startPeriod"] != 0) {
        periods.insert(periods.begin(), {{"startPeriod", 0}, {"limit", 0.0}, {"numberPhases", unit.phases}});
    }
    return {{"startSchedule", format_utc(start)},
            {"duration", (end - start).ms() / 1000},
            {"chargingRateUnit", unit.amps ? "A" : "W"},
            {"chargingSchedulePeriod", std::move(periods)}};
}

}  // namespace evtwin::serve
