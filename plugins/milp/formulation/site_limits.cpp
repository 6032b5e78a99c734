// The site's sections of a charging model: the ESS, the node and phase limits, and the grid
// exchange with its prices, curtailment and the demand charge.
#include "plugins/milp/formulation/model_builder.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace evtwin::milp {
namespace {

// Below this a fixed flow is at its limit, not over it.
constexpr double kOvershootEps_kw = 1e-6;

// Every phasor of a phase limit a non-negative multiple of one direction: one exact row holds it.
struct Alignment {
    bool aligned = true;
    double re = 0.0, im = 0.0;  // the unit direction; 0 when every phasor is 0
};

Alignment alignment_of(const PhaseLimit& limit) {
    Alignment a;
    for (std::size_t connector = 0; connector < limit.re.size() && a.aligned; ++connector) {
        const double re = limit.re[connector], im = limit.im[connector];
        if (!limit.in[connector] || std::hypot(re, im) < 1e-12) continue;
        if (a.re == 0 && a.im == 0) {
            const double length = std::hypot(re, im);
            a.re = re / length;
            a.im = im / length;
        } else if (std::abs(re * a.im - im * a.re) > 1e-9 * std::hypot(re, im) || re * a.re + im * a.im < 0) {
            a.aligned = false;
        }
    }
    return a;
}

}  // namespace

void ModelBuilder::add_ess(std::size_t b, bool reaches_run_end) {
    const EssView& ess = obs_.ess[b];
    // Its columns' names: "ess" for the first battery, "ess1", "ess2", ... for the others.
    const std::string name = "ess" + (b == 0 ? std::string() : std::to_string(b));
    const NodeIndex node = ess.node < obs_.nodes.size() ? ess.node : NodeIndex{0};
    const double charge_efficiency = ess.charge_efficiency > 0 ? ess.charge_efficiency : 1.0;
    const double discharge_efficiency = ess.discharge_efficiency > 0 ? ess.discharge_efficiency : 1.0;
    const BatteryWear wear = weighted(ess.wear, options_.wear_weight);
    LinExpr stored_before(ess.soc * ess.capacity_kwh);
    const auto priority_rank = std::count_if(obs_.ess.begin(), obs_.ess.end(), [&](const EssView& other) {
        return other.priority > ess.priority;
    });
    for (int t = 0; t < cm_.periods; ++t) {
        const std::string when = ".t" + std::to_string(t);
        const double hours = cm_.hours[t];
        // What it can take or give now in the first period; each direction's rating after (the
        // stored energy's bounds keep it within its SoC bounds).
        const double max_charge_kw = t == 0 ? ess.max_charge_kw : ess.rated_charge_kw;
        const double max_discharge_kw = t == 0 ? ess.max_discharge_kw : ess.rated_discharge_kw;
        const Var charge = model_.add_continuous(0.0, max_charge_kw, name + ".c" + when);
        const Var discharge = model_.add_continuous(0.0, max_discharge_kw, name + ".d" + when);
        cm_.ess_charge[b].push_back(charge);
        cm_.ess_discharge[b].push_back(discharge);
        cost_.add(discharge, cm_.ess_degradation * hours);
        cost_.add(charge, cm_.ess_degradation * hours);
        // Among equal plans, the one that charges and discharges later (it buys energy when needed and
        // keeps its reserve): the choice is not left to the solver, and no idle cycle pays. Of two
        // batteries, the one of higher priority does the work.
        const double rank = static_cast<double>(priority_rank);
        prefer(discharge, options_.early_preference * (cm_.periods - t + rank) * hours);
        prefer(charge, options_.early_preference * (cm_.periods - t + rank) * hours);
        add_wear(t, discharge, wear.per_kwh / discharge_efficiency * hours);
        add_wear(t, charge, wear.per_kwh * charge_efficiency * hours);
        const Var stored =
            model_.add_continuous(std::min(ess.soc_min, ess.soc) * ess.capacity_kwh,
                                  std::max(ess.soc_max, ess.soc) * ess.capacity_kwh, name + ".E" + when);
        LinExpr balance = LinExpr(stored) - stored_before;
        balance.add(charge, -charge_efficiency * hours);
        balance.add(discharge, hours / discharge_efficiency);
        model_.add_eq(balance, 0.0);
        add_ess_return(stored, ess, name);
        stored_before = LinExpr(stored);
        if (wear.per_kwh_h_high > 0.0) {
            const Var high = model_.add_continuous(0.0, kInf, name + ".high" + when);
            model_.add_ge(LinExpr(high) - LinExpr(stored), -kWearReferenceSoc * ess.capacity_kwh);
            add_wear(t, high, wear.per_kwh_h_high * hours);
        }
        if (exclusive_in(t) && max_charge_kw > kPlanningEps && max_discharge_kw > kPlanningEps) {
            const Var charging = model_.add_binary(name + ".dir" + when);
            ++cm_.binaries;
            model_.add_le(LinExpr(charge) - max_charge_kw * LinExpr(charging), 0.0);
            model_.add_le(LinExpr(discharge) + max_discharge_kw * LinExpr(charging), max_discharge_kw);
        }
        metered_flow_[t].add(charge, 1.0);
        metered_flow_[t].add(discharge, -1.0);
        add_flow_through(node, t, charge, &discharge);
    }
    if (!reaches_run_end) {
        if (options_.ess_keep_energy)
            model_.add_ge(stored_before, std::min(ess.soc, ess.soc_max) * ess.capacity_kwh - 1e-6,
                          name + ".keep");
        return;
    }
    // What the site wants of it at the run's end: each kWh stored is worth its value (counted from
    // what it stores now, so that a battery left alone costs nothing), and the SoC wanted is a goal
    // whose shortfall is priced as a vehicle's undelivered kWh.
    if (ess.end_value_per_kwh > 0.0) {
        const LinExpr gained = stored_before - LinExpr(ess.soc * ess.capacity_kwh);
        cost_ -= gained * ess.end_value_per_kwh;
        cm_.ess_end -= gained * ess.end_value_per_kwh;
    }
    if (std::isfinite(ess.end_soc)) {
        const Var short_kwh = model_.add_continuous(0.0, kInf, name + ".end_short");
        model_.add_ge(stored_before + LinExpr(short_kwh), ess.end_soc * ess.capacity_kwh, name + ".end_soc");
        cost_.add(short_kwh, cm_.unmet_penalty);
        cm_.ess_end.add(short_kwh, cm_.unmet_penalty);
    }
}

void ModelBuilder::add_ess_return(Var stored, const EssView& ess, const std::string& name) {
    // A battery that starts outside its SoC bounds is brought back within them first: each period's
    // energy still outside costs more than any price saves by waiting (so it never moves further
    // out, as the engine's battery does not either).
    const double floor_kwh = ess.soc_min * ess.capacity_kwh;
    const double ceiling_kwh = ess.soc_max * ess.capacity_kwh;
    if (ess.soc < ess.soc_min) {
        const Var below = model_.add_continuous(0.0, kInf, name + ".below");
        model_.add_ge(LinExpr(below) + LinExpr(stored), floor_kwh);
        cost_.add(below, cm_.overshoot_penalty);
    } else if (ess.soc > ess.soc_max) {
        const Var above = model_.add_continuous(0.0, kInf, name + ".above");
        model_.add_ge(LinExpr(above) - LinExpr(stored), -ceiling_kwh);
        cost_.add(above, cm_.overshoot_penalty);
    }
}

double ModelBuilder::fixed_flow_kw(NodeIndex node, int t) const {
    const double now_kw = obs_.nodes[node].fixed_flow_kw;
    if (t == 0) return now_kw;
    const Forecast* forecast = forecast_;
    const Time from = cm_.bounds[t];
    if (!node_series_.empty())
        return node_series_[node] ? forecast_at(forecast, *node_series_[node], from, now_kw) : 0.0;
    if (node != 0 || forecast == nullptr) return now_kw;
    // Root only, from the site totals, shifted so that it starts from what is observed now.
    const double net = forecast_at(forecast, forecast->base_load_kw, from, 0.0) -
                       forecast_at(forecast, forecast->pv_kw, from, 0.0);
    const double net_now = forecast_at(forecast, forecast->base_load_kw, obs_.now, 0.0) -
                           forecast_at(forecast, forecast->pv_kw, obs_.now, 0.0);
    return now_kw + net - net_now;
}

void ModelBuilder::add_node_limits() {
    for (NodeIndex node = 0; node < obs_.nodes.size(); ++node) {
        const double import_limit = obs_.nodes[node].import_limit_kw;
        const double export_limit = obs_.nodes[node].export_limit_kw;
        for (int t = 0; t < cm_.periods; ++t) {
            const LinExpr& takes = node_takes_[node][t];
            const LinExpr& gives = node_gives_[node][t];
            if (takes.terms().empty() && gives.terms().empty()) continue;
            const double fixed = fixed_flow_kw(node, t);
            // Never tighter than zero: a node over its limit from fixed flow alone cannot be
            // helped by a plan, and the engine's check is on what the decision adds.
            if (std::isfinite(import_limit) && !takes.terms().empty())
                model_.add_le(takes, std::max(0.0, import_limit - fixed),
                              "node" + std::to_string(node) + ".t" + std::to_string(t));
            if (std::isfinite(export_limit) && !gives.terms().empty())
                model_.add_le(gives, std::max(0.0, export_limit + fixed));
            if (std::isfinite(import_limit) && fixed - import_limit > kOvershootEps_kw)
                add_import_overshoot(node, t, fixed - import_limit);
        }
    }
}

// The fixed flow alone is over the node's import limit in period t: charging below it is held at
// zero (add_node_limits), and what discharging below it does not give back is an overshoot, a column
// priced far above any energy price, so that the plan breaks the limit by no more than it must. Only
// such periods get one: every other model keeps its columns and rows. A PV surplus over an export
// limit needs none: it is curtailed (the grid exchange's curtailment; the engine curtails it).
void ModelBuilder::add_import_overshoot(NodeIndex node, int t, double excess_kw) {
    const std::string name = "node" + std::to_string(node) + ".over.t" + std::to_string(t);
    const Var over = model_.add_continuous(0.0, excess_kw, name);
    model_.add_ge(node_gives_[node][t] + over, excess_kw, name);
    cost_.add(over, cm_.overshoot_penalty * cm_.hours[t]);
    cm_.overshoots.push_back({node, t, over});
}

// Three-phase limits, for the charging and for the discharging apart. Aligned phasors need one
// exact row per direction. Otherwise, with exact_phase, no row up front: add_phase_cuts adds the
// circle's tangents where solutions break it (phase_cuts.cpp); without, the projections of the
// phasor sum on K evenly spread directions stay below limit·cos(π/K), a polygon inside the circle,
// whose rows lazy_phase_rows leaves to add_phase_rows, which adds those a solution breaks (most
// never bind).
void ModelBuilder::add_phase_limits() {
    cm_.phase_sides = std::max(3, options_.phase_polygon_sides);
    cm_.exact_phase = options_.exact_phase;
    cm_.phase_tolerance = options_.phase_tolerance;
    const bool rows_up_front = !options_.exact_phase && !options_.lazy_phase_rows;
    const std::size_t connectors = obs_.connectors.size();
    for (const PhaseConstraintView& constraint : obs_.phase_constraints) {
        PhaseLimit limit;
        limit.limit_a = constraint.limit_a;
        limit.re.assign(connectors, 0.0);
        limit.im.assign(connectors, 0.0);
        limit.in.assign(connectors, 0);
        if (!std::isfinite(constraint.limit_a) || constraint.terms.empty()) {
            cm_.phase_limits.push_back(std::move(limit));
            continue;
        }
        for (const ConnectorTerm& term : constraint.terms) {
            if (term.connector >= connectors) continue;
            limit.re[term.connector] += term.coefficient * term.amps_per_kw * term.cos_phase;
            limit.im[term.connector] += term.coefficient * term.amps_per_kw * term.sin_phase;
            limit.in[term.connector] = 1;
        }
        const Alignment alignment = alignment_of(limit);
        if (!options_.exact_phase)
            limit.added.assign(static_cast<std::size_t>(cm_.periods) * cm_.phase_sides * 2, 0);
        for (int t = 0; t < cm_.periods; ++t) {
            bool any = false, gives = false;
            for (const PhaseActive& active : cm_.phase_active[t])
                if (limit.in[active.connector]) {
                    any = true;
                    gives = gives || active.has_discharge;
                }
            if (!any) continue;
            if (alignment.aligned) {
                model_.add_le(cm_.phase_projection(limit, t, alignment.re, alignment.im, PhaseFlow::charge),
                              constraint.limit_a);
                if (gives)
                    model_.add_le(
                        cm_.phase_projection(limit, t, -alignment.re, -alignment.im, PhaseFlow::discharge),
                        constraint.limit_a);
                continue;
            }
            limit.slots.push_back(t);
            if (rows_up_front)
                for (int side = 0; side < cm_.phase_sides; ++side) {
                    cm_.add_phase_row(limit, t, side, PhaseFlow::charge);
                    if (gives) cm_.add_phase_row(limit, t, side, PhaseFlow::discharge);
                }
        }
        cm_.phase_limits.push_back(std::move(limit));
    }
}

void ModelBuilder::add_grid_permissions(int t, Var bought, Var sold) {
    // Beyond the integer horizon, as the other binaries, left out: a relaxed one would hold little.
    if (!integral(t)) return;
    // The most the site can import or export in the period: the fixed flow and every column that
    // adds to it at its bound (a plan that both imports and exports in one period is never the
    // cheapest, so this bounds either where it matters).
    const double fixed = obs_.nodes.empty() ? 0.0 : fixed_flow_kw(0, t);
    double most_import = std::max(0.0, fixed) + 1.0, most_export = std::max(0.0, -fixed) + 1.0;
    for (const auto& [column, coefficient] : metered_flow_[t].terms()) {
        const double bound = model_.columns()[column].upper * std::abs(coefficient);
        (coefficient > 0.0 ? most_import : most_export) += bound;
    }
    // The grid connection's import limit holds the charging (or, where the fixed flow alone is over
    // it, holds the charging at zero).
    if (!obs_.nodes.empty())
        most_import = std::min(most_import, std::max(obs_.nodes[0].import_limit_kw, fixed) + 1.0);
    most_export = std::min(most_export, model_.columns()[sold.index].upper);
    const std::string when = ".t" + std::to_string(t);
    const auto exclude = [&](Var flow, Var grid, double grid_most, const std::string& name) {
        const double flow_bound = model_.columns()[flow.index].upper;
        if (!(flow_bound > kPlanningEps)) return;
        // on = 1: the battery may move that way, and the grid not.
        const Var on = model_.add_binary(name + when);
        ++cm_.binaries;
        model_.add_le(LinExpr(flow) - flow_bound * LinExpr(on), 0.0);
        model_.add_le(LinExpr(grid) + grid_most * LinExpr(on), grid_most);
    };
    for (std::size_t b = 0; b < obs_.ess.size(); ++b) {
        const std::string name = "ess" + (b == 0 ? std::string() : std::to_string(b));
        const auto step = static_cast<std::size_t>(t);
        if (!obs_.ess[b].grid_charge)
            exclude(cm_.ess_charge[b][step], bought, most_import, name + ".from_surplus");
        if (!obs_.ess[b].grid_discharge)
            exclude(cm_.ess_discharge[b][step], sold, most_export, name + ".on_site");
    }
}

// Grid exchange, its prices, curtailment of a PV surplus, and the demand charge.
void ModelBuilder::add_grid_exchange() {
    const DemandView& demand = obs_.demand;
    cm_.demand_rate = options_.demand_charge_per_kw >= 0 ? options_.demand_charge_per_kw : demand.rate_per_kw;
    cm_.peak_so_far = std::max(0.0, options_.peak_so_far_kw >= 0 ? options_.peak_so_far_kw : demand.peak_kw);
    cm_.peak = model_.add_continuous(cm_.peak_so_far, kInf, "peak");
    const double export_limit = obs_.nodes.empty() ? kInf : obs_.nodes[0].export_limit_kw;
    cm_.export_limit_kw = export_limit;
    cm_.curtail.assign(static_cast<std::size_t>(cm_.periods), std::nullopt);
    cm_.pv_kw.assign(static_cast<std::size_t>(cm_.periods), 0.0);
    const bool by_interval =
        cm_.demand_rate > 0 && options_.demand_charge_per_kw < 0 && demand.interval.ms() > 0;
    if (by_interval) cm_.demand_intervals = demand;
    std::vector<LinExpr> interval_kwh;  // per demand interval from the one in progress
    for (int t = 0; t < cm_.periods; ++t) {
        const std::string when = ".t" + std::to_string(t);
        const double fixed = obs_.nodes.empty() ? 0.0 : fixed_flow_kw(0, t);
        const Var bought = model_.add_continuous(0.0, kInf, "import" + when);
        const Var sold = model_.add_continuous(0.0, std::max(0.0, export_limit), "export" + when);
        cm_.grid_import.push_back(bought);
        cm_.grid_export.push_back(sold);
        add_grid_permissions(t, bought, sold);
        LinExpr balance = LinExpr(bought) - sold;
        if (fixed < 0) {
            const Var curtail = model_.add_continuous(0.0, -fixed, "curtail" + when);
            balance.add(curtail, -1.0);
            cost_.add(curtail, cm_.curtailment_cost * cm_.hours[t]);
            // Where exporting pays nothing, exporting and curtailing are a tie: export (which the
            // engine does unless told otherwise), so that a plan curtails only where it pays.
            prefer(curtail, 2.0 * options_.early_preference * cm_.hours[t]);
            cm_.curtail[t] = curtail;
            if (forecast_ != nullptr)
                cm_.pv_kw[t] =
                    forecast_at(forecast_, forecast_->pv_kw, t == 0 ? obs_.now : cm_.bounds[t], 0.0);
        }
        balance -= metered_flow_[t];
        model_.add_eq(balance, fixed, "grid" + when);
        cost_.add(bought, cm_.import_price[t] * cm_.hours[t]);
        cost_.add(sold, -cm_.export_price[t] * cm_.hours[t]);
        // Where exports are paid what imports cost, importing and exporting at once is a tie.
        prefer(sold, options_.early_preference * cm_.hours[t]);
        if (cm_.demand_rate <= 0) continue;
        if (by_interval) {
            // A plan made within an interval fills the rest of that one, then the next.
            for_each_interval_part(demand, cm_.bounds[t], cm_.bounds[t + 1],
                                   [&](std::size_t k, double hours) {
                                       if (interval_kwh.size() <= k) interval_kwh.resize(k + 1);
                                       interval_kwh[k].add(bought, hours);
                                   });
        } else {
            model_.add_ge(LinExpr(cm_.peak) - bought, 0.0);
        }
    }
    if (by_interval) {
        const double interval_h = demand.interval.hours_f();
        for (std::size_t k = 0; k < interval_kwh.size(); ++k) {
            if (interval_kwh[k].terms().empty()) continue;
            LinExpr average_kw = interval_kwh[k] * (1.0 / interval_h);
            if (k == 0) average_kw.add(demand.interval_kwh / interval_h);  // imported before now
            model_.add_ge(LinExpr(cm_.peak) - average_kw, 0.0, "demand.k" + std::to_string(k));
        }
    }
    cost_.add(cm_.peak, cm_.demand_rate);
    cost_.add(-cm_.demand_rate * cm_.peak_so_far);
}

}  // namespace evtwin::milp
