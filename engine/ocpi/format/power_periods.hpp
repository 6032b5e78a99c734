#pragma once
// A connector's recorded power as OCPI charging periods. A run records each connector's power at
// the charger's grid side whenever it changes; a driver is billed for what reached the vehicle's
// inlet (the charger's losses are the site's). Each stretch of constant power is one period:
// ENERGY, TIME while the power is not zero or PARKING_TIME while it is, MAX_POWER and MIN_POWER.
// A vehicle discharging (V2G) gives negative ENERGY and power, as OCPI's ENERGY allows.
#include "ocpi/format/objects.hpp"

#include <string>
#include <vector>

namespace evtwin::ocpi {

struct PowerStretch {
    Time from;
    Time to;
    double kw = 0.0;
};

// A connector's power as stretches of one power, from its rows added in time order.
class ConnectorPower {
public:
    void add(Time t, double kw);
    // The stretches overlapping [from, to), clipped to it; zero power before the first row.
    std::vector<PowerStretch> during(Time from, Time to) const;
    // Forgets what ended at or before `t`.
    void forget_before(Time t);
    // The time of the last row added (Time::min() before any).
    Time last_row() const;

private:
    std::vector<PowerStretch> stretches_;
    Time last_row_ = Time::min();
};

// The power at the vehicle's inlet from the charger's grid side, through the charger's efficiency.
double inlet_kw(double grid_kw, double efficiency);

// One charging period per stretch, at the vehicle's inlet.
std::vector<ChargingPeriod> charging_periods(const std::vector<PowerStretch>& stretches, double efficiency,
                                             const std::string& tariff_id);

}  // namespace evtwin::ocpi
