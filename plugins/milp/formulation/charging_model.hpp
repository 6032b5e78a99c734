#pragma once
// The charging formulation shared by the optimisation strategies: from an Observation, a model of
// the vehicles plugged in now over the horizon ahead, one step per control period.
//
//   p[s][t]  grid-side charging power of session s in period t, 0 <= p <= min(vehicle now, charger)
//            (only while the session is declared present; a period cut by the departure counts
//            the part before it)
//   slack[s] energy requested but not delivered, 0 <= slack <= remaining, penalised per kWh
//   Σ_t p[s][t]·h_t·η_s + slack[s] >= remaining_kwh[s]            (h_t: hours of period t usable)
//   fixed_n(t) + Σ_{s below n} p[s][t] <= import_limit_n           (every node of the site tree)
//   |Σ terms| <= limit_a for every phase constraint, as a regular polygon inside the circle
//   imp[t] − exp[t] = fixed_root(t) + Σ_s p[s][t],  imp >= 0, 0 <= exp <= PV surplus
//   peak >= imp[t], peak >= the peak already billed
//   on[s][t] binary with min_kw·on <= p <= max·on where a charger has a minimum power (optional)
// minimise Σ_t (import_price·imp − export_price·exp)·h + penalty·Σ slack + demand_charge·peak
//          + a tiny preference for charging early (it breaks ties towards delivering sooner).
#include <milp/model/solver.hpp>

#include <evtwin/observation.hpp>

#include <vector>

namespace evtwin::milp {

struct ChargingOptions {
    double unmet_penalty_per_kwh = 10.0;  // the "user satisfaction" weight; above any energy price
    double demand_charge_per_kw = 0.0;    // cost per kW of peak import over the horizon
    double peak_so_far_kw = 0.0;          // peak already set in this billing period
    Duration max_horizon = Duration::hours(48);
    bool min_power_binaries = true;  // on/off binaries where a charger has a minimum power
    int phase_polygon_sides = 16;    // linearisation of each three-phase limit
    double early_preference = 1e-6;  // per kWh and period of delay
};

struct ChargingModel {
    Model model;
    Time start;
    Duration period;
    int periods = 0;
    std::vector<double> hours;                  // usable hours of each period (the last may be cut)
    std::vector<std::uint32_t> sessions;        // index into Observation::sessions, per row of power
    std::vector<ConnectorIndex> connectors;     // the connector of each row
    std::vector<std::vector<Var>> power;        // [session row][period]; absent past the departure
    std::vector<Var> slack;                     // per session row
    std::vector<Var> grid_import, grid_export;  // per period
    Var peak;
    std::vector<double> import_price, export_price;  // per period, as used in the objective

    // The planned power of every connector in period t of a solution (0 where no session is).
    std::vector<double> planned_kw(const Solution& solution, int t, std::size_t connector_count) const;
};

// Throws std::invalid_argument on an observation that cannot be modelled (no control period).
ChargingModel build_charging_model(const Observation& obs, const ChargingOptions& options);

}  // namespace evtwin::milp
