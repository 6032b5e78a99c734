// OptionReader: the options every MILP strategy takes, read into the formulation's and the solver's.
#include "plugins/milp/planning.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace evtwin::milp {

std::vector<std::string> OptionReader::common_keys() {
    return {"unmet_penalty",
            "demand_charge",
            "peak_so_far",
            "binaries",
            "setpoints",
            "exclusive",
            "v2g",
            "ess",
            "degradation_per_kwh",
            "ess_degradation_per_kwh",
            "pv_curtailment_cost_per_kwh",
            "v2g_price_factor",
            "phase",
            "phase_tolerance",
            "phase_sides",
            "lazy_phase",
            "objective",
            "integer_horizon_h",
            "efficiency",
            "departures",
            "departure_margin_min",
            "periods",
            "time_limit_s",
            "max_nodes",
            "relax",
            "gap",
            "warm_start",
            "wear",
            "wear_weight",
            "tie_break",
            "voltage",
            "voltage_margin",
            "loading",
            "loading_margin"};
}

ChargingOptions OptionReader::charging(ChargingOptions o) const {
    o.unmet_penalty_per_kwh = number("unmet_penalty", o.unmet_penalty_per_kwh, 0.0, kLargestNumber);
    o.demand_charge_per_kw = options_.count("demand_charge")
                                 ? number("demand_charge", 0.0, 0.0, kLargestNumber)
                                 : o.demand_charge_per_kw;
    o.peak_so_far_kw =
        options_.count("peak_so_far") ? number("peak_so_far", 0.0, 0.0, kLargestNumber) : o.peak_so_far_kw;
    o.min_power_binaries = flag("binaries", o.min_power_binaries);
    o.setpoint_binaries = flag("setpoints", o.setpoint_binaries);
    if (options_.count("integer_horizon_h"))
        o.integer_horizon =
            Duration(std::llround(number("integer_horizon_h", 0.0, 0.0, kMostHours) * 3'600'000.0));
    const std::string ex = choice("exclusive", "auto", {"auto", "always", "never"});
    o.exclusive = ex == "always"  ? Exclusivity::always
                  : ex == "never" ? Exclusivity::never
                                  : Exclusivity::auto_;
    o.v2g = flag("v2g", o.v2g);
    o.ess = flag("ess", o.ess);
    o.wear_weight = flag("wear", true) ? number("wear_weight", o.wear_weight, 0.0, 1e6) : 0.0;
    o.degradation_per_kwh = number("degradation_per_kwh", o.degradation_per_kwh, 0.0, kLargestNumber);
    o.ess_degradation_per_kwh =
        number("ess_degradation_per_kwh", o.ess_degradation_per_kwh, 0.0, kLargestNumber);
    o.curtailment_cost_per_kwh =
        number("pv_curtailment_cost_per_kwh", o.curtailment_cost_per_kwh, 0.0, kLargestNumber);
    o.v2g_payment_factor = number("v2g_price_factor", o.v2g_payment_factor, 0.0, 1e6);
    o.phase_polygon_sides = static_cast<int>(whole("phase_sides", o.phase_polygon_sides, 3, 360));
    o.lazy_phase_rows = flag("lazy_phase", true);
    o.exact_phase = choice("phase", "exact", {"exact", "polygon"}) == "exact";
    o.phase_tolerance = number("phase_tolerance", o.phase_tolerance, 1e-6, 0.1);
    o.energy_first = choice("objective", o.energy_first ? "energy_first" : "cost",
                            {"cost", "energy_first"}) == "energy_first";
    const std::string tie = choice("tie_break", "preferences",
                                   {"preferences", "level_import", "level_export", "charge_before_export"});
    o.tie_break = tie == "level_import"           ? TieBreak::level_import
                  : tie == "level_export"         ? TieBreak::level_export
                  : tie == "charge_before_export" ? TieBreak::charge_before_export
                                                  : TieBreak::preferences;
    o.true_departures =
        choice("departures", o.true_departures ? "true" : "declared", {"true", "declared"}) == "true";
    o.event_periods =
        choice("periods", o.event_periods ? "events" : "control", {"control", "events"}) == "events";
    o.hold_voltage = choice("voltage", o.hold_voltage ? "hold" : "ignore", {"ignore", "hold"}) == "hold";
    o.voltage_margin_pu = number("voltage_margin", o.voltage_margin_pu, 0.0, 0.1);
    o.hold_loading = choice("loading", o.hold_loading ? "hold" : "ignore", {"ignore", "hold"}) == "hold";
    o.loading_margin = number("loading_margin", o.loading_margin, 0.0, 0.5);
    o.upcoming_efficiency = number("efficiency", o.upcoming_efficiency, 0.0, 1.0);
    o.departure_margin = Duration(static_cast<std::int64_t>(std::llround(
        number("departure_margin_min", o.departure_margin.ms() / 60'000.0, 0.0, kMostHours * 60.0) *
        60'000.0)));
    return o;
}

SolveOptions OptionReader::solve(double default_time_limit_s) const {
    SolveOptions s;
    s.time_limit_s = number("time_limit_s", default_time_limit_s, 0.0, kMostHours * 3600.0);
    s.relax_integrality = flag("relax", false);
    s.relative_gap = number("gap", 1e-3, 0.0, 1.0);
    s.warm_start = flag("warm_start", true);
    s.max_nodes = static_cast<int>(whole("max_nodes", -1, 0, std::numeric_limits<int>::max()));
    return s;
}

}  // namespace evtwin::milp
