#include "core/simulator_impl.hpp"

#include <algorithm>

namespace evtwin {

// Integrating the batteries, settling the powers under the limits, and recording what changed.

void Simulator::Impl::integrate_ess(Duration dt) {
    if (dt.ms() > 0 && ess && power.ess_kw != 0.0) ess->integrate(power.ess_kw, dt);
}

void Simulator::Impl::bring_up_to_date(ConnectorIndex c, Time t) {
    if (t <= integrated_to[c]) return;
    integrated_to[c] = t;
    const HeldPower& held = held_power[c];
    if (held.kw == 0.0 || !connectors[c].vehicle) return;
    if (connectors[c].vehicle->integrate_from(held.progress, held.kw, (t - held.since).hours_f())) {
        apply_due[c] = 1;  // what it takes changed
        flag_connector(c);
        mark_redecide(c);
    }
    session_view_stale[c] |= kViewMoved;
}

void Simulator::Impl::hold_power(ConnectorIndex c, Time t, double kw) {
    HeldPower& held = held_power[c];
    if (kw == held.kw) return;
    held.kw = kw;
    held.since = t;
    if (connectors[c].vehicle) held.progress = connectors[c].vehicle->progress();
}

void Simulator::Impl::settle(Time t) {
    const bool loads_moved = loads_changed;
    apply_powers();  // changes the powers of flagged connectors alone
    flow.enforce_limits(power, PowerChanges{flagged, loads_moved}, violations);
    for (const Violation& v : violations) {
        // The engine's override holds until the next decision.
        if (v.connector != kNone) {
            decision.connector_kw[v.connector] = power.connector_kw[v.connector];
            recheck[v.connector] = 1;
            apply_due[v.connector] = 1;
            flag_connector(v.connector);
        }
        if (v.kind == "node_limit_ess") decision.ess_kw = power.ess_kw;
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

void Simulator::Impl::schedule_held_back_changes() {
    // Rescheduling cleared the flag of every connector whose power changed at this instant. A change
    // was held back only when it lay at or after this tick, so it is never in the past. In index
    // order: the order of the events at one instant.
    std::sort(held_back.begin(), held_back.end());
    held_back.erase(std::unique(held_back.begin(), held_back.end()), held_back.end());
    std::size_t kept = 0;
    for (const ConnectorIndex i : held_back) {
        if (!due_at_tick[i]) continue;  // rescheduled since
        if (change_at[i] >= next_tick) {
            held_back[kept++] = i;
            continue;
        }
        due_at_tick[i] = 0;
        connectors[i].pending = queue.schedule(change_at[i], kVehicleChange, i);
    }
    held_back.resize(kept);
    if (ess_due_at_tick && ess_change_at < next_tick) {
        ess_due_at_tick = false;
        ess_pending = queue.schedule(ess_change_at, kEssChange, 0);
    }
}

void Simulator::Impl::place_loads(std::vector<double>& load_kw) const {
    std::fill(load_kw.begin(), load_kw.end(), 0.0);
    for (std::size_t i = 0; i < load_kw_by_source.size(); ++i)
        load_kw[spec.loads[i].node] += load_kw_by_source[i];
}

void Simulator::Impl::apply_powers() {
    if (loads_changed) {
        place_loads(power.load_kw);
        loads_changed = false;
    }
    for (PvPower& pv : power.pv) pv.used_kw = pv.available_kw;
    double* kw = power.connector_kw.data();
    double* setpoint = decision.connector_kw.data();
    ConnectorState* states = connectors.data();
    const char* fault = connector_faulted.data();
    const char* plugged = plugged_in.data();
    char* due = reschedule_due.data();
    const bool held = spec.decision_period_mode;  // locals: the stores below could alias them
    const bool new_period = period_start;
    const bool every = held && new_period;  // held powers are recomputed at each period's start
    char* recompute = apply_due.data();
    if (every)  // an empty connector holds 0 kW already
        for (const ConnectorIndex c : occupied) flag_connector(c);
    // By index: bringing a vehicle up to date flags it again (already listed), never another.
    for (std::size_t k = 0; k < flagged.size(); ++k) {
        const ConnectorIndex c = flagged[k];
        if (!(recompute[c] | every)) continue;  // it would compute the power it holds
        recompute[c] = 0;
        const double before = kw[c];
        double now = before;
        if (!plugged[c]) {
            now = 0.0;
        } else if (fault[c]) {
            now = 0.0;  // the fault cut it; a decision made since was checked in decide()
            setpoint[c] = 0.0;
        } else if (!held) {
            bring_up_to_date(c, last);
            const Vehicle& v = *states[c].vehicle;
            now = clamp_to_acceptance(setpoint[c], v.max_charge_grid_kw(), v.max_discharge_grid_kw());
        } else if (new_period) {
            // Held for the whole period: what the vehicle takes on average along its curve.
            bring_up_to_date(c, last);
            const Vehicle& v = *states[c].vehicle;
            now = setpoint[c] >= 0.0 ? v.period_charge_grid_kw(setpoint[c], spec.control_period)
                                     : -v.period_discharge_grid_kw(-setpoint[c], spec.control_period);
        }
        kw[c] = now;
        due[c] |= now != before ? 1 : 0;
    }
    if (ess) {
        const double before = power.ess_kw;
        power.ess_kw =
            clamp_to_acceptance(decision.ess_kw, ess->max_charge_grid_kw(), ess->max_discharge_grid_kw());
        if (power.ess_kw != before) ess_reschedule = true;
    }
}

void Simulator::Impl::record_and_reschedule(Time t) {
    record_connectors(t);
    if (ess && ess_reschedule) reschedule_ess(t);
    if (period_start) schedule_held_back_changes();
    record_site(t);
}

void Simulator::Impl::record_connectors(Time t) {
    const double* powers = power.connector_kw.data();
    ConnectorState* states = connectors.data();
    const char* fault = connector_faulted.data();
    const char* plugged = plugged_in.data();
    char* due = reschedule_due.data();
    double* last_kw = sampled_kw.data();
    std::uint8_t* last_state = sampled_state.data();
    char* again = recheck.data();
    constexpr auto kDrawing = static_cast<std::uint8_t>(PilotState::C);
    // Only a flagged connector can have something to record or reschedule; in index order, the
    // order of its samples and of the events it schedules. When many are flagged (every pilot of a
    // decision period), reading the flags off in order is cheaper than sorting the list.
    if (flagged.size() * 4 >= is_flagged.size()) {
        flagged.clear();
        for (std::size_t c = 0; c < is_flagged.size(); ++c)
            if (is_flagged[c]) flagged.push_back(static_cast<ConnectorIndex>(c));
    } else {
        std::sort(flagged.begin(), flagged.end());
    }
    for (std::size_t k = 0; k < flagged.size(); ++k) {
        const std::size_t i = flagged[k];
        if (!(due[i] | again[i])) continue;
        const double kw = powers[i];
        again[i] = 0;
        const PilotState state = fault[i]      ? PilotState::F
                                 : !plugged[i] ? PilotState::A
                                 : kw != 0.0   ? PilotState::C
                                               : PilotState::B;
        const auto c = static_cast<ConnectorIndex>(i);
        if (plugged[i]) bring_up_to_date(c, t);  // at the power it held until now
        hold_power(c, t, plugged[i] ? kw : 0.0);
        if (kw != last_kw[i] || static_cast<std::uint8_t>(state) != last_state[i]) {
            const double soc = plugged[i] ? states[i].vehicle->soc() : 0.0;
            sink.connector_sample(t, c, kw, soc, state);
            if (plugged[i]) {
                states[i].battery->at(t, soc);        // its power changed: a point of its SoC trace
                session_view_stale[i] |= kViewMoved;  // a long trace is aged as it goes: the SoH may move
            }
            // The connectors drawing power are those in state C (a faulted connector draws nothing).
            if ((state == PilotState::C) != (last_state[i] == kDrawing)) {
                const auto at = std::lower_bound(drawing.begin(), drawing.end(), c);
                if (state == PilotState::C)
                    drawing.insert(at, c);
                else
                    drawing.erase(at);
            }
            last_kw[i] = kw;
            last_state[i] = static_cast<std::uint8_t>(state);
        }
        if (due[i]) {
            ConnectorState& cs = states[i];
            due[i] = 0;
            cs.pending = kNoEvent;
            due_at_tick[i] = 0;
            if (plugged[i] && kw != 0.0 && !spec.decision_period_mode) {
                const Duration dt = cs.vehicle->time_to_next_change(kw);
                if (dt.ms() < (next_tick - t).ms()) {
                    cs.pending = queue.schedule(t + dt, kVehicleChange, c);
                } else if (dt.ms() < (spec.end - t).ms()) {
                    due_at_tick[i] = 1;
                    held_back.push_back(c);
                    change_at[i] = t + dt;
                }
            }
        }
    }
    // A connector stays listed while apply_powers must recompute it (the engine cut it at a limit).
    std::size_t kept = 0;
    for (const ConnectorIndex c : flagged) {
        if (apply_due[c])
            flagged[kept++] = c;
        else
            is_flagged[c] = 0;
    }
    flagged.resize(kept);
}

void Simulator::Impl::reschedule_ess(Time t) {
    ess_reschedule = false;
    fleet.ess_at(t, ess->soc());
    ess_pending = kNoEvent;
    ess_due_at_tick = false;
    if (power.ess_kw == 0.0) return;
    const Duration dt = ess->time_to_next_change(power.ess_kw);
    if (dt.ms() < (next_tick - t).ms()) {
        ess_pending = queue.schedule(t + dt, kEssChange, 0);
    } else if (dt.ms() < (spec.end - t).ms()) {
        ess_due_at_tick = true;
        ess_change_at = t + dt;
    }
}

void Simulator::Impl::record_site(Time t) {
    // The sum over every connector, in index order, is this sum: the others draw exactly 0.
    double ev_kw = 0.0;
    for (const ConnectorIndex c : drawing) ev_kw += power.connector_kw[c];
    SiteSample s;
    s.grid_kw = flow.flows()[0];  // enforce_limits left the flows for these powers
    s.ev_kw = ev_kw;
    for (const PvPower& pv : power.pv) {
        s.pv_kw += pv.used_kw;
        s.pv_curtailed_kw += pv.available_kw - pv.used_kw;
    }
    s.ess_kw = power.ess_kw;
    s.ess_soc = ess ? ess->soc() : 0.0;
    for (double kw : load_kw_by_source) s.load_kw += kw;
    recorder.record(t, flow.flows(), s);
}

}  // namespace evtwin
