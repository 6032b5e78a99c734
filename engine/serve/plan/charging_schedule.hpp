#pragma once
// A vehicle's power over its session as an OCPP ChargingSchedule (the `chargingSchedule` of a
// TxProfile): one chargingSchedulePeriod per change of power, from the session's start.
#include <evtwin/time.hpp>

#include <nlohmann/json.hpp>

#include <vector>

namespace evtwin::serve {

struct PowerStep {
    Time t;           // from t until the next step (or the schedule's end)
    double kw = 0.0;  // grid side; negative: discharging
};

struct ScheduleUnit {
    bool amps = false;  // false: W; true: A per phase
    int phases = 3;
    double voltage_v = 230.0;
};

// `steps` sorted by time, inside [start, end). Consecutive equal powers make one period; a limit in
// A is the power divided by phases × voltage.
nlohmann::json charging_schedule(Time start, Time end, const std::vector<PowerStep>& steps,
                                 const ScheduleUnit& unit);

}  // namespace evtwin::serve
