#include "model/ess.hpp"

#include "model/ess_energy.hpp"
#include "model/time_to_energy.hpp"
#include "model/vehicle.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace evtwin {

Ess::Ess(const EssSpec& spec) : spec_(spec), energy_kwh_(spec.soc_initial * spec.capacity_kwh) {}

double Ess::grid_kwh_to_full() const {
    return std::max(0.0, spec_.soc_max * spec_.capacity_kwh - energy_kwh_) / spec_.charge_efficiency;
}

double Ess::grid_kwh_to_empty() const {
    return std::max(0.0, energy_kwh_ - spec_.soc_min * spec_.capacity_kwh) * spec_.discharge_efficiency;
}

double Ess::max_charge_grid_kw() const {
    return grid_kwh_to_full() <= one_ms_of(spec_.max_charge_kw) ? 0.0 : spec_.max_charge_kw;
}

double Ess::max_discharge_grid_kw() const {
    return grid_kwh_to_empty() <= one_ms_of(spec_.max_discharge_kw) ? 0.0 : spec_.max_discharge_kw;
}

void Ess::integrate(double grid_kw, Duration dt) {
    if (grid_kw == 0.0 || dt.ms() <= 0) return;
    const double grid_kwh = grid_kw * dt.hours_f();
    if (grid_kw > 0.0)
        charged_grid_kwh_ += grid_kwh;
    else
        discharged_grid_kwh_ -= grid_kwh;
    energy_kwh_ +=
        stored_change_kwh(grid_kw, dt.hours_f(), spec_.charge_efficiency, spec_.discharge_efficiency);
}

Duration Ess::time_to_next_change(double grid_kw) const {
    const double kwh = grid_kw > 0.0 ? grid_kwh_to_full() : grid_kw < 0.0 ? grid_kwh_to_empty() : 0.0;
    if (grid_kw == 0.0) return Duration(kNeverMs);
    return Duration(ms_to_move(kwh, std::abs(grid_kw)));
}

}  // namespace evtwin
