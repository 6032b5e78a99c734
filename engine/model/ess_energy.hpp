#pragma once
// What a stationary battery stores for a grid-side power: a charged grid kWh stores its charge
// efficiency, a discharged one takes 1 / its discharge efficiency out of store.

namespace evtwin {

// The change of stored energy (kWh) for `grid_kw` (negative: discharging) held `hours`.
inline double stored_change_kwh(double grid_kw, double hours, double charge_efficiency,
                                double discharge_efficiency) {
    const double grid_kwh = grid_kw * hours;
    return grid_kwh > 0.0 ? grid_kwh * charge_efficiency : grid_kwh / discharge_efficiency;
}

}  // namespace evtwin
