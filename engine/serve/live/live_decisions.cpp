// The live twin's decisions: the Observation built from its state, the strategy asked, and its
// decision turned into limits that keep every charger, node and phase within its own.
#include "serve/live/live_twin.hpp"

#include "core/decision_check.hpp"
#include "core/session_view.hpp"

#include <evtwin/headroom.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace evtwin::serve {

VehicleSpec unknown_live_vehicle(const ChargerSpec& charger, const LiveSpec& live) {
    VehicleSpec v;
    v.capacity_kwh = live.capacity_kwh;
    v.max_ac_kw = v.max_dc_kw = charger.max_kw * charger.efficiency;
    v.charge_efficiency = v.discharge_efficiency = 1.0;
    return v;
}

Vehicle live_vehicle(const LiveSession& s, const VehicleSpec& vehicle, const ChargerSpec& charger,
                     double meter_kw, Time t) {
    SessionSpec spec;
    spec.id = s.id;
    spec.arrival = s.arrival;
    spec.departure = spec.declared_departure = s.declared_departure;
    spec.initial_soc = s.initial_soc;
    spec.requested_kwh = s.requested_kwh;
    spec.vehicle = vehicle;
    Vehicle v(spec, charger.efficiency, charger.dc);
    const double metered_kwh = s.register_kwh - s.meter_start_kwh;
    v.meter_to(metered_kwh);
    if (s.reported_soc) v.set_soc(*s.reported_soc);
    // The meter reads every so often; the twin's state at `t` is the last reading moved on at the
    // power it measured, as far as the vehicle takes it.
    if (t > s.register_t && meter_kw > 0.0)
        v.meter_to(metered_kwh + std::min(meter_kw * (t - s.register_t).hours_f(), v.remaining_kwh()));
    return v;
}

double SessionCap::at(Time t) const {
    if (t >= until) return kUnlimited;
    double cap = kUnlimited;
    for (const auto& [from, kw] : steps) {
        if (from > t) break;
        cap = kw;
    }
    return cap;
}

void with_declared_v2g(const LiveSession& s, VehicleSpec& vehicle) {
    if (s.declared_min_soc) vehicle.min_soc = *s.declared_min_soc;
    if (!s.declared_discharge_kw) return;
    vehicle.v2g_allowed = *s.declared_discharge_kw > 0.0;
    vehicle.max_discharge_kw = *s.declared_discharge_kw;
}

SessionSpec LiveTwin::session_spec(const Session& s) const {
    const ChargerSpec& ch = spec_.chargers[site_.connectors()[s.connector].charger_spec];
    SessionSpec spec;
    const auto known = fleet_vehicles_.find(s.id_tag);
    if (known != fleet_vehicles_.end()) spec = *known->second;
    spec.vehicle_id = s.id_tag;
    if (known == fleet_vehicles_.end()) spec.vehicle = unknown_live_vehicle(ch, spec_.live);
    with_declared_v2g(s, spec.vehicle);
    spec.id = s.id;
    spec.station = ch.name;
    spec.arrival = s.arrival;
    spec.departure = spec.declared_departure = s.declared_departure;
    spec.initial_soc = s.initial_soc;
    spec.requested_kwh = s.requested_kwh;
    spec.target_soc = -1.0;
    spec.needs = s.needs;
    return spec;
}

void LiveTwin::plug(const Session& s, Time t) {
    const SessionSpec spec = session_spec(s);
    const ChargerSpec& ch = spec_.chargers[site_.connectors()[s.connector].charger_spec];
    PluggedBattery& b = batteries_[s.connector];
    b.battery = &fleet_.plug(spec, t, ch.dc, b.own);
    b.wear = fleet_.wear_of(*b.battery, spec_.battery.ev_cost_per_kwh, ch.max_kw, t);
    b.vehicle = spec.vehicle;
    b.vehicle.capacity_kwh = held_capacity_kwh(*b.battery, spec.vehicle);
}

void LiveTwin::build_observation(Time t) {
    if (cache_.update(t, forecast_)) forecasters_.apply(t, {}, forecast_);
    std::vector<NodeView>& nodes = views_.nodes();
    for (NodeView& n : nodes) n.fixed_flow_kw = 0.0;
    for (const NodeFlowForecast& f : forecast_.node_fixed_flow)
        if (!f.kw.empty()) nodes[f.node].fixed_flow_kw = f.kw[0];
    views_.clear_sessions();
    shown_vehicles_.clear();
    shown_vehicles_.reserve(connectors_.size());  // never moved while the views point into them
    for (std::size_t c = 0; c < connectors_.size(); ++c) {
        LiveConnectorState& cs = connectors_[c];
        ConnectorView& view = views_.connector(static_cast<ConnectorIndex>(c));
        const ChargerSpec& ch = spec_.chargers[site_.connectors()[c].charger_spec];
        const bool usable = cs.online && !cs.faulted;
        view.state = !usable            ? PilotState::F
                     : !cs.session      ? PilotState::A
                     : cs.power_kw != 0 ? PilotState::C
                                        : PilotState::B;
        if (!cs.session) continue;
        if (!cs.online) {
            // Away mid-transaction: it may still draw what it was last told.
            for (NodeIndex n = site_.connectors()[c].node; n != kNone; n = nodes[n].parent)
                nodes[n].fixed_flow_kw += cs.limit_kw;
            continue;
        }
        const Session& s = sessions_[*cs.session];
        const PluggedBattery& b = batteries_[c];
        const Vehicle& vehicle = shown_vehicles_.emplace_back(live_vehicle(s, b.vehicle, ch, cs.power_kw, t));
        PluggedVehicle plugged;
        plugged.id = s.id;
        plugged.connector = static_cast<ConnectorIndex>(c);
        plugged.arrival = s.arrival;
        plugged.declared_departure = s.declared_departure;
        plugged.vehicle = &vehicle;
        plugged.charger = &ch;
        plugged.soh = b.battery->soh();
        plugged.wear = b.wear;
        plugged.needs = s.needs;
        plugged.faulted = !usable;
        SessionView& sv = views_.add_session(session_view(plugged, {RunMode::event, spec_.control_period}));
        if (const auto cap = caps_.find(s.id); cap != caps_.end()) {  // a smart-charging provider's cap
            const double kw = cap->second.at(t);
            sv.max_charge_kw = std::min(sv.max_charge_kw, kw);
            sv.max_discharge_kw = std::min(sv.max_discharge_kw, kw);
        }
        if (foresight_.horizon.ms() > 0)
            sv.expected_departure = forecasters_.expected_departure(session_spec(s), t);
    }
    for (std::size_t b = 0; b < ess_.size(); ++b) views_.set_ess_state(b, ess_[b]);
    views_.show_reservations(reservations_);
    ObservationInputs in;
    in.now = t;
    in.mode = RunMode::event;
    in.forecast = &forecast_;
    in.previous = &previous_;
    in.demand = demand_.view(t);
    if (foresight_.horizon.ms() > 0 && !forecasters_.demand_perfect()) {
        const Time until = foresight_.horizon >= spec_.end - t ? spec_.end : t + foresight_.horizon;
        forecasters_.upcoming(t, until, {}, forecast_, expected_);
        in.upcoming = expected_;
    }
    views_.build(in);
}

std::vector<double> LiveTwin::decide(Time t) {
    std::lock_guard deciding(decide_mutex_);
    {
        std::lock_guard lock(mutex_);
        advance(t);
        decision_due_ = false;  // this decision is the one due
        sample_site(last_t_);
        build_observation(last_t_);
    }
    // The strategy decides without the twin's lock: meter values and transactions go on meanwhile
    // (the views it reads are rebuilt only here).
    Decision d;
    d.connector_kw.assign(connectors_.size(), 0.0);
    d.ess_kw.assign(ess_.size(), 0.0);
    const Observation& observation = views_.observation();
    const auto started = std::chrono::steady_clock::now();
    strategy_.decide(observation, d);
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
        limits[c].occupied = observation.connectors[c].session != kNone;
        if (const auto& open = connectors_[c].session; open && !caps_.empty()) {
            const auto cap = caps_.find(sessions_[*open].id);
            if (cap != caps_.end()) limits[c].cap_kw = cap->second.at(t);
        }
    }
    for (const SessionView& s : observation.sessions) limits[s.connector].vehicle_v2g = s.v2g_allowed;
    check_decision(d, limits, spec_.ess, violations);
    // The site's limits: a limit is what a charger may draw at most, so the sum of the limits (with
    // PV, base load, the ESS and absent chargers) must keep every node and phase within its limit.
    // The batteries go first: what they give makes room for the vehicles.
    Headroom room(observation);
    for (std::size_t b = 0; b < ess_.size(); ++b) {
        const EssView& e = observation.ess[b];
        const double wanted = std::clamp(d.ess_kw[b], -e.max_discharge_kw, e.max_charge_kw);
        double& kw = d.ess_kw[b];
        kw = wanted >= 0.0 ? std::min(wanted, room.charge_room_at(e.node))
                           : -std::min(-wanted, room.discharge_room_at(e.node));
        if (kw != wanted) {
            Violation v{"node_limit_ess", e.node, kNone, wanted, kw};
            v.ess = static_cast<std::uint32_t>(b);
            violations.push_back(v);
        }
        room.take_at(e.node, kw);
    }
    // The grid permissions (evtwin/ess_grid_permissions.hpp), at the site's import as metered with the
    // batteries as decided: a cut gives back the room the battery took.
    ess_decided_kw_ = d.ess_kw;
    if (!grid_permission_order_.empty()) {
        const std::vector<double> kw = within_grid_permissions(d.ess_kw);
        for (std::size_t b = 0; b < ess_.size(); ++b) {
            if (kw[b] == d.ess_kw[b]) continue;
            violations.push_back(grid_permission_cut(spec_.ess, b, d.ess_kw[b], kw[b]));
            room.take_at(spec_.ess[b].node, kw[b] - d.ess_kw[b]);
            d.ess_kw[b] = kw[b];
        }
    }
    for (std::size_t b = 0; b < ess_.size(); ++b) hold_ess(b, d.ess_kw[b]);
    std::vector<double> out(connectors_.size(), 0.0);
    // Discharges first, against the export limits, on a room of their own: a vehicle that gives
    // less than it was told must never leave the site over an import limit, so a discharge makes no
    // room for another vehicle's charging. A discharge the limits cut to nothing is still one.
    std::vector<char> discharging(connectors_.size(), 0);
    Headroom export_room = room;
    for (const SessionView& s : observation.sessions) {
        const auto c = static_cast<std::size_t>(s.connector);
        if (!(d.connector_kw[c] < 0.0) || !connectors_[c].discharge_profiles || !connectors_[c].online)
            continue;
        discharging[c] = 1;
        const double wanted = std::min(-d.connector_kw[c], s.max_discharge_kw);
        const double granted = std::min(wanted, export_room.discharge_room(s.connector));
        if (granted < -d.connector_kw[c])
            violations.push_back(
                {"node_limit", observation.connectors[c].node, s.connector, d.connector_kw[c], -granted});
        export_room.take(s.connector, -granted);
        out[c] = -granted;
    }
    for (std::size_t c = 0; c < connectors_.size(); ++c) {
        const auto ci = static_cast<ConnectorIndex>(c);
        const NodeIndex node = observation.connectors[c].node;
        if (discharging[c]) {
            connectors_[c].limit_kw = 0.0;  // away mid-discharge, it is counted as drawing nothing
            continue;
        }
        const double wanted = std::max(0.0, d.connector_kw[c]);
        // Unsupported where a vehicle is there and its charge point could be told, but not in a
        // profile it speaks (a charge point away is told nothing at all).
        const bool vehicle_there = observation.connectors[c].session != kNone;
        if (d.connector_kw[c] < 0.0 && vehicle_there && connectors_[c].online)
            violations.push_back({"discharge_unsupported", node, ci, d.connector_kw[c], 0.0});
        double granted = std::min(wanted, room.charge_room(ci));
        if (granted < wanted) {
            granted = round_down_setpoint(*limits[c].charger, granted);
            violations.push_back({"node_limit", node, ci, wanted, granted});
        }
        if (granted > 0.0) room.take(ci, granted);
        out[c] = granted;
        if (connectors_[c].online) connectors_[c].limit_kw = granted;
    }
    for (const Violation& v : violations) sink_.violation(t, v);
    sample_site(t);
    previous_ = d;
    previous_.connector_kw = out;
    return out;
}

}  // namespace evtwin::serve
