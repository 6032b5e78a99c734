#include "host/baseline_rollout.hpp"

#include <evtwin/ess_grid_permissions.hpp>

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

namespace evtwin {

namespace {

constexpr double kEps = 1e-9;

// The forecast value in force at time t: the step containing it, the last one past the end,
// `fallback` without a series (as the MILP formulation reads it).
double at(const Forecast* f, const std::vector<double>& series, Time t, double fallback) {
    if (f == nullptr || series.empty() || f->step.ms() <= 0) return fallback;
    const std::int64_t i = std::max<std::int64_t>(0, (t - f->start) / f->step);
    return series[static_cast<std::size_t>(
        std::min<std::int64_t>(i, static_cast<std::int64_t>(series.size()) - 1))];
}

// A node's fixed flow (PV, base load) at `from`: what it carries now, moved by the forecast's
// change since now, so that the roll-out starts from what is observed.
double fixed_flow_at(const Observation& obs, NodeIndex n, Time from) {
    const double now_kw = obs.nodes[n].fixed_flow_kw;
    const Forecast* f = obs.forecast;
    if (f == nullptr) return now_kw;
    for (const NodeFlowForecast& nf : f->node_fixed_flow)
        if (nf.node == n) return now_kw + at(f, nf.kw, from, 0.0) - at(f, nf.kw, obs.now, 0.0);
    if (n != 0) return now_kw;
    const double net = at(f, f->base_load_kw, from, 0.0) - at(f, f->pv_kw, from, 0.0);
    const double net_now = at(f, f->base_load_kw, obs.now, 0.0) - at(f, f->pv_kw, obs.now, 0.0);
    return now_kw + net - net_now;
}

// When a session's stay ends in the roll-out: when the strategies are told it leaves
// (expected_departure: the demand forecaster's expectation with foresight, else the declared
// departure), as the MILP planners plan it, so that both costs count the same energy as unmet.
Time leaves(const SessionView& s) {
    return s.expected_departure > s.arrival ? s.expected_departure : s.declared_departure;
}

// Whether the MILP planners plan the session: it still wants energy, or it can give some.
bool planned(const SessionView& s, std::span<const ConnectorView> connectors) {
    if (s.remaining_kwh > kEps) return true;
    return s.v2g_allowed && s.connector < connectors.size() && connectors[s.connector].v2g_capable &&
           std::max(s.max_discharge_kw, s.rated_discharge_kw) > kEps;
}

// The vehicles to come, as sessions on the connector the engine would give them.
void add_upcoming(const Observation& obs, Time horizon_end, std::vector<SessionView>& sessions) {
    if (obs.upcoming.empty()) return;
    std::vector<Time> busy_until(obs.connectors.size(), Time::min());
    for (const SessionView& s : sessions)
        if (s.connector < busy_until.size()) busy_until[s.connector] = leaves(s);
    for (const UpcomingSession& u : obs.upcoming) {
        if (u.arrival >= horizon_end) break;
        const auto free_on = [&](bool named_only) -> ConnectorIndex {
            for (ConnectorIndex c = 0; c < obs.connectors.size(); ++c) {
                const ConnectorView& cv = obs.connectors[c];
                if (named_only && cv.charger != u.charger) continue;
                if (busy_until[c] <= u.arrival && cv.state != PilotState::F) return c;
            }
            return kNone;
        };
        ConnectorIndex c = u.charger != kNone ? free_on(true) : kNone;
        if (c == kNone) c = free_on(false);
        if (c == kNone) continue;  // the engine would reject it
        // The engine gives arrivals and true departures as they take effect; a declared one, not.
        busy_until[c] = u.departure > u.arrival ? u.departure : takes_effect(obs, u.declared_departure);
        SessionView s;
        s.id = u.id;
        s.connector = c;
        s.arrival = u.arrival;
        s.declared_departure = u.declared_departure;
        s.expected_departure = busy_until[c];
        s.requested_kwh = s.remaining_kwh = u.requested_kwh;
        s.soc = u.initial_soc;
        s.capacity_kwh = u.capacity_kwh;
        s.min_soc = u.min_soc;
        // The connector's charger losses, as the MILP planners plan a vehicle to come.
        const double efficiency = obs.connectors[c].efficiency > 0.0 ? obs.connectors[c].efficiency : 1.0;
        s.charge_efficiency = efficiency;
        const double vehicle_kw = obs.connectors[c].dc ? u.max_dc_kw : u.max_ac_kw;
        s.max_charge_kw = std::min(obs.connectors[c].max_kw, vehicle_kw / efficiency);
        s.max_discharge_kw =
            obs.connectors[c].v2g_capable ? std::min(obs.connectors[c].max_kw, u.max_discharge_kw) : 0.0;
        s.recharge_kw = s.max_charge_kw;
        s.rated_discharge_kw = s.max_discharge_kw;
        s.v2g_allowed = u.v2g_allowed && obs.connectors[c].v2g_capable;
        s.wear = u.wear;
        s.charge_curve = u.charge_curve;
        s.curve_rated_kw = vehicle_kw;
        s.battery_charge_efficiency = u.battery_charge_efficiency;
        s.battery_discharge_efficiency = u.battery_discharge_efficiency;
        s.needs = u.needs;
        sessions.push_back(s);
    }
}

// The sessions present in the period [from, to): their copies in `present`, their places in
// `sessions` in `index`, and `connectors` showing them (those the roll-out emptied as idle).
void sessions_in_period(const Observation& obs, Time from, Time to, const std::vector<SessionView>& sessions,
                        std::vector<ConnectorView>& connectors, std::vector<SessionView>& present,
                        std::vector<std::size_t>& index) {
    present.clear();
    index.clear();
    std::copy(obs.connectors.begin(), obs.connectors.end(), connectors.begin());
    for (ConnectorView& c : connectors) {
        if (c.session == kNone) continue;
        c.session = kNone;
        c.state = PilotState::A;
    }
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const SessionView& s = sessions[i];
        if (leaves(s) <= from || s.arrival >= to || s.connector >= connectors.size()) continue;
        ConnectorView& c = connectors[s.connector];
        c.session = static_cast<std::uint32_t>(present.size());
        c.state = s.arrival > obs.now ? PilotState::B : obs.connectors[s.connector].state;  // B: arrives
        present.push_back(s);
        index.push_back(i);
    }
}

// The hours of the period [from, to) that session `s` is here.
double hours_here(const SessionView& s, Time from, Time to) {
    return (std::min(to, leaves(s)) - std::max(from, s.arrival)).hours_f();
}

// What the meter counts of session `s`'s `grid_kwh` over its `h` hours in the period [from, to), as
// the MILP planners count it: charging from its arrival to the period's end (one that stays past its
// expected departure draws that power until the next decision), discharge until its departure.
double metered_kwh(const SessionView& s, double grid_kwh, double h, Time from, Time to) {
    if (grid_kwh <= 0.0 || h <= 0.0) return grid_kwh;
    return grid_kwh / h * (to - std::max(from, s.arrival)).hours_f();
}

// A battery's modelled wear over `hours` at the prices the engine gives (as the MILP planners price
// it): per kWh through it, and per kWh·h stored above the reference SoC at the end.
double battery_wear(const BatteryWear& wear, double through_kwh, double soc, double capacity_kwh,
                    double hours) {
    const double above_kwh = std::max(0.0, (soc - kWearReferenceSoc) * capacity_kwh);
    return wear.per_kwh * std::abs(through_kwh) + wear.per_kwh_h_high * above_kwh * hours;
}

// Session `s` over `h` hours at the decision's setpoint: its state moved on; returns the energy at
// the grid side, and adds what reached the battery to `delivered_kwh`.
double charge_session(SessionView& s, const ConnectorView& c, double setpoint, double h,
                      double& delivered_kwh) {
    if (!c.usable() || !std::isfinite(setpoint)) return 0.0;
    double inlet_kwh = 0.0, grid_kwh = 0.0;
    const double eff = s.charge_efficiency > 0.0 ? s.charge_efficiency : 1.0;
    if (setpoint > 0.0) {
        const double kw = std::min({setpoint, s.max_charge_kw, c.max_kw});
        const double to_full = std::max(0.0, (1.0 - s.soc) * s.capacity_kwh);
        inlet_kwh = std::min({kw * h * eff, s.remaining_kwh, to_full});
        grid_kwh = inlet_kwh / eff;
    } else if (setpoint < 0.0 && s.v2g_allowed && c.v2g_capable) {
        const double kw = std::min(-setpoint, s.max_discharge_kw);
        const double above_min = std::max(0.0, (s.soc - s.min_soc) * s.capacity_kwh);
        grid_kwh = -std::min(kw * h, above_min * eff);
        inlet_kwh = grid_kwh / eff;
    }
    s.delivered_kwh += inlet_kwh;
    s.remaining_kwh = std::max(0.0, s.requested_kwh - s.delivered_kwh);
    if (s.capacity_kwh > 0.0) s.soc = std::clamp(s.soc + inlet_kwh / s.capacity_kwh, 0.0, 1.0);
    if (s.soc >= 1.0) s.max_charge_kw = 0.0;
    delivered_kwh += inlet_kwh;
    return grid_kwh;
}

// What a driver's minimum power asks of session `s` over its next `h` hours (as the MILP planners
// price it), in inlet kWh: the minimum while the vehicle still takes energy, up to `room_kwh`, the
// rest of its room. Read before the session is charged (a vehicle charged full takes no more).
double minimum_kwh(const SessionView& s, const ConnectorView& c, double room_kwh, double h) {
    const double min_kw = std::min({s.needs.min_charge_kw, s.max_charge_kw, c.max_kw});
    if (min_kw <= kEps || h <= 0.0) return 0.0;
    const double eff = s.charge_efficiency > 0.0 ? s.charge_efficiency : 1.0;
    return std::min(min_kw * h * eff, room_kwh);
}

// Whether session `s` has a goal whose time comes within the roll-out, before it leaves.
bool goal_ahead(const SessionView& s, Time now) {
    return s.needs.has_goal(s.arrival) && s.needs.goal_by > now && s.needs.goal_by < leaves(s);
}

// The energy session `s`'s goal asks for (at most its request).
double goal_kwh(const SessionView& s) {
    return std::min(s.needs.goal_kwh, s.requested_kwh);
}

// What session `s` lacks when it leaves: its goal's energy where it has one (the energy beyond it is
// wanted only at its value), else its request.
double unmet_at_departure(const SessionView& s) {
    if (!s.needs.has_goal(s.arrival)) return s.remaining_kwh;
    return std::max(0.0, goal_kwh(s) - s.delivered_kwh);
}

// A battery over `hours` at setpoint `kw`, within its SoC bounds: its SoC moved on; returns the energy
// at the grid side.
double run_ess(EssView& ess, double kw, double hours) {
    if (!(ess.capacity_kwh > 0.0) || !std::isfinite(kw)) return 0.0;
    double grid_kwh = 0.0;
    if (kw > 0.0) {
        const double room = std::max(0.0, (ess.soc_max - ess.soc) * ess.capacity_kwh);
        const double eff = ess.charge_efficiency > 0.0 ? ess.charge_efficiency : 1.0;
        grid_kwh = std::min(std::min(kw, ess.max_charge_kw) * hours, room / eff);
        ess.soc += grid_kwh * eff / ess.capacity_kwh;
    } else if (kw < 0.0) {
        const double stored = std::max(0.0, (ess.soc - ess.soc_min) * ess.capacity_kwh);
        const double eff = ess.discharge_efficiency > 0.0 ? ess.discharge_efficiency : 1.0;
        grid_kwh = -std::min(std::min(-kw, ess.max_discharge_kw) * hours, stored * eff);
        ess.soc += grid_kwh / eff / ess.capacity_kwh;
    }
    return grid_kwh;
}

// The price of a kWh left undelivered: the option's, else 20 times the dearest import price over
// the roll-out (at least 10).
double unmet_penalty(const Observation& obs, const RolloutOptions& options, const std::vector<Time>& bounds) {
    if (options.unmet_penalty_per_kwh >= 0.0) return options.unmet_penalty_per_kwh;
    double dearest = 0.0;
    for (std::size_t t = 0; t + 1 < bounds.size() && obs.forecast; ++t)
        dearest = std::max(dearest, std::abs(at(obs.forecast, obs.forecast->import_price, bounds[t], 0.0)));
    return std::max(10.0, 20.0 * dearest);
}

}  // namespace

RolloutCost rollout_cost(const Observation& obs, Strategy& strategy, const RolloutOptions& options) {
    RolloutCost cost;
    const Duration period = obs.control_period;
    if (period.ms() <= 0 || obs.nodes.empty()) return cost;

    const Time horizon_end = obs.now + options.max_horizon;
    std::vector<SessionView> sessions(obs.sessions.begin(), obs.sessions.end());  // evolving state
    // Each leaves when the engine would let its departure take effect; one still here after it was
    // expected to leave stays one more period, as the MILP planners plan it (given nothing, it would
    // only wait).
    for (SessionView& s : sessions) {
        s.expected_departure = takes_effect(obs, leaves(s));
        if (s.expected_departure <= obs.now) s.expected_departure = obs.now + period;
    }
    add_upcoming(obs, horizon_end, sessions);
    // The sessions the MILP planners plan set the span and have their wear counted: the others'
    // costs are the same under any strategy.
    std::vector<char> counted(sessions.size());
    Time end = obs.now;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        counted[i] = planned(sessions[i], obs.connectors);
        if (counted[i]) end = std::max(end, leaves(sessions[i]));
    }
    // With a battery, to the forecast's end (the MILP planners' horizon: a battery has a use after
    // the last vehicle leaves), within the run.
    const Forecast* f = obs.forecast;
    const bool has_battery =
        std::any_of(obs.ess.begin(), obs.ess.end(), [](const EssView& e) { return e.capacity_kwh > 0.0; });
    if (has_battery && f && f->step.ms() > 0)
        end = std::max(end, f->start + f->step * static_cast<std::int64_t>(f->import_price.size()));
    end = std::min(end, horizon_end);
    if (obs.run_end > obs.now) end = std::min(end, obs.run_end);
    const std::vector<Time> bounds = period_bounds(obs, end);
    cost.periods = static_cast<int>(bounds.size()) - 1;
    std::vector<NodeView> nodes(obs.nodes.begin(), obs.nodes.end());
    std::vector<ConnectorView> connectors(obs.connectors.size());
    std::vector<SessionView> present;
    std::vector<std::size_t> present_index;  // into `sessions`
    std::vector<EssView> ess(obs.ess.begin(), obs.ess.end());
    const std::vector<std::size_t> permission_order = grid_permission_order(obs.ess);
    Decision previous, decision;
    previous.connector_kw.assign(obs.connectors.size(), 0.0);
    if (obs.previous) previous = *obs.previous;
    std::vector<double> import_kw;  // per period
    // Each session's energy by its goal's time: what it had at the start, and what the roll-out gives it
    // before then.
    std::vector<double> by_goal(sessions.size());
    for (std::size_t i = 0; i < sessions.size(); ++i) by_goal[i] = sessions[i].delivered_kwh;

    for (int t = 0; t < cost.periods; ++t) {
        const Time from = bounds[t], to = bounds[t + 1];
        const double hours = (to - from).hours_f();
        for (NodeIndex n = 0; n < nodes.size(); ++n) nodes[n].fixed_flow_kw = fixed_flow_at(obs, n, from);
        sessions_in_period(obs, from, to, sessions, connectors, present, present_index);

        Observation o = obs;
        o.now = from;
        o.nodes = nodes;
        o.connectors = connectors;
        o.sessions = present;
        o.ess = ess;
        o.previous = &previous;
        o.upcoming = {};
        decision.connector_kw.assign(connectors.size(), 0.0);
        decision.ess_kw.assign(ess.size(), 0.0);
        decision.expected_cost = std::numeric_limits<double>::quiet_NaN();
        decision.events.clear();
        strategy.decide(o, decision);
        decision.connector_kw.resize(connectors.size(), 0.0);

        double net_kwh = nodes[0].fixed_flow_kw * hours;
        for (const std::size_t i : present_index) {
            SessionView& s = sessions[i];
            const ConnectorView& c = connectors[s.connector];
            const double h = hours_here(s, from, to);
            const double delivered_before = s.delivered_kwh;
            const double room_kwh = std::min(s.remaining_kwh, std::max(0.0, (1.0 - s.soc) * s.capacity_kwh));
            const double minimum = minimum_kwh(s, c, room_kwh, h);
            const double grid_kwh =
                charge_session(s, c, decision.connector_kw[s.connector], h, cost.delivered_kwh);
            net_kwh += metered_kwh(s, grid_kwh, h, from, to);
            if (!counted[i]) continue;
            const double inlet_kwh = s.delivered_kwh - delivered_before;
            cost.wear += battery_wear(s.wear, inlet_kwh, s.soc, s.capacity_kwh, h);
            cost.needs_kwh += std::max(0.0, minimum - inlet_kwh);
            if (goal_ahead(s, obs.now) && h > 0.0)  // the part of the period's energy before the goal's time
                by_goal[i] +=
                    inlet_kwh *
                    std::clamp((s.needs.goal_by - std::max(from, s.arrival)).hours_f() / h, 0.0, 1.0);
        }
        decision.ess_kw.resize(ess.size(), 0.0);
        if (!permission_order.empty()) {  // as the engine holds them, at the period's average import
            double site_kw = net_kwh / hours;
            for (const double kw : decision.ess_kw) site_kw += kw;
            hold_to_grid_permissions(obs.ess, permission_order, site_kw, std::span<double>(decision.ess_kw));
        }
        for (std::size_t b = 0; b < ess.size(); ++b) {
            EssView& battery = ess[b];
            const double soc_before = battery.soc;
            net_kwh += run_ess(battery, decision.ess_kw[b], hours);
            cost.wear += battery_wear(battery.wear, (battery.soc - soc_before) * battery.capacity_kwh,
                                      battery.soc, battery.capacity_kwh, hours);
        }

        const double import_kwh = std::max(0.0, net_kwh);
        // Beyond the export limit the engine curtails PV, which is then neither sold nor free.
        const double pv_kwh = std::max(0.0, at(f, f ? f->pv_kw : std::vector<double>{}, from, 0.0)) * hours;
        const double curtailed_kwh = std::clamp(-net_kwh - nodes[0].export_limit_kw * hours, 0.0, pv_kwh);
        const double export_kwh = std::max(0.0, -net_kwh) - curtailed_kwh;
        cost.curtailment += curtailed_kwh * obs.economics.pv_curtailment_cost_per_kwh;
        cost.import_kwh += import_kwh;
        cost.export_kwh += export_kwh;
        // Export at most at the import price, as the MILP planners value it (charging_model.cpp).
        const double import_price = at(f, f ? f->import_price : std::vector<double>{}, from, 0.0);
        const double export_price =
            std::min(import_price, at(f, f ? f->export_price : std::vector<double>{}, from, 0.0));
        cost.energy += import_kwh * import_price - export_kwh * export_price;
        import_kw.push_back(import_kwh / hours);
        std::swap(previous, decision);
    }

    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const SessionView& s = sessions[i];
        cost.unmet_kwh += unmet_at_departure(s);
        if (counted[i] && goal_ahead(s, obs.now)) cost.needs_kwh += std::max(0.0, goal_kwh(s) - by_goal[i]);
    }
    // The demand charge as the MILP planners count it: by demand interval (the one in progress with
    // what it has imported), else by period.
    const DemandView& demand = obs.demand;
    const double peak_kw = demand.interval.ms() > 0 ? peak_of_intervals_kw(demand, bounds, import_kw)
                                                    : *std::max_element(import_kw.begin(), import_kw.end());
    cost.demand_rise = demand.rate_per_kw * std::max(0.0, peak_kw - demand.peak_kw);
    const double penalty = unmet_penalty(obs, options, bounds);
    for (std::size_t b = 0; b < ess.size() && obs.run_end > obs.now && bounds.back() >= obs.run_end; ++b) {
        const EssView& battery = ess[b];
        const double gained_kwh = (battery.soc - obs.ess[b].soc) * battery.capacity_kwh;
        cost.ess_end -= battery.end_value_per_kwh * gained_kwh;
        if (std::isfinite(battery.end_soc))
            cost.ess_end += penalty * std::max(0.0, (battery.end_soc - battery.soc) * battery.capacity_kwh);
    }
    cost.total = cost.energy + cost.demand_rise + (cost.unmet_kwh + cost.needs_kwh) * penalty + cost.wear +
                 cost.curtailment + cost.ess_end;
    return cost;
}

}  // namespace evtwin
