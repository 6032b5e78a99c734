// The live twin's decisions: the Observation built from its state, the strategy asked, and its
// decision turned into limits that keep every charger, node and phase within its own.
#include "serve/live/live_twin.hpp"

#include "core/decision_check.hpp"
#include "core/session_view.hpp"

#include <evtwin/headroom.hpp>

#include <algorithm>
#include <chrono>

namespace evtwin::serve {

Vehicle live_vehicle(const LiveSession& s, const ChargerSpec& charger, const LiveSpec& live) {
    SessionSpec spec;
    spec.id = s.id;
    spec.arrival = s.arrival;
    spec.departure = spec.declared_departure = s.declared_departure;
    spec.initial_soc = s.initial_soc;
    spec.requested_kwh = s.requested_kwh;
    spec.vehicle.capacity_kwh = live.capacity_kwh;
    // Nothing is known of its own limits and losses: it takes what the charger gives, and what the
    // meter counts is in its battery.
    spec.vehicle.max_ac_kw = spec.vehicle.max_dc_kw = charger.max_kw * charger.efficiency;
    spec.vehicle.charge_efficiency = spec.vehicle.discharge_efficiency = 1.0;
    Vehicle v(spec, charger.efficiency, charger.dc);
    v.meter_to(s.register_kwh - s.meter_start_kwh);
    if (s.reported_soc) v.set_soc(*s.reported_soc);
    return v;
}

void LiveTwin::build_observation(Time t) {
    if (cache_.update(t, forecast_)) forecasters_.apply(t, {}, forecast_);
    for (NodeView& n : node_views_) n.fixed_flow_kw = 0.0;
    for (const NodeFlowForecast& f : forecast_.node_fixed_flow)
        if (!f.kw.empty()) node_views_[f.node].fixed_flow_kw = f.kw[0];
    session_views_.clear();
    for (std::size_t c = 0; c < connectors_.size(); ++c) {
        LiveConnectorState& cs = connectors_[c];
        ConnectorView& view = connector_views_[c];
        const ChargerSpec& ch = spec_.chargers[site_.connectors()[c].charger_spec];
        view.session = kNone;
        const bool usable = cs.online && !cs.faulted;
        view.state = !usable           ? PilotState::F
                     : !cs.session     ? PilotState::A
                     : cs.power_kw > 0 ? PilotState::C
                                       : PilotState::B;
        if (!cs.session) continue;
        if (!cs.online) {
            // Away mid-transaction: it may still draw what it was last told.
            for (NodeIndex n = site_.connectors()[c].node; n != kNone; n = node_views_[n].parent)
                node_views_[n].fixed_flow_kw += cs.limit_kw;
            continue;
        }
        const Session& s = sessions_[*cs.session];
        const Vehicle vehicle = live_vehicle(s, ch, spec_.live);
        PluggedVehicle plugged;
        plugged.id = s.id;
        plugged.connector = static_cast<ConnectorIndex>(c);
        plugged.arrival = s.arrival;
        plugged.declared_departure = s.declared_departure;
        plugged.vehicle = &vehicle;
        plugged.charger = &ch;
        plugged.faulted = !usable;
        view.session = static_cast<std::uint32_t>(session_views_.size());
        session_views_.push_back(session_view(plugged, {RunMode::event, spec_.control_period}));
    }
    Observation& o = observation_;
    o.now = t;
    o.control_period = spec_.control_period;
    o.mode = RunMode::event;
    o.nodes = node_views_;
    o.connectors = connector_views_;
    o.sessions = session_views_;
    o.ess = EssView{};  // a live site's battery is not driven over OCPP
    o.forecast = &forecast_;
    o.previous = &previous_;
    o.phase_constraints = phase_views_;
    o.run_start = spec_.start;
    o.run_end = spec_.end;
    o.economics = {spec_.economics.charging_price_per_kwh, spec_.economics.v2g_price_factor,
                   spec_.economics.ev_degradation_per_kwh, spec_.economics.ess_degradation_per_kwh};
    o.demand = demand_.view(t);
    o.upcoming = {};
    if (foresight_.horizon.ms() > 0 && !forecasters_.demand_perfect()) {
        const Time until = foresight_.horizon >= spec_.end - t ? spec_.end : t + foresight_.horizon;
        forecasters_.upcoming(t, until, {}, forecast_, expected_);
        o.upcoming = expected_;
    }
}

std::vector<double> LiveTwin::decide(Time t) {
    std::lock_guard deciding(decide_mutex_);
    {
        std::lock_guard lock(mutex_);
        advance(t);
        sample_site(last_t_);
        build_observation(last_t_);
    }
    // The strategy decides without the twin's lock: meter values and transactions go on meanwhile
    // (the views it reads are rebuilt only here).
    Decision d;
    d.connector_kw.assign(connectors_.size(), 0.0);
    const auto started = std::chrono::steady_clock::now();
    strategy_.decide(observation_, d);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::lock_guard lock(mutex_);
    t = last_t_;  // records never go back in time
    sink_.decision_time(t, seconds);
    ++decisions_;
    for (const StrategyEvent& e : d.events)
        sink_.event(t, EventKind::strategy, kNone, 0, e.kind + ": " + e.detail);
    d.events.clear();
    if (d.connector_kw.size() != connectors_.size()) d.connector_kw.resize(connectors_.size(), 0.0);

    std::vector<Violation> violations;
    std::vector<ConnectorLimits> limits(connectors_.size());
    for (std::size_t c = 0; c < connectors_.size(); ++c) {
        limits[c].charger = &spec_.chargers[site_.connectors()[c].charger_spec];
        limits[c].occupied = connector_views_[c].session != kNone;
    }
    check_decision(d, limits, std::nullopt, violations);
    // The site's limits, connector by connector: a limit is what the charger may draw at most, so
    // the sum of the limits (with PV, base load and absent chargers) must keep every node and
    // phase within its limit.
    Headroom room(observation_);
    std::vector<double> out(connectors_.size(), 0.0);
    for (std::size_t c = 0; c < connectors_.size(); ++c) {
        const auto ci = static_cast<ConnectorIndex>(c);
        const double wanted = std::max(0.0, d.connector_kw[c]);
        if (d.connector_kw[c] < 0.0)
            violations.push_back(
                {"discharge_unsupported", connector_views_[c].node, ci, d.connector_kw[c], 0.0});
        double granted = std::min(wanted, room.charge_room(ci));
        if (granted < wanted) {
            granted = round_down_setpoint(*limits[c].charger, granted);
            violations.push_back({"node_limit", connector_views_[c].node, ci, wanted, granted});
        }
        if (granted > 0.0) room.take(ci, granted);
        out[c] = granted;
        if (connectors_[c].online) connectors_[c].limit_kw = granted;
    }
    for (const Violation& v : violations) sink_.violation(t, v);
    previous_ = d;
    previous_.connector_kw = out;
    return out;
}

}  // namespace evtwin::serve
