#include "core/simulator_impl.hpp"

namespace evtwin {

// Stepping through a run, and the events that move it along.

void Simulator::Impl::start(const RunInfo& info, const SimulationOptions& opts) {
    if (started) throw std::logic_error("Simulator: a simulator runs once; make a new one for another run");
    started = true;
    options = opts;
    if (spec.script) script = spec.script->start_run();  // a fresh Lua state for every run
    if (spec.price_events) spec.price_events->clear();   // spikes of an earlier run of this spec
    sink.begin_run(info, spec);
    sink.event(spec.start, EventKind::run_start, kNone, 0, spec.name);
    if (!forecasters.perfect())
        sink.event(spec.start, EventKind::strategy, kNone, 0, "forecast: " + forecasters.describe());
    if (strategy) grant_foresight();
    start_batteries();
    build_upcoming();
    queue.schedule(spec.start, kTick, 0);
    next_tick = spec.start;
    for (std::uint32_t i = 0; i < spec.pv.size(); ++i) queue.schedule(spec.start, kPvChange, i);
    for (std::uint32_t i = 0; i < spec.loads.size(); ++i) queue.schedule(spec.start, kLoadChange, i);
    if (feeder) {
        for (std::uint32_t i = 0; i < spec.feeder->load_scales.size(); ++i)
            queue.schedule(spec.start, kFeederLoad, i);
        for (std::uint32_t i = 0; i < spec.feeder->flexibility.size(); ++i) {
            const FlexibilityRequest& r = spec.feeder->flexibility[i];
            if (r.to > spec.start && r.from < spec.end)
                queue.schedule(std::max(r.from, spec.start), kFlexibility, i);
        }
    }
    schedule_next_arrival();
    start_reservations();
    if (script) {
        for (std::uint32_t i = 0; i < script->timers().size(); ++i) {
            const Time first = script->timers()[i].first;
            if (first >= spec.start && first < spec.end) queue.schedule(first, kTimer, i);
        }
    }
    queue.schedule(spec.end, kEnd, 0);
    last = spec.start;
}

bool Simulator::Impl::advance() {
    if (!started) throw std::logic_error("Simulator: advance() before start()");
    if (awaiting)
        throw std::logic_error("Simulator: advance() while a decision is awaited; apply() one first");
    while (!stopped) {
        drop_superseded();
        const Time t = queue.next_time();
        integrate_ess(t - last);
        demand.accrue(last, t, recorder.last().grid_kw);
        last = t;
        bool ended = false;
        // t is the first event's time: pop it, then the others at t.
        for (bool more = !queue.empty(); more; more = !queue.empty() && queue.next_time() == t) {
            const Event e = queue.pop();
            ++summary.events;
            ended |= handle(e);
            fire_hooks();
        }
        // Arrivals last, so that a vehicle leaving at this instant frees its connector first.
        for (const std::uint32_t index : sessions.arriving_now()) {
            arrive(index);
            fire_hooks();
        }
        sessions.clear_arriving();
        if (ended) {
            if (options.interrupt && options.interrupt->load(std::memory_order_relaxed))
                summary.interrupted = true;
            stopped = true;
            break;
        }
        violations.clear();
        if (decide_needed && subtree_decisions && decide_subtrees(t)) {
            decide_needed = false;
            settle(t, true);
            continue;
        }
        if (decide_needed) {
            build_observation(t);
            next_decision.connector_kw.assign(connectors.size(), 0.0);  // a member, so its buffer is reused
            next_decision.ess_kw.assign(ess.size(), 0.0);
            next_decision.expected_cost = NAN;
            next_decision.events.clear();
            next_decision.pv_limit_kw = kUnlimited;
            awaiting = true;
            return true;
        }
        settle(t);
    }
    end_run();
    return false;
}

void Simulator::Impl::count_decision(Time t, double seconds) {
    sink.decision_time(t, seconds);
    ++summary.decisions;
}

void Simulator::Impl::apply_pending(double decision_seconds) {
    if (!awaiting)
        throw std::logic_error("Simulator: apply() without a decision point (call advance() first)");
    awaiting = false;
    const Time t = last;
    count_decision(t, decision_seconds);
    Decision& out = next_decision;
    record_strategy_events(t, out);
    check_decision(out, limits, spec.ess, violations);
    // Sizes and data pointers in locals: the stores below could alias the vectors.
    const std::size_t n = connectors.size();
    double* setpoint = out.connector_kw.data();
    for (std::size_t c = 0; c < n; ++c) {
        if (!faulted(static_cast<ConnectorIndex>(c)) || setpoint[c] == 0.0) continue;
        violations.push_back(Violation{"charger_fault", site.connectors()[c].node,
                                       static_cast<ConnectorIndex>(c), setpoint[c], 0.0});
        setpoint[c] = 0.0;
    }
    if (spec.acn_compatible) flow.check_phases(out.connector_kw, violations);  // on the pilots, as ACN-Sim
    for (std::size_t c = 0; c < n; ++c) note_setpoint(static_cast<ConnectorIndex>(c), setpoint[c]);
    std::swap(decision, out);
    previous = decision;
    if (subtree_decisions) reset_subtree_state();
    decide_needed = false;
    settle(t, true);
}

void Simulator::Impl::apply(const Decision& d, double decision_seconds) {
    if (awaiting && d.connector_kw.size() != connectors.size())
        throw std::invalid_argument(
            "Simulator::apply: the decision has " + std::to_string(d.connector_kw.size()) +
            " connector setpoints, the site has " + std::to_string(connectors.size()));
    if (awaiting && &d != &next_decision) {
        next_decision.connector_kw.assign(d.connector_kw.begin(), d.connector_kw.end());
        next_decision.ess_kw.assign(d.ess_kw.begin(), d.ess_kw.end());
        next_decision.events = d.events;
        next_decision.pv_limit_kw = d.pv_limit_kw;
    }
    apply_pending(decision_seconds);
}

RunSummary Simulator::Impl::finish() {
    if (!started) throw std::logic_error("Simulator: finish() before start()");
    if (!finished) {
        summary.interrupted = true;
        awaiting = false;
        end_run();
    }
    return summary;
}

RunSummary Simulator::Impl::run(const RunInfo& info, const SimulationOptions& opts) {
    if (!strategy) throw std::logic_error("Simulator::run: this simulator was made without a strategy");
    start(info, opts);
    enable_subtree_decisions();
    while (advance()) {
        const auto started_at = std::chrono::steady_clock::now();
        strategy->decide(views.observation(), next_decision);
        apply_pending(std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count());
    }
    return summary;
}

void Simulator::Impl::end_run() {
    if (finished) return;
    finished = true;
    stopped = true;
    record_end(last);
}

bool Simulator::Impl::superseded(const Event& e) const {
    return (e.kind == kVehicleChange && connectors.pending_change(e.target) != e.seq) ||
           (e.kind == kEssChange && ess[e.target].pending != e.seq);
}

void Simulator::Impl::drop_superseded() {
    // A decision that changes powers reschedules every vehicle it touches, so without this most
    // instants between decisions would be the old schedule's, integrating and settling for nothing.
    while (!queue.empty() && superseded(queue.peek())) {
        queue.pop();
        ++summary.events;
    }
}

bool Simulator::Impl::handle(const Event& e) {
    switch (e.kind) {
        case kArrival:
            sessions.arriving(e.target);
            schedule_next_arrival();
            break;
        case kDeparture:
            depart(e.target);
            break;
        case kTick:
            decide_needed = true;
            full_decision_due = true;
            period_start = true;
            next_tick = Time::max();
            if (e.time + spec.control_period < spec.end) {
                next_tick = e.time + spec.control_period;
                queue.schedule(next_tick, kTick, 0);
            }
            break;
        case kVehicleChange:
            if (connectors.pending_change(e.target) == e.seq) {
                connectors.change_fired(e.target);
                bring_up_to_date(e.target, e.time);
            }
            break;
        case kEssChange:
            if (ess[e.target].pending == e.seq) {
                ess[e.target].pending = kNoEvent;
                ess[e.target].reschedule = true;
            }
            break;
        case kPvChange: {
            const PvSpec& pv = spec.pv[e.target];
            power.pv[e.target].available_kw = pv.kwp * pv.profile.value_at(e.time);
            fixed_flows_changed = true;
            const Time next = pv.profile.next_change_after(e.time);
            if (next < spec.end) queue.schedule(next, kPvChange, e.target);
            break;
        }
        case kLoadChange: {
            const LoadSpec& load = spec.loads[e.target];
            load_kw_by_source[e.target] = load.kw.value_at(e.time);
            loads_changed = fixed_flows_changed = true;
            const Time next = load.kw.next_change_after(e.time);
            if (next < spec.end) queue.schedule(next, kLoadChange, e.target);
            break;
        }
        case kTimer: {
            const HookTimer& timer = script->timers()[e.target];
            if (timer.period.ms() > 0 && e.time + timer.period < spec.end)
                queue.schedule(e.time + timer.period, kTimer, e.target);
            script->on_timer(e.target, *this);
            break;
        }
        case kLimitRestore: {
            const LimitRestore& r = limit_restores[e.target];
            if (limit_generation[r.node] == r.generation) restore_limits_now(r.node, r.ended);
            break;
        }
        case kSpikeEnd:
            wake();
            break;
        case kFeederLoad: {
            const StepSeries& scale = spec.feeder->load_scales[e.target];
            feeder->set_load_scale(e.target, scale.value_at(e.time));
            const Time next = scale.next_change_after(e.time);
            if (next < spec.end) queue.schedule(next, kFeederLoad, e.target);
            break;
        }
        case kFlexibility:
            start_flexibility(e.target);
            break;
        case kTapChange:
            if (e.time != tap_change_at) break;  // superseded by an earlier one
            tap_change_at = Time::max();
            feeder->change_taps(e.time);
            schedule_tap_change();
            break;
        case kReservationStart:
            start_reservation(e.target);
            break;
        case kReservationEnd:
            end_reservation(e.target);
            break;
        case kEnd:
            return true;
    }
    return false;
}

void Simulator::Impl::schedule_next_arrival() {
    const std::uint32_t next = sessions.next_arrival();
    if (next < spec.sessions.size() && effective(spec.sessions[next].arrival) < spec.end)
        queue.schedule(effective(spec.sessions[next].arrival), kArrival, next);
}

std::optional<ConnectorIndex> Simulator::Impl::free_connector_for(const SessionSpec& s) const {
    const auto free_for = [&](ConnectorIndex c) {
        return !connectors.plugged(c) && !faulted(c) && open_to(c, s) &&
               (s.site_node == kNone || site.below(site.connectors()[c].node, s.site_node));
    };
    if (!s.station.empty()) {
        for (ConnectorIndex c = 0; c < connectors.size(); ++c)
            if (free_for(c) && charger_of(c)->name == s.station) return c;
    }
    for (ConnectorIndex c = 0; c < connectors.size(); ++c)
        if (free_for(c)) return c;
    return std::nullopt;
}

void Simulator::Impl::arrive(std::uint32_t index) {
    const SessionSpec& s = spec.sessions[index];
    std::optional<ConnectorIndex> c = reservations.size() > 0 ? claim_reservation(s) : std::nullopt;
    if (!c) c = free_connector_for(s);
    if (!c) {
        ++summary.sessions_rejected;
        sink.event(queue.now(), EventKind::rejected, kNone, s.id, "no free connector");
        SessionRecord r = base_record(s);
        r.connector = kNone;
        sink.session_end(r);
        notify(HookEvent{HookEventKind::rejected, queue.now(), s.id, "", kNone, r.requested_kwh, 0.0});
        return;
    }
    const ChargerSpec& ch = *charger_of(*c);
    const Vehicle& vehicle = plug_vehicle(*c, index, ch);
    connectors.plug(*c, queue.now(), vehicle);
    mark_redecide(*c);
    limits[*c].occupied = true;
    limits[*c].vehicle_v2g = vehicle.v2g_allowed();
    sink.event(queue.now(), EventKind::arrival, *c, s.id, s.vehicle.model);
    const Time leaves = std::max(effective(s.departure), queue.now());
    if (leaves < spec.end) queue.schedule(leaves, kDeparture, *c);
    decide_needed = true;
    notify(HookEvent{HookEventKind::arrival, queue.now(), s.id, ch.name, *c, vehicle.requested_kwh(), 0.0});
}

void Simulator::Impl::depart(std::uint32_t c) {
    const SessionSpec& s = sessions.session(c);
    bring_up_to_date(c, queue.now());
    sink.event(queue.now(), EventKind::departure, c, s.id, "");
    SessionRecord record = record_of(c, true);
    unplug_battery(c, record);
    sink.session_end(record);
    notify(HookEvent{HookEventKind::departure, queue.now(), s.id, charger_of(c)->name, c,
                     record.requested_kwh, record.delivered_kwh});
    ++summary.sessions_served;
    sessions.unplug(c);
    connectors.unplug(c);
    mark_redecide(c);
    decision.connector_kw[c] = 0.0;
    limits[c].occupied = false;
    limits[c].vehicle_v2g = false;
    decide_needed = true;
}

SessionRecord Simulator::Impl::base_record(const SessionSpec& s) const {
    SessionRecord r;
    r.id = s.id;
    r.vehicle_model = s.vehicle.model;
    r.vehicle_id = s.vehicle_id;
    r.arrival = s.arrival;
    r.departure = s.departure;
    r.declared_departure = s.declared_departure;
    r.capacity_kwh = s.vehicle.capacity_kwh;
    r.initial_soc = s.initial_soc;
    r.final_soc = s.initial_soc;
    r.requested_kwh = requested_inlet_kwh(s);
    if (s.needs.has_goal(s.arrival)) r.goal_kwh = s.needs.goal_kwh;
    return r;
}

SessionRecord Simulator::Impl::record_of(ConnectorIndex c, bool departed) const {
    SessionRecord r = base_record(sessions.session(c));
    const Vehicle& v = sessions.vehicle(c);
    r.connector = c;
    r.capacity_kwh = v.capacity_kwh();
    r.final_soc = v.soc();
    r.delivered_kwh = v.delivered_kwh();
    r.charged_kwh = v.charged_kwh();
    r.discharged_kwh = v.discharged_kwh();
    r.grid_kwh = v.grid_kwh();
    r.departed = departed;
    return r;
}

Simulator::Simulator(const ScenarioSpec& spec, Strategy& strategy, RunSink& sink)
    : impl_(std::make_unique<Impl>(spec, &strategy, sink)) {}

Simulator::Simulator(const ScenarioSpec& spec, RunSink& sink)
    : impl_(std::make_unique<Impl>(spec, nullptr, sink)) {}

Simulator::~Simulator() = default;

RunSummary Simulator::run(const RunInfo& info, const SimulationOptions& options) {
    return impl_->run(info, options);
}

void Simulator::start(const RunInfo& info, const SimulationOptions& options) {
    impl_->start(info, options);
}

bool Simulator::advance() {
    return impl_->advance();
}

const Observation& Simulator::observation() const {
    return impl_->views.observation();
}

Decision& Simulator::decision() {
    return impl_->next_decision;
}

void Simulator::apply(const Decision& decision, double decision_seconds) {
    impl_->apply(decision, decision_seconds);
}

RunSummary Simulator::finish() {
    return impl_->finish();
}

const RunSummary& Simulator::summary() const {
    return impl_->summary;
}

Time Simulator::now() const {
    return impl_->last;
}

std::span<const double> Simulator::connector_kw() const {
    return impl_->power.connector_kw;
}

double Simulator::ess_kw(std::size_t battery) const {
    return impl_->power.ess.at(battery).kw;
}

}  // namespace evtwin
