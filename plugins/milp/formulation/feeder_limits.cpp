// The feeder's voltages held in their bands (ChargingOptions::hold_voltage) and the loadings of the
// branches that supply the site below their limit (hold_loading; docs/milp.md, "Voltages and
// loadings on a feeder"): each, linearised by the engine's sensitivities around the site's imports
// at the feeder's last solve, with the feeder's other customers as they will be in each period, kept
// within its limits (less a margin); then, in cut rounds, the plan's imports solved on the feeder and
// the linearisation there added where the plan breaks a limit. What cannot be held is priced.
#include "plugins/milp/formulation/model_builder.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace evtwin::milp {
namespace {

// Slopes below this (per unit, or loading, per kW) move nothing the limits can see: the site does
// not reach it.
constexpr double kNoSlope = 1e-12;

void append(std::vector<double>& to, std::span<const double> values) {
    to.insert(to.end(), values.begin(), values.end());
}

}  // namespace

bool FeederLimits::evaluate(Time at, std::span<const double> around, std::vector<double>& values,
                            std::vector<double>* slopes) const {
    values.clear();
    if (slopes != nullptr) slopes->clear();
    std::vector<double> part, part_slopes;
    std::vector<double>* wanted = slopes != nullptr ? &part_slopes : nullptr;
    if (voltages > 0) {
        if (!feeder->voltages_at(at, around, part, wanted)) return false;
        append(values, part);
        if (slopes != nullptr) append(*slopes, part_slopes);
    }
    if (floor.size() > voltages) {
        if (!feeder->loadings_at(at, around, part, wanted)) return false;
        append(values, part);
        if (slopes != nullptr) append(*slopes, part_slopes);
    }
    return values.size() == floor.size();
}

void ModelBuilder::add_feeder_limits() {
    const FeederView& view = obs_.feeder;
    const bool hold_voltage = options_.hold_voltage && !view.voltages.empty();
    const bool hold_loading = options_.hold_loading && !view.loadings.empty();
    if ((!hold_voltage && !hold_loading) || !view.present || view.sensitivity == nullptr) return;
    const std::size_t attached = view.attached.size();
    if (attached == 0) return;
    FeederLimits& limits = cm_.feeder;
    limits.feeder = view.sensitivity;
    std::vector<double> now, slopes;
    if (hold_voltage) {
        limits.voltages = view.voltages.size();
        for (const BusVoltageView& bus : view.voltages) {
            limits.floor.push_back(bus.v_min_pu + options_.voltage_margin_pu);
            limits.ceiling.push_back(bus.v_max_pu - options_.voltage_margin_pu);
        }
        append(now, view.sensitivity->v_pu_now());
        append(slopes, view.sensitivity->dv_pu_per_kw());
    }
    if (hold_loading) {
        for (std::size_t i = 0; i < view.loadings.size(); ++i) {
            limits.floor.push_back(-kInf);
            limits.ceiling.push_back(view.max_loading - options_.loading_margin);
        }
        append(now, view.sensitivity->loading_now());
        append(slopes, view.sensitivity->dloading_per_kw());
    }
    const std::size_t quantities = limits.floor.size();
    if (now.size() != quantities || slopes.size() != quantities * attached) {
        limits = FeederLimits{};
        return;
    }
    std::vector<double> per_unit_h;  // per quantity: the price of a unit beyond its limits for an hour
    for (std::size_t i = 0; i < quantities; ++i) {
        double steepest = 0.0;
        for (std::size_t j = 0; j < attached; ++j)
            steepest = std::max(steepest, std::abs(slopes[i * attached + j]));
        // A unit beyond the limit is priced as the kW that would bring it back at the steepest
        // slope, each kW above what leaving a vehicle's kWh short costs: the limits come before the
        // energy, as a grid limit does.
        per_unit_h.push_back(steepest > kNoSlope ? 2.0 * cm_.unmet_penalty / steepest : 0.0);
    }
    std::vector<double> around, at_start;
    for (const AttachedNodeView& node : view.attached) around.push_back(node.import_kw);
    limits.flow.assign(cm_.periods, std::vector<LinExpr>(attached));
    limits.held.assign(cm_.periods, 0);
    limits.low.assign(static_cast<std::size_t>(cm_.periods) * quantities, std::nullopt);
    limits.high = limits.low;
    for (int t = 0; t < cm_.periods; ++t) {
        const std::string when = ".t" + std::to_string(t);
        for (std::size_t j = 0; j < attached; ++j) {
            const NodeIndex node = view.attached[j].node;
            if (node >= obs_.nodes.size()) continue;
            const LinExpr decided = node_takes_[node][t] - node_gives_[node][t];
            if (decided.terms().empty()) {
                limits.flow[t][j] = LinExpr(fixed_flow_kw(node, t));
                continue;
            }
            // A column per node and period: each quantity's rows then name the nodes' imports, not
            // every vehicle below them again.
            const Var flow =
                model_.add_continuous(-kInf, kInf, std::string("f").append(std::to_string(j)).append(when));
            model_.add_eq(LinExpr(flow) - decided, fixed_flow_kw(node, t));
            limits.flow[t][j] = LinExpr(flow);
            limits.held[t] = 1;
        }
        if (!limits.held[t]) continue;  // nothing the plan decides moves the feeder
        // The values the period starts from: the feeder's other customers as they will be then.
        if (!limits.evaluate(cm_.bounds[t], around, at_start, nullptr)) at_start = now;
        for (std::size_t i = 0; i < quantities; ++i) {
            if (per_unit_h[i] == 0.0) continue;
            const std::string name =
                std::string(i < limits.voltages ? "v" : "l").append(std::to_string(i)).append(when);
            const std::size_t k = static_cast<std::size_t>(t) * quantities + i;
            if (std::isfinite(limits.floor[i])) {
                limits.low[k] = model_.add_continuous(0.0, kInf, name + ".low");
                cost_.add(*limits.low[k], per_unit_h[i] * cm_.hours[t]);
            }
            limits.high[k] = model_.add_continuous(0.0, kInf, name + ".high");
            cost_.add(*limits.high[k], per_unit_h[i] * cm_.hours[t]);
            cm_.add_feeder_row(t, i, at_start, slopes, around, true, true);
        }
    }
}

bool ChargingModel::add_feeder_row(int t, std::size_t i, std::span<const double> at,
                                   std::span<const double> slopes, std::span<const double> around, bool floor,
                                   bool ceiling) {
    const FeederLimits& limits = feeder;
    const std::size_t attached = around.size();
    const std::size_t k = static_cast<std::size_t>(t) * limits.floor.size() + i;
    if (!limits.high[k]) return false;
    // at + Σ_j slope_j · (flow_j(t) − around_j), its constant moved to the right-hand side.
    LinExpr moved;
    double rhs_shift = at[i];
    for (std::size_t j = 0; j < attached; ++j) {
        const double slope = slopes[i * attached + j];
        if (std::abs(slope) < kNoSlope) continue;
        moved += limits.flow[t][j] * slope;
        rhs_shift -= slope * around[j];
    }
    if (moved.terms().empty()) return false;
    if (floor && limits.low[k]) model.add_ge(moved + *limits.low[k], limits.floor[i] - rhs_shift);
    if (ceiling) model.add_le(moved - *limits.high[k], limits.ceiling[i] - rhs_shift);
    return true;
}

int ChargingModel::add_feeder_cuts(const Solution& solution) {
    const FeederLimits& limits = feeder;
    if (limits.feeder == nullptr || !solution.has_values()) return 0;
    const std::size_t quantities = limits.floor.size();
    int added = 0;
    std::vector<double> around, values, slopes;
    for (int t = 0; t < periods; ++t) {
        if (!limits.held[t]) continue;
        around.clear();
        for (const LinExpr& flow : limits.flow[t]) around.push_back(solution.value(flow));
        if (!limits.evaluate(bounds[t], around, values, nullptr)) continue;
        // Beyond a limit by more than the plan already pays for.
        std::vector<std::pair<bool, bool>> out(quantities, {false, false});
        bool any = false;
        for (std::size_t i = 0; i < quantities; ++i) {
            const std::size_t k = static_cast<std::size_t>(t) * quantities + i;
            if (!limits.high[k]) continue;
            const double paid_low = limits.low[k] ? solution.value(*limits.low[k]) : 0.0;
            const double paid_high = solution.value(*limits.high[k]);
            out[i].first = values[i] < limits.floor[i] - paid_low - kFeederTolerance;
            out[i].second = values[i] > limits.ceiling[i] + paid_high + kFeederTolerance;
            any = any || out[i].first || out[i].second;
        }
        if (!any || !limits.evaluate(bounds[t], around, values, &slopes)) continue;
        for (std::size_t i = 0; i < quantities; ++i)
            if ((out[i].first || out[i].second) &&
                add_feeder_row(t, i, values, slopes, around, out[i].first, out[i].second))
                ++added;
    }
    return added;
}

}  // namespace evtwin::milp
