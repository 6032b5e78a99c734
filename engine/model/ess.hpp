#pragma once
// The stationary battery: grid-side power in, stored energy with charge/discharge efficiencies,
// held between its SoC bounds.
#include "model/scenario_spec.hpp"

namespace evtwin {

class Ess {
public:
    explicit Ess(const EssSpec& spec);

    double max_charge_grid_kw() const;
    double max_discharge_grid_kw() const;  // >= 0
    void integrate(double grid_kw, Duration dt);
    Duration time_to_next_change(double grid_kw) const;

    double soc() const { return energy_kwh_ / spec_.capacity_kwh; }
    double charged_grid_kwh() const { return charged_grid_kwh_; }
    double discharged_grid_kwh() const { return discharged_grid_kwh_; }
    const EssSpec& spec() const { return spec_; }

private:
    double grid_kwh_to_full() const;
    double grid_kwh_to_empty() const;

    EssSpec spec_;
    double energy_kwh_;
    double charged_grid_kwh_ = 0.0;
    double discharged_grid_kwh_ = 0.0;
};

}  // namespace evtwin
