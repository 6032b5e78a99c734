#include "core/simulator_impl.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin {

// Integrating the batteries, settling the powers under the limits, and recording what changed.

void Simulator::Impl::integrate_ess(Duration dt) {
    if (dt.ms() <= 0) return;
    for (std::size_t b = 0; b < ess.size(); ++b)
        if (power.ess[b].kw != 0.0) ess[b].battery.integrate(power.ess[b].kw, dt);
}

void Simulator::Impl::bring_up_to_date(ConnectorIndex c, Time t) {
    if (!connectors.integrate_to(c, t)) return;
    const ConnectorTable::HeldPower& held = connectors.held(c);
    if (held.kw == 0.0 || !sessions.plugged(c)) return;
    if (sessions.vehicle(c).integrate_from(held.progress, held.kw, (t - held.since).hours_f())) {
        connectors.flag_for_apply(c);  // what it takes changed
        mark_redecide(c);
    }
    sessions.view_moved(c);
}

void Simulator::Impl::settle(Time t, bool decided) {
    const bool loads_moved = loads_changed;
    const bool permissions = !grid_permission_order.empty();
    if (permissions) {
        ess_kw_before.clear();
        ess_due_before.clear();
        for (std::size_t b = 0; b < ess.size(); ++b) {
            ess_kw_before.push_back(power.ess[b].kw);
            ess_due_before.push_back(ess[b].reschedule ? 1 : 0);
        }
    }
    apply_powers();  // changes the powers of flagged connectors alone
    flow.enforce_limits(power, PowerChanges{connectors.flagged(), loads_moved}, violations);
    if (permissions) hold_to_grid_permissions(decided);
    for (const Violation& v : violations) {
        // The engine's override holds until the next decision.
        if (v.connector != kNone) {
            decision.connector_kw[v.connector] = power.connector_kw[v.connector];
            connectors.flag_for_recheck(v.connector);
            connectors.flag_for_apply(v.connector);
        }
        if (v.kind == "node_limit_ess") decision.ess_kw[v.ess] = power.ess[v.ess].kw;
        sink.violation(t, v);
    }
    summary.violations += violations.size();
    if (!violations.empty()) full_decision_due = true;  // the engine overrode setpoints
    record_and_reschedule(t);
    period_start = false;
    if (options.interrupt && options.interrupt->load(std::memory_order_relaxed)) {
        summary.interrupted = true;
        stopped = true;
    }
    if (options.progress && (++instants & 0xfff) == 0) options.progress(t);
}

void Simulator::Impl::hold_to_grid_permissions(bool decided) {
    std::vector<double>& kw = ess_kw_held;
    std::vector<double>& asked = ess_kw_asked;  // within the node limits
    asked.clear();
    for (const EssPower& e : power.ess) asked.push_back(e.kw);
    kw = asked;
    // A discharge cut makes the site import more, which a node limit may take out of the vehicles,
    // which changes what the site imports again: a few rounds settle it.
    constexpr int kMaxRounds = 4;
    for (int round = 0; round < kMaxRounds; ++round) {
        if (!evtwin::hold_to_grid_permissions<EssSpec>(spec.ess, grid_permission_order, flow.flows()[0], kw))
            break;
        for (std::size_t b = 0; b < ess.size(); ++b) power.ess[b].kw = kw[b];
        flow.enforce_limits(power, PowerChanges{{}, false}, violations);
        for (std::size_t b = 0; b < ess.size(); ++b) kw[b] = power.ess[b].kw;
    }
    for (std::size_t b = 0; b < ess.size(); ++b) {
        ess[b].reschedule = ess_due_before[b] != 0 || power.ess[b].kw != ess_kw_before[b];
        if (!decided || !(std::abs(power.ess[b].kw) < std::abs(asked[b]) - kPowerTolerance)) continue;
        if (asked[b] > 0.0 ? spec.ess[b].grid_charge : spec.ess[b].grid_discharge) continue;
        violations.push_back(grid_permission_cut(spec.ess, b, asked[b], power.ess[b].kw));
    }
}

void Simulator::Impl::schedule_held_back_changes() {
    // Rescheduling released every connector whose power changed at this instant. A change was held
    // back only when it lay at or after this tick, so it is never in the past.
    connectors.release_held_back(next_tick, [this](ConnectorIndex c, Time at) {
        connectors.change_scheduled(c, queue.schedule(at, kVehicleChange, c));
    });
    for (std::size_t b = 0; b < ess.size(); ++b) {
        EssUnit& unit = ess[b];
        if (!unit.due_at_tick || unit.change_at >= next_tick) continue;
        unit.due_at_tick = false;
        unit.pending = queue.schedule(unit.change_at, kEssChange, static_cast<std::uint32_t>(b));
    }
}

void Simulator::Impl::place_loads(std::vector<double>& load_kw) const {
    std::fill(load_kw.begin(), load_kw.end(), 0.0);
    for (std::size_t i = 0; i < load_kw_by_source.size(); ++i)
        load_kw[spec.loads[i].node] += load_kw_by_source[i];
}

void Simulator::Impl::limit_pv(double limit_kw) {
    double available = 0.0;
    for (const PvPower& pv : power.pv) available += pv.available_kw;
    const double share = available > limit_kw ? limit_kw / available : 1.0;
    for (PvPower& pv : power.pv) pv.used_kw = share < 1.0 ? pv.available_kw * share : pv.available_kw;
}

void Simulator::Impl::apply_powers() {
    if (loads_changed) {
        place_loads(power.load_kw);
        loads_changed = false;
    }
    limit_pv(decision.pv_limit_kw);
    double* kw = power.connector_kw.data();
    double* setpoint = decision.connector_kw.data();
    const bool held = spec.decision_period_mode;  // locals: the stores below could alias them
    const bool new_period = period_start;
    const bool every = held && new_period;  // held powers are recomputed at each period's start
    if (every)                              // an empty connector holds 0 kW already
        for (const ConnectorIndex c : connectors.occupied()) connectors.flag(c);
    // By index: bringing a vehicle up to date flags it again (already listed), never another.
    for (std::size_t k = 0; k < connectors.flagged().size(); ++k) {
        const ConnectorIndex c = connectors.flagged()[k];
        const bool due = connectors.take_apply_due(c);
        if (!(due | every)) continue;  // it would compute the power it holds
        const double before = kw[c];
        double now = before;
        if (!connectors.plugged(c)) {
            now = 0.0;
        } else if (connectors.faulted(c)) {
            now = 0.0;  // the fault cut it; a decision made since was checked in decide()
            setpoint[c] = 0.0;
        } else if (!held) {
            bring_up_to_date(c, last);
            const Vehicle& v = sessions.vehicle(c);
            now = clamp_to_acceptance(setpoint[c], v.max_charge_grid_kw(), v.max_discharge_grid_kw());
        } else if (new_period) {
            // Held for the whole period: what the vehicle takes on average along its curve.
            bring_up_to_date(c, last);
            const Vehicle& v = sessions.vehicle(c);
            now = setpoint[c] >= 0.0 ? v.period_charge_grid_kw(setpoint[c], spec.control_period)
                                     : -v.period_discharge_grid_kw(-setpoint[c], spec.control_period);
        }
        kw[c] = now;
        if (now != before) connectors.flag_for_reschedule(c);
    }
    for (std::size_t b = 0; b < ess.size(); ++b) {
        const Ess& battery = ess[b].battery;
        const double before = power.ess[b].kw;
        power.ess[b].kw = clamp_to_acceptance(decision.ess_kw[b], battery.max_charge_grid_kw(),
                                              battery.max_discharge_grid_kw());
        if (power.ess[b].kw != before) ess[b].reschedule = true;
    }
}

void Simulator::Impl::record_and_reschedule(Time t) {
    record_connectors(t);
    for (std::size_t b = 0; b < ess.size(); ++b)
        if (ess[b].reschedule) reschedule_ess(b, t);
    if (period_start) schedule_held_back_changes();
    record_site(t);
}

void Simulator::Impl::record_connectors(Time t) {
    const double* powers = power.connector_kw.data();
    // Only a flagged connector can have something to record or reschedule; in index order, the
    // order of its samples and of the events it schedules.
    connectors.sort_flagged();
    for (const ConnectorIndex c : connectors.flagged()) {
        const bool reschedule = connectors.take_reschedule(c);
        const bool recheck = connectors.take_recheck(c);
        if (!(reschedule | recheck)) continue;
        const double kw = powers[c];
        const bool plugged = connectors.plugged(c);
        const PilotState state = connectors.faulted(c) ? PilotState::F
                                 : !plugged            ? PilotState::A
                                 : kw != 0.0           ? PilotState::C
                                                       : PilotState::B;
        const Vehicle* vehicle = plugged ? &sessions.vehicle(c) : nullptr;
        if (plugged) bring_up_to_date(c, t);  // at the power it held until now
        connectors.hold(c, t, plugged ? kw : 0.0, vehicle);
        if (connectors.sample(c, kw, state)) {
            const double soc = plugged ? vehicle->soc() : 0.0;
            sink.connector_sample(t, c, kw, soc, state);
            if (plugged) {
                sessions.battery(c).at(t, soc);  // its power changed: a point of its SoC trace
                sessions.view_moved(c);          // a long trace is aged as it goes: the SoH may move
            }
        }
        if (reschedule && plugged && kw != 0.0 && !spec.decision_period_mode) {
            const Duration dt = vehicle->time_to_next_change(kw);
            if (dt.ms() < (next_tick - t).ms())
                connectors.change_scheduled(c, queue.schedule(t + dt, kVehicleChange, c));
            else if (dt.ms() < (spec.end - t).ms())
                connectors.hold_back(c, t + dt);
        }
    }
    // A connector stays listed while apply_powers must recompute it (the engine cut it at a limit).
    connectors.unflag_settled();
}

void Simulator::Impl::reschedule_ess(std::size_t b, Time t) {
    EssUnit& unit = ess[b];
    unit.reschedule = false;
    fleet.ess_at(b, t, unit.battery.soc());
    sink.ess_sample(t, static_cast<std::uint32_t>(b), power.ess[b].kw, unit.battery.soc());
    unit.pending = kNoEvent;
    unit.due_at_tick = false;
    const double kw = power.ess[b].kw;
    if (kw == 0.0) return;
    const Duration dt = unit.battery.time_to_next_change(kw);
    if (dt.ms() < (next_tick - t).ms()) {
        unit.pending = queue.schedule(t + dt, kEssChange, static_cast<std::uint32_t>(b));
    } else if (dt.ms() < (spec.end - t).ms()) {
        unit.due_at_tick = true;
        unit.change_at = t + dt;
    }
}

void Simulator::Impl::record_site(Time t) {
    // The sum over every connector, in index order, is this sum: the others draw exactly 0.
    double ev_kw = 0.0;
    for (const ConnectorIndex c : connectors.drawing()) ev_kw += power.connector_kw[c];
    SiteSample s;
    s.grid_kw = flow.flows()[0];  // enforce_limits left the flows for these powers
    s.ev_kw = ev_kw;
    for (const PvPower& pv : power.pv) {
        s.pv_kw += pv.used_kw;
        s.pv_curtailed_kw += pv.available_kw - pv.used_kw;
    }
    double stored_kwh = 0.0, capacity_kwh = 0.0;
    for (std::size_t b = 0; b < ess.size(); ++b) {
        const Ess& battery = ess[b].battery;
        s.ess_kw += power.ess[b].kw;
        stored_kwh += battery.soc() * battery.spec().capacity_kwh;
        capacity_kwh += battery.spec().capacity_kwh;
    }
    s.ess_soc = capacity_kwh > 0.0 ? stored_kwh / capacity_kwh : 0.0;
    for (double kw : load_kw_by_source) s.load_kw += kw;
    recorder.record(t, flow.flows(), s);
    if (!feeder) return;
    feeder->update(t, flow.flows());
    schedule_tap_change();
}

void Simulator::Impl::schedule_tap_change() {
    const Time due = feeder->next_tap_change();
    if (due >= tap_change_at || due >= spec.end) return;
    tap_change_at = due;
    queue.schedule(due, kTapChange, 0);
}

}  // namespace evtwin
