#pragma once
// A plugged-in vehicle's battery during a session. Power on the grid side of the charger is converted
// to the inlet (the session meter) with the charger's efficiency and to the battery with the
// vehicle's. The vehicle stops charging when its request is met or it is full, and stops discharging
// at its minimum SoC; a bound less than one millisecond away counts as reached.
#include "model/charge_curve.hpp"
#include "model/vehicle_spec.hpp"

#include <evtwin/time.hpp>

#include <algorithm>

namespace evtwin {

class Vehicle {
public:
    Vehicle(const SessionSpec& spec, double charger_efficiency, bool dc);

    // Most the vehicle takes now, on the grid side (>= 0).
    double max_charge_grid_kw() const { return max_charge_grid_kw_; }
    double max_discharge_grid_kw() const { return max_discharge_grid_kw_; }

    // Advances the battery by `dt` at constant grid-side power `grid_kw` (negative: discharging).
    void integrate(double grid_kw, Duration dt);
    // Time until the power the vehicle takes at `grid_kw` would change: a stair edge of its charge
    // curve, its request met, full, or empty to its minimum SoC. Duration of Time::max() when never.
    Duration time_to_next_change(double grid_kw) const;

    // Decision-period mode: the constant grid power that, held for `period`, delivers what the
    // vehicle takes with its charger held at `grid_cap_kw` (exact along the charge curve, stopping
    // at its request or when full); and the same for discharging down to its minimum SoC.
    double period_charge_grid_kw(double grid_cap_kw, Duration period) const;
    double period_discharge_grid_kw(double grid_cap_kw, Duration period) const;

    double soc() const { return energy_kwh_ / capacity_kwh_; }
    double capacity_kwh() const { return capacity_kwh_; }
    double requested_kwh() const { return requested_kwh_; }
    double delivered_kwh() const { return charged_kwh_ - discharged_kwh_; }
    double remaining_kwh() const { return std::max(0.0, requested_kwh_ - delivered_kwh()); }
    double charged_kwh() const { return charged_kwh_; }
    double discharged_kwh() const { return discharged_kwh_; }
    double grid_kwh() const { return grid_kwh_; }
    double min_soc() const { return min_soc_; }
    bool v2g_allowed() const { return v2g_allowed_; }
    double charger_efficiency() const { return charger_efficiency_; }

private:
    double inlet_kwh_to_stop_charging() const {
        const double to_full = std::max(0.0, capacity_kwh_ - energy_kwh_) / charge_efficiency_;
        return std::min(remaining_kwh(), to_full);
    }
    double inlet_kwh_to_stop_discharging() const {
        return std::max(0.0, energy_kwh_ - min_soc_ * capacity_kwh_) * discharge_efficiency_;
    }
    // Recomputes what depends on the SoC alone (the engine asks for it at every instant): the
    // stair of the charge curve and the most the vehicle takes either way.
    void refresh();

    ChargeStaircase curve_;
    double capacity_kwh_;
    double energy_kwh_;
    double requested_kwh_;
    double charge_efficiency_;
    double discharge_efficiency_;
    double charger_efficiency_;
    double max_discharge_inlet_kw_;
    double min_soc_;
    bool v2g_allowed_;
    double charged_kwh_ = 0.0;
    double discharged_kwh_ = 0.0;
    double grid_kwh_ = 0.0;
    std::size_t stair_ = 0;
    double max_charge_grid_kw_ = 0.0;
    double max_discharge_grid_kw_ = 0.0;
};

// The energy a session asks for at the inlet: its requested_kwh, or what its target SoC takes.
double requested_inlet_kwh(const SessionSpec& spec);

// Inlet energy a grid-side power delivers in one millisecond: below it, a bound counts as reached.
inline double one_ms_of(double kw) { return kw / 3'600'000.0; }

}  // namespace evtwin
