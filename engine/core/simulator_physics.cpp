#include "core/simulator_impl.hpp"

#include <cstring>

namespace evtwin {

// Integrating the batteries, settling the powers under the limits, and recording what changed.

namespace {

// Per-connector flags are scanned a block at a time: most connectors have none set at an instant.
constexpr std::size_t kFlagBlock = 8;

// Whether flags a[i..i+8) and b[i..i+8) are all 0 (false near the end, where the block is partial).
bool none_flagged_from(const char* a, const char* b, std::size_t i, std::size_t n) {
    if (i + kFlagBlock > n) return false;
    std::uint64_t x = 0, y = 0;
    std::memcpy(&x, a + i, kFlagBlock);
    std::memcpy(&y, b + i, kFlagBlock);
    return (x | y) == 0;
}

}  // namespace

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
    apply_powers();
    flow.enforce_limits(power, violations);
    for (const Violation& v : violations) {
        // The engine's override holds until the next decision.
        if (v.connector != kNone) {
            decision.connector_kw[v.connector] = power.connector_kw[v.connector];
            recheck[v.connector] = 1;
            apply_due[v.connector] = 1;
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
    // was held back only when it lay at or after this tick, so it is never in the past.
    for (std::size_t i = 0; i < connectors.size(); ++i) {
        if (!due_at_tick[i] || change_at[i] >= next_tick) continue;
        due_at_tick[i] = 0;
        connectors[i].pending = queue.schedule(change_at[i], kVehicleChange, static_cast<ConnectorIndex>(i));
    }
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
    const std::size_t n = connectors.size();
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
    for (std::size_t c = 0; c < n; ++c) {
        if (!every && none_flagged_from(recompute, recompute, c, n)) {
            c += kFlagBlock - 1;
            continue;
        }
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
            bring_up_to_date(static_cast<ConnectorIndex>(c), last);
            const Vehicle& v = *states[c].vehicle;
            now = clamp_to_acceptance(setpoint[c], v.max_charge_grid_kw(), v.max_discharge_grid_kw());
        } else if (new_period) {
            // Held for the whole period: what the vehicle takes on average along its curve.
            bring_up_to_date(static_cast<ConnectorIndex>(c), last);
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
    const std::size_t n = connectors.size();
    const double* powers = power.connector_kw.data();
    ConnectorState* states = connectors.data();
    const char* fault = connector_faulted.data();
    const char* plugged = plugged_in.data();
    char* due = reschedule_due.data();
    double* last_kw = sampled_kw.data();
    std::uint8_t* last_state = sampled_state.data();
    char* again = recheck.data();
    constexpr auto kDrawing = static_cast<std::uint8_t>(PilotState::C);
    bool drawing_changed = !drawing_known;
    for (std::size_t i = 0; i < n; ++i) {
        // Neither flag: the power is what apply_powers found last time and the state is unchanged,
        // so there is nothing to record or reschedule.
        if (none_flagged_from(due, again, i, n)) {
            i += kFlagBlock - 1;
            continue;
        }
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
            drawing_changed |= (state == PilotState::C) != (last_state[i] == kDrawing);
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
                    change_at[i] = t + dt;
                }
            }
        }
    }
    // The connectors drawing power are those in state C (a faulted connector draws nothing): the
    // list changes only when one enters or leaves C.
    if (drawing_changed) {
        std::size_t count = 0;
        for (std::size_t i = 0; i < n; ++i) {
            drawing[count] = static_cast<std::uint32_t>(i);  // kept only when it draws: no branch on that
            count += last_state[i] == kDrawing ? 1 : 0;
        }
        drawing_count = count;
    }
    drawing_known = true;
    // The sum over every connector, in index order, is this sum: the others draw exactly 0.
    double ev_kw = 0.0;
    for (std::size_t k = 0; k < drawing_count; ++k) ev_kw += powers[drawing[k]];
    if (ess && ess_reschedule) {
        ess_reschedule = false;
        ess_battery->at(t, ess->soc());
        ess_pending = kNoEvent;
        ess_due_at_tick = false;
        if (power.ess_kw != 0.0) {
            const Duration dt = ess->time_to_next_change(power.ess_kw);
            if (dt.ms() < (next_tick - t).ms()) {
                ess_pending = queue.schedule(t + dt, kEssChange, 0);
            } else if (dt.ms() < (spec.end - t).ms()) {
                ess_due_at_tick = true;
                ess_change_at = t + dt;
            }
        }
    }
    if (period_start) schedule_held_back_changes();

    const std::vector<double>& flows = flow.flows();  // enforce_limits left them for these powers
    for (NodeIndex n : recorded_nodes) {
        if (!(flows[n] == sampled_flow[n])) {
            sink.node_sample(t, n, flows[n]);
            sampled_flow[n] = flows[n];
        }
    }
    SiteSample s;
    s.grid_kw = flows[0];
    s.ev_kw = ev_kw;
    for (const PvPower& pv : power.pv) {
        s.pv_kw += pv.used_kw;
        s.pv_curtailed_kw += pv.available_kw - pv.used_kw;
    }
    s.ess_kw = power.ess_kw;
    s.ess_soc = ess ? ess->soc() : 0.0;
    for (double kw : load_kw_by_source) s.load_kw += kw;
    if (!site_sampled || s.grid_kw != last_site.grid_kw || s.ev_kw != last_site.ev_kw ||
        s.pv_kw != last_site.pv_kw || s.pv_curtailed_kw != last_site.pv_curtailed_kw ||
        s.ess_kw != last_site.ess_kw || s.load_kw != last_site.load_kw) {
        sink.site_sample(t, s);
        last_site = s;
        site_sampled = true;
    }
}

}  // namespace evtwin
