#include <milp/formulation/charging_model.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace evtwin::milp {
namespace {

constexpr double kEps = 1e-9;

bool usable(const ConnectorView& c) {
    return c.state != PilotState::A && c.state != PilotState::E && c.state != PilotState::F;
}

// The forecast value in force at time t: the step containing it, the last one past the end,
// `fallback` without a series.
double at(const Forecast* f, const std::vector<double>& series, Time t, double fallback) {
    if (f == nullptr || series.empty() || f->step.ms() <= 0) return fallback;
    const std::int64_t i = std::max<std::int64_t>(0, (t - f->start) / f->step);
    return series[static_cast<std::size_t>(
        std::min<std::int64_t>(i, static_cast<std::int64_t>(series.size()) - 1))];
}

}  // namespace

ChargingModel build_charging_model(const Observation& obs, const ChargingOptions& options) {
    if (obs.control_period.ms() <= 0)
        throw std::invalid_argument("charging model: control period must be positive");
    ChargingModel cm;
    cm.start = obs.now;
    cm.period = obs.control_period;

    // The horizon: up to the last declared departure of a vehicle still wanting energy.
    Time end = obs.now;
    for (const SessionView& s : obs.sessions)
        if (s.remaining_kwh > kEps) end = std::max(end, s.declared_departure);
    end = std::min(end, obs.now + options.max_horizon);
    cm.periods = std::max<int>(1, static_cast<int>(((end - obs.now) + cm.period - Duration(1)) / cm.period));
    for (int t = 0; t < cm.periods; ++t) {
        const Time from = obs.now + cm.period * t;
        cm.hours.push_back(cm.period.hours_f());
        cm.import_price.push_back(
            at(obs.forecast, obs.forecast ? obs.forecast->import_price : std::vector<double>{}, from, 0.0));
        cm.export_price.push_back(
            at(obs.forecast, obs.forecast ? obs.forecast->export_price : std::vector<double>{}, from, 0.0));
    }

    Model& m = cm.model;
    LinExpr cost;
    // Per node and period, the power that flows through it from the sessions below it.
    std::vector<std::vector<LinExpr>> node_flow(obs.nodes.size(), std::vector<LinExpr>(cm.periods));
    for (std::uint32_t si = 0; si < obs.sessions.size(); ++si) {
        const SessionView& s = obs.sessions[si];
        if (s.connector >= obs.connectors.size() || s.remaining_kwh <= kEps) continue;
        const ConnectorView& c = obs.connectors[s.connector];
        const double max_kw = usable(c) ? std::min(s.max_charge_kw, c.max_kw) : 0.0;
        const std::string tag = "s" + std::to_string(s.id);
        const std::size_t row = cm.sessions.size();
        cm.sessions.push_back(si);
        cm.connectors.push_back(s.connector);
        cm.power.emplace_back();
        const Var slack = m.add_continuous(0.0, s.remaining_kwh, tag + ".unmet");
        cm.slack.push_back(slack);
        cost.add(slack, options.unmet_penalty_per_kwh);
        LinExpr energy(slack);
        for (int t = 0; t < cm.periods; ++t) {
            const Time from = obs.now + cm.period * t;
            if (from >= s.declared_departure || max_kw <= kEps) break;
            const double h = std::min(cm.period, s.declared_departure - from).hours_f();
            const Var p = m.add_continuous(0.0, max_kw, tag + ".p" + std::to_string(t));
            cm.power[row].push_back(p);
            energy.add(p, h * s.charge_efficiency);
            cost.add(p, options.early_preference * t * h);
            for (NodeIndex n = c.node; n != kNone && n < obs.nodes.size(); n = obs.nodes[n].parent)
                node_flow[n][t].add(p, 1.0);
            const bool has_minimum = c.setpoints_kw.empty() ? c.min_kw > kEps : false;
            if (options.min_power_binaries && has_minimum && c.min_kw <= max_kw) {
                const Var on = m.add_binary(tag + ".on" + std::to_string(t));
                m.add_ge(LinExpr(p) - c.min_kw * LinExpr(on), 0.0);
                m.add_le(LinExpr(p) - max_kw * LinExpr(on), 0.0);
            }
        }
        m.add_ge(energy, s.remaining_kwh, tag + ".energy");
    }

    // The root's fixed flow follows the forecast of base load and PV where there is one, shifted so
    // that it starts from what is observed now; the other nodes keep what they carry now.
    auto fixed_at = [&](NodeIndex n, int t) {
        const double now_kw = obs.nodes[n].fixed_flow_kw;
        if (n != 0 || obs.forecast == nullptr) return now_kw;
        const Time from = obs.now + cm.period * t;
        const Forecast* f = obs.forecast;
        const double net = at(f, f->base_load_kw, from, 0.0) - at(f, f->pv_kw, from, 0.0);
        const double net_now = at(f, f->base_load_kw, obs.now, 0.0) - at(f, f->pv_kw, obs.now, 0.0);
        return now_kw + net - net_now;
    };

    for (NodeIndex n = 0; n < obs.nodes.size(); ++n) {
        const double limit = obs.nodes[n].import_limit_kw;
        if (!std::isfinite(limit)) continue;
        for (int t = 0; t < cm.periods; ++t)
            if (!node_flow[n][t].terms().empty())
                // Never tighter than zero charging: a node already over its limit from fixed flow
                // alone cannot be helped by a charging-only plan.
                m.add_le(node_flow[n][t], std::max(0.0, limit - fixed_at(n, t)),
                         "node" + std::to_string(n) + ".t" + std::to_string(t));
    }

    // Three-phase limits: the projections of the phasor sum on K evenly spread directions stay
    // below limit·cos(π/K), a polygon that lies inside the circle of radius limit.
    const int sides = std::max(3, options.phase_polygon_sides);
    for (std::size_t k = 0; k < obs.phase_constraints.size(); ++k) {
        const PhaseConstraintView& pc = obs.phase_constraints[k];
        if (!std::isfinite(pc.limit_a)) continue;
        const double bound = pc.limit_a * std::cos(std::numbers::pi / sides);
        for (int t = 0; t < cm.periods; ++t)
            for (int d = 0; d < sides; ++d) {
                const double theta = 2.0 * std::numbers::pi * d / sides;
                LinExpr proj;
                for (const ConnectorTerm& term : pc.terms)
                    for (std::size_t row = 0; row < cm.connectors.size(); ++row)
                        if (cm.connectors[row] == term.connector &&
                            t < static_cast<int>(cm.power[row].size()))
                            proj.add(cm.power[row][t], term.coefficient * term.amps_per_kw *
                                                           (term.cos_phase * std::cos(theta) +
                                                            term.sin_phase * std::sin(theta)));
                if (!proj.terms().empty()) m.add_le(proj, bound);
            }
    }

    // Grid exchange, its prices, and the peak.
    cm.peak = m.add_continuous(std::max(0.0, options.peak_so_far_kw), kInf, "peak");
    for (int t = 0; t < cm.periods; ++t) {
        const double fixed = obs.nodes.empty() ? 0.0 : fixed_at(0, t);
        const Var imp = m.add_continuous(0.0, kInf, "import.t" + std::to_string(t));
        const Var exp = m.add_continuous(0.0, std::max(0.0, -fixed), "export.t" + std::to_string(t));
        cm.grid_import.push_back(imp);
        cm.grid_export.push_back(exp);
        LinExpr balance = LinExpr(imp) - exp;
        balance -= obs.nodes.empty() ? LinExpr() : node_flow[0][t];
        m.add_eq(balance, fixed, "grid.t" + std::to_string(t));
        m.add_ge(LinExpr(cm.peak) - imp, 0.0);
        cost.add(imp, cm.import_price[t] * cm.hours[t]);
        cost.add(exp, -cm.export_price[t] * cm.hours[t]);
    }
    cost.add(cm.peak, options.demand_charge_per_kw);
    m.minimise(cost);
    return cm;
}

std::vector<double> ChargingModel::planned_kw(const Solution& solution, int t,
                                              std::size_t connector_count) const {
    std::vector<double> kw(connector_count, 0.0);
    if (!solution.has_values()) return kw;
    for (std::size_t row = 0; row < power.size(); ++row)
        if (t < static_cast<int>(power[row].size()) && connectors[row] < connector_count)
            kw[connectors[row]] += std::max(0.0, solution.value(power[row][t]));
    return kw;
}

}  // namespace evtwin::milp
