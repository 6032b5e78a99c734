#pragma once
// Wear prices: a battery's ageing model linearised at its present state, for strategies that weigh
// wear against money (docs/battery.md, section Wear prices).
#include "model/battery_ageing.hpp"

#include <evtwin/observation.hpp>

namespace evtwin {

// The depth of the cycle a kWh of throughput is priced in.
inline constexpr double kWearCycleDepth = 0.5;

// `value_per_fade`: what a fade of the whole nominal capacity costs; `usable_kwh`: nominal × SoH;
// `c_rate`: the rate it is used at (the charger's power over the usable capacity).
BatteryWear wear_prices(const BatteryAgeing& ageing, double nominal_kwh, double usable_kwh,
                        double value_per_fade, double c_rate, double temperature_c);

}  // namespace evtwin
