#pragma once
// A plugged-in vehicle's battery during a session. Power on the grid side of the charger is converted
// to the inlet (the session meter) with the charger's efficiency and to the battery with the
// vehicle's. The vehicle stops charging when its request is met or it is full, and stops discharging
// at its minimum SoC; a bound less than one millisecond away counts as reached.
#include "model/charge_curve.hpp"
#include "model/vehicle_spec.hpp"

#include <evtwin/time.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace evtwin {

// Inlet energy a grid-side power delivers in one millisecond: below it, a bound counts as reached.
inline double one_ms_of(double kw) {
    return kw / 3'600'000.0;
}

class Vehicle {
public:
    Vehicle(const SessionSpec& spec, double charger_efficiency, bool dc);

    // Most the vehicle takes now, on the grid side (>= 0).
    double max_charge_grid_kw() const { return max_charge_grid_kw_; }
    double max_discharge_grid_kw() const { return max_discharge_grid_kw_; }
    // Grid side, whether or not the request is met or the battery is at its minimum SoC: the most
    // its charge curve takes at or below its SoC (what it takes again once it has given energy
    // back), and its discharge rating.
    double recharge_grid_kw() const { return recharge_grid_kw_; }
    double rated_discharge_grid_kw() const { return max_discharge_inlet_kw_ * charger_efficiency_; }

    // Advances the battery by `dt` at constant grid-side power `grid_kw` (negative: discharging).
    void integrate(double grid_kw, Duration dt) {
        if (grid_kw != 0.0 && dt.ms() > 0) integrate_hours(grid_kw, dt.hours_f());
    }
    // The same for grid_kw != 0 and hours = dt.hours_f() of a positive dt; returns whether the most
    // it takes either way changed.
    bool integrate_hours(double grid_kw, double hours);
    // What integrating moves: the vehicle's energies at an instant.
    struct Progress {
        double energy_kwh, charged_kwh, discharged_kwh, grid_kwh;
    };
    Progress progress() const { return {energy_kwh_, charged_kwh_, discharged_kwh_, grid_kwh_}; }
    // The state `hours` (> 0) at constant grid_kw (!= 0) after the instant whose progress was `start`,
    // integrated in one step from there: the same whether or not it was integrated in between.
    // Returns whether the most it takes either way changed since its last state.
    bool integrate_from(const Progress& start, double grid_kw, double hours) {
        energy_kwh_ = start.energy_kwh;
        charged_kwh_ = start.charged_kwh;
        discharged_kwh_ = start.discharged_kwh;
        grid_kwh_ = start.grid_kwh;
        return integrate_hours(grid_kw, hours);
    }
    // Live operation, where a meter says what happened instead of the physics: the session has
    // delivered `kwh` at the inlet in all (the difference is charged, or discharged when negative),
    // and the vehicle says its SoC is `soc`.
    void meter_to(double kwh) {
        const double inlet_kwh = kwh - delivered_kwh();
        if (inlet_kwh > 0.0) {
            charged_kwh_ += inlet_kwh;
            energy_kwh_ = std::min(capacity_kwh_, energy_kwh_ + inlet_kwh * charge_efficiency_);
            grid_kwh_ += inlet_kwh / charger_efficiency_;
        } else if (inlet_kwh < 0.0) {
            discharged_kwh_ -= inlet_kwh;
            energy_kwh_ = std::max(0.0, energy_kwh_ + inlet_kwh / discharge_efficiency_);
            grid_kwh_ += inlet_kwh * charger_efficiency_;
        }
        refresh();
    }
    void set_soc(double soc) {
        energy_kwh_ = std::clamp(soc, 0.0, 1.0) * capacity_kwh_;
        refresh();
    }
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
    double battery_charge_efficiency() const { return charge_efficiency_; }  // battery kWh per inlet kWh
    double battery_discharge_efficiency() const {
        return discharge_efficiency_;
    }  // inlet kWh per battery kWh
    const ChargeStaircase& charge_curve() const { return curve_; }

private:
    double inlet_kwh_to_stop_charging() const {
        const double to_full = std::max(0.0, capacity_kwh_ - energy_kwh_) / charge_efficiency_;
        return std::min(remaining_kwh(), to_full);
    }
    double inlet_kwh_to_stop_discharging() const {
        return std::max(0.0, energy_kwh_ - min_soc_ * capacity_kwh_) * discharge_efficiency_;
    }
    // Recomputes what depends on the SoC alone (the engine asks for it at every instant): the
    // stair of the charge curve and the most the vehicle takes either way; returns whether that
    // most changed.
    bool refresh();
    // What depends on the stair alone, recomputed when the stair changes.
    void enter_stair(std::size_t stair);

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
    double stair_inlet_kw_ = 0.0;    // the stair's max inlet power
    double stair_one_ms_kwh_ = 0.0;  // one_ms_of(stair_inlet_kw_)
    double stair_grid_kw_ = 0.0;     // stair_inlet_kw_ on the grid side
    double recharge_grid_kw_ = 0.0;  // the most of the stairs up to this one, grid side
    double stair_lo_ = 0.0;          // the stair's SoC range (ChargeStaircase::stair_lo/hi)
    double stair_hi_ = 0.0;
    double stair_lo_kwh_ = 0.0;  // energies well inside that range (see enter_stair)
    double stair_hi_kwh_ = 0.0;
    double stair_room_kwh_ = 0.0;  // room to full well above one ms of the stair's power
    static constexpr double kInf = std::numeric_limits<double>::infinity();
    double max_charge_grid_kw_ = 0.0;
    double max_discharge_grid_kw_ = 0.0;
};

inline void Vehicle::enter_stair(std::size_t stair) {
    stair_ = stair;
    stair_inlet_kw_ = curve_.stair_kw(stair);
    stair_one_ms_kwh_ = one_ms_of(stair_inlet_kw_);
    stair_lo_ = curve_.stair_lo(stair);
    stair_hi_ = curve_.stair_hi(stair);
    // soc() + kSocTolerance lies in [stair_lo_, stair_hi_) when the energy lies strictly between these.
    const double margin = 1e-9 * capacity_kwh_;
    const bool sane = capacity_kwh_ > 0.0 && std::isfinite(capacity_kwh_);
    stair_lo_kwh_ = sane ? stair_lo_ * capacity_kwh_ + margin : kInf;
    stair_hi_kwh_ = sane ? (stair_hi_ - ChargeStaircase::kSocTolerance) * capacity_kwh_ - margin : -kInf;
    // Room to full above this: inlet_kwh_to_stop_charging() cannot be the full battery's <= one ms.
    stair_room_kwh_ = charge_efficiency_ > 0.0 && stair_one_ms_kwh_ > 0.0
                          ? 2.0 * stair_one_ms_kwh_ * charge_efficiency_
                          : kInf;
    stair_grid_kw_ = stair_inlet_kw_ / charger_efficiency_;
    recharge_grid_kw_ = curve_.most_kw_up_to(stair) / charger_efficiency_;
}

inline bool Vehicle::refresh() {
    // Usually the battery is still well inside its stair and far from full: decided by comparing
    // energies with margins (1e-9 of the capacity, far above rounding), without a division. Near
    // an edge, the exact tests: the same answers, since the margins only ever send cases there.
    if (!(energy_kwh_ > stair_lo_kwh_ && energy_kwh_ < stair_hi_kwh_)) {
        const double x = soc() + ChargeStaircase::kSocTolerance;
        if (x < stair_lo_ || !(x < stair_hi_)) {
            const std::size_t stair = curve_.stair_of(soc(), stair_);
            if (stair != stair_) enter_stair(stair);
        }
    }
    const bool far_from_stop =
        remaining_kwh() > stair_one_ms_kwh_ && capacity_kwh_ - energy_kwh_ > stair_room_kwh_;
    const double charge_kw =
        stair_inlet_kw_ <= 0.0 || (!far_from_stop && inlet_kwh_to_stop_charging() <= stair_one_ms_kwh_)
            ? 0.0
            : stair_grid_kw_;
    const double discharge_inlet_kw = max_discharge_inlet_kw_;
    const double discharge_kw =
        discharge_inlet_kw <= 0.0 || inlet_kwh_to_stop_discharging() <= one_ms_of(discharge_inlet_kw)
            ? 0.0
            : discharge_inlet_kw * charger_efficiency_;
    // Both are 0.0 or a positive power, never -0.0: comparing as numbers sees every change.
    const bool changed = (charge_kw != max_charge_grid_kw_) | (discharge_kw != max_discharge_grid_kw_);
    max_charge_grid_kw_ = charge_kw;
    max_discharge_grid_kw_ = discharge_kw;
    return changed;
}

inline bool Vehicle::integrate_hours(double grid_kw, double hours) {
    grid_kwh_ += grid_kw * hours;
    if (grid_kw > 0.0) {
        const double inlet_kwh = grid_kw * charger_efficiency_ * hours;
        charged_kwh_ += inlet_kwh;
        energy_kwh_ = std::min(capacity_kwh_, energy_kwh_ + inlet_kwh * charge_efficiency_);
    } else {
        const double inlet_kwh = -grid_kw / charger_efficiency_ * hours;
        discharged_kwh_ += inlet_kwh;
        energy_kwh_ = std::max(0.0, energy_kwh_ - inlet_kwh / discharge_efficiency_);
    }
    return refresh();
}

// The energy a session asks for at the inlet: its requested_kwh, or what its target SoC takes.
double requested_inlet_kwh(const SessionSpec& spec);

}  // namespace evtwin
