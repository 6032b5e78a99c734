#include "model/vehicle.hpp"

#include "model/time_to_energy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace evtwin {
Vehicle::Vehicle(const SessionSpec& spec, double charger_efficiency, bool dc)
    : curve_(spec.vehicle.curve, dc ? spec.vehicle.max_dc_kw : spec.vehicle.max_ac_kw),
      capacity_kwh_(spec.vehicle.capacity_kwh),
      energy_kwh_(spec.initial_soc * spec.vehicle.capacity_kwh),
      requested_kwh_(requested_inlet_kwh(spec)),
      charge_efficiency_(spec.vehicle.charge_efficiency),
      discharge_efficiency_(spec.vehicle.discharge_efficiency),
      charger_efficiency_(charger_efficiency),
      max_discharge_inlet_kw_(spec.vehicle.v2g_allowed ? spec.vehicle.max_discharge_kw : 0.0),
      min_soc_(spec.vehicle.min_soc),
      v2g_allowed_(spec.vehicle.v2g_allowed) {
    enter_stair(curve_.stair_of(soc(), 0));
    refresh();
}

double requested_inlet_kwh(const SessionSpec& spec) {
    if (spec.target_soc < 0.0) return spec.requested_kwh;
    return std::max(0.0, spec.target_soc - spec.initial_soc) * spec.vehicle.capacity_kwh /
           spec.vehicle.charge_efficiency;
}

Duration Vehicle::time_to_next_change(double grid_kw) const {
    if (grid_kw > 0.0) {
        const double inlet_kw = grid_kw * charger_efficiency_;
        std::int64_t ms = ms_to_move(inlet_kwh_to_stop_charging(), inlet_kw);
        const double edge = curve_.edge_after(stair_);
        if (edge < 1.0) {
            const double to_edge = (edge * capacity_kwh_ - energy_kwh_) / charge_efficiency_;
            ms = std::min(ms, std::max<std::int64_t>(1, ms_to_move(to_edge, inlet_kw, true)));
        }
        return Duration(ms);
    }
    if (grid_kw < 0.0)
        return Duration(ms_to_move(inlet_kwh_to_stop_discharging(), -grid_kw / charger_efficiency_));
    return Duration(kNeverMs);
}

double Vehicle::period_charge_grid_kw(double grid_cap_kw, Duration period) const {
    const double hours = period.hours_f();
    if (grid_cap_kw <= 0.0 || hours <= 0.0) return 0.0;
    const double stop_soc =
        std::min(1.0, soc() + inlet_kwh_to_stop_charging() * charge_efficiency_ / capacity_kwh_);
    const double end_soc = curve_.soc_after_charging(soc(), grid_cap_kw * charger_efficiency_, hours,
                                                     capacity_kwh_, charge_efficiency_, stop_soc);
    const double inlet_kwh = std::max(0.0, end_soc - soc()) * capacity_kwh_ / charge_efficiency_;
    return inlet_kwh / hours / charger_efficiency_;
}

double Vehicle::period_discharge_grid_kw(double grid_cap_kw, Duration period) const {
    const double hours = period.hours_f();
    if (grid_cap_kw <= 0.0 || hours <= 0.0) return 0.0;
    const double inlet_kw = std::min(grid_cap_kw / charger_efficiency_, max_discharge_inlet_kw_);
    const double inlet_kwh = std::min(inlet_kw * hours, inlet_kwh_to_stop_discharging());
    return inlet_kwh / hours * charger_efficiency_;
}

}  // namespace evtwin
