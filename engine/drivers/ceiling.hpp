#pragma once
// How far the next-charge score can go (docs/drivers.md, "How far the score can go"): a
// clairvoyant row scored beside the predictors, which knows from the held-out span itself on which
// days of each scored week a driver charges, and at which hours the driver starts on such days over
// the whole span, but not the hour of each session. No forecaster from the past knows as much, so
// its skill over a baseline bounds what one can show on that span.
#include "drivers/evaluation.hpp"

#include <array>
#include <unordered_map>

namespace evtwin::drivers {

class ClairvoyantDays {
public:
    // The driver's habits from the sessions that start in [from, to).
    ClairvoyantDays(const DriverHistory& history, LocalMs from, LocalMs to);
    static constexpr const char* kName = "clairvoyant_days";
    // At a midnight origin: per slot, whether the driver charges that day (from `actual`) times the
    // share of the driver's charging days of that kind (weekday, weekend) in the span with a session
    // starting in the slot's hour; the energy: the mean of the driver's sessions in the span.
    void predict(const Driver& driver, LocalMs origin, const Outcome& actual, DriverPrediction& out) const;

private:
    struct Habits {
        std::array<std::array<double, 24>, 2> hour_share{};  // [weekend][hour of day]
        double mean_kwh = 0.0;
    };
    std::unordered_map<const Driver*, Habits> habits_;
};

}  // namespace evtwin::drivers
