#include "core/simulator.hpp"

#include "core/decision_check.hpp"
#include "core/event_queue.hpp"
#include "core/forecast_cache.hpp"
#include "model/ess.hpp"
#include "model/local_time.hpp"
#include "model/power_flow.hpp"
#include "model/scenario_script.hpp"
#include "model/site.hpp"
#include "model/vehicle.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <optional>

namespace evtwin {
namespace {

enum EventType : std::uint32_t {
    kArrival, kDeparture, kTick, kVehicleChange, kEssChange, kPvChange, kLoadChange,
    kTimer, kLimitRestore, kSpikeEnd,  // a script's at()/every() hook, the end of a demand response or price spike
    kEnd
};

// on() hooks that trigger each other (a fault hook that repairs, a repair hook that faults) would
// never let the clock move; past this many in one instant the run stops.
constexpr std::size_t kMaxChainedHooks = 10000;

constexpr std::uint64_t kNoEvent = ~0ull;

struct ConnectorState {
    std::optional<Vehicle> vehicle;
    std::size_t session = 0;  // index into spec.sessions while a vehicle is plugged
    std::uint64_t pending = kNoEvent;  // seq of the live vehicle-change event
    bool reschedule = false;
    double sampled_kw = NAN;  // last recorded values, to record on change only
    PilotState sampled_state = PilotState::A;
    bool ever_sampled = false;
};

double clamp_to_acceptance(double setpoint, double max_charge, double max_discharge) {
    return setpoint >= 0.0 ? std::min(setpoint, max_charge) : std::max(setpoint, -max_discharge);
}

}  // namespace

// The simulation, and the SiteControl a scenario's hooks change it through.
struct Simulator::Impl final : SiteControl {
    Impl(const ScenarioSpec& s, Strategy* st, RunSink& sk)
        : spec(s),
          strategy(st),
          sink(sk),
          site(s),
          flow(site, [this](ConnectorIndex c, double kw) { return round_down_setpoint(*charger_of(c), kw); }),
          forecasts(s),
          connectors(site.connectors().size()) {
        power.connector_kw.assign(connectors.size(), 0.0);
        power.load_kw.assign(site.nodes().size(), 0.0);
        for (const PvSpec& pv : spec.pv) power.pv.push_back(PvPower{pv.node, 0.0, 0.0});
        if (spec.ess) {
            ess.emplace(*spec.ess);
            power.ess_node = spec.ess->node;
        }
        decision.connector_kw.assign(connectors.size(), 0.0);
        previous = decision;
        limits.resize(connectors.size());
        for (std::size_t c = 0; c < connectors.size(); ++c) limits[c].charger = charger_of(static_cast<ConnectorIndex>(c));
        build_static_views();
        sampled_flow.assign(site.nodes().size(), NAN);
        load_kw_by_source.assign(spec.loads.size(), 0.0);
        charger_faulted.assign(spec.chargers.size(), false);
        limit_generation.assign(site.nodes().size(), 0);
    }

    const ChargerSpec* charger_of(ConnectorIndex c) const { return &spec.chargers[site.connectors()[c].charger_spec]; }

    // In decision-period mode arrivals and departures take effect at the next period boundary.
    Time effective(Time t) const {
        if (!spec.decision_period_mode || t <= spec.start) return t;
        const std::int64_t period = spec.control_period.ms();
        return spec.start + Duration(((t - spec.start).ms() + period - 1) / period * period);
    }

    void build_static_views() {
        for (std::size_t n = 0; n < site.nodes().size(); ++n) {
            const SiteNode& node = site.nodes()[n];
            node_views.push_back(NodeView{node.parent, node.kind, node.import_limit_kw, node.export_limit_kw, 0.0});
        }
        for (std::size_t c = 0; c < connectors.size(); ++c) {
            const SiteConnector& sc = site.connectors()[c];
            const ChargerSpec& ch = *charger_of(static_cast<ConnectorIndex>(c));
            connector_views.push_back(ConnectorView{sc.node, sc.charger, ch.max_kw, ch.min_kw,
                                                    std::span<const double>(ch.setpoints_kw), ch.v2g_capable,
                                                    PilotState::A, kNone});
        }
        for (const SitePhaseConstraint& k : site.phase_constraints())
            phase_views.push_back(PhaseConstraintView{std::span<const ConnectorTerm>(k.terms), k.limit_a});
        if (spec.ess) {
            const EssSpec& e = *spec.ess;
            ess_view = EssView{true, e.node, e.capacity_kwh, 0.0, e.soc_min, e.soc_max, 0.0, 0.0,
                               e.charge_efficiency, e.discharge_efficiency};
        }
    }

    bool faulted(std::size_t c) const { return charger_faulted[site.connectors()[c].charger_spec]; }

    // --- stepping: start, then advance to each decision point and apply a decision, until the end ---

    void start(const RunInfo& info, const SimulationOptions& opts) {
        if (started) throw std::logic_error("Simulator: a simulator runs once; make a new one for another run");
        started = true;
        options = opts;
        if (spec.script) script = spec.script->start_run();  // a fresh Lua state for every run
        if (spec.price_events) spec.price_events->clear();  // spikes of an earlier run of this spec
        sink.begin_run(info, spec);
        sink.event(spec.start, EventKind::run_start, kNone, 0, spec.name);
        queue.schedule(spec.start, kTick, 0);
        for (std::uint32_t i = 0; i < spec.pv.size(); ++i) queue.schedule(spec.start, kPvChange, i);
        for (std::uint32_t i = 0; i < spec.loads.size(); ++i) queue.schedule(spec.start, kLoadChange, i);
        schedule_next_arrival();
        if (script) {
            for (std::uint32_t i = 0; i < script->timers().size(); ++i) {
                const Time first = script->timers()[i].first;
                if (first >= spec.start && first < spec.end) queue.schedule(first, kTimer, i);
            }
        }
        queue.schedule(spec.end, kEnd, 0);
        last = spec.start;
    }

    // Runs instants until one needs a decision (its observation is then built and `true` returned)
    // or the run ends (recorded, `false`).
    bool advance() {
        if (!started) throw std::logic_error("Simulator: advance() before start()");
        if (awaiting) throw std::logic_error("Simulator: advance() while a decision is awaited; apply() one first");
        while (!stopped) {
            const Time t = queue.next_time();
            integrate(t - last);
            last = t;
            bool ended = false;
            while (!queue.empty() && queue.next_time() == t) {
                const Event e = queue.pop();
                ++summary.events;
                ended |= handle(e);
                fire_hooks();
            }
            // Arrivals last, so that a vehicle leaving at this instant frees its connector first.
            for (std::uint32_t index : arrivals_now) {
                arrive(index);
                fire_hooks();
            }
            arrivals_now.clear();
            if (ended) {
                if (options.interrupt && options.interrupt->load(std::memory_order_relaxed)) summary.interrupted = true;
                stopped = true;
                break;
            }
            violations.clear();
            if (decide_needed) {
                build_observation(t);
                next_decision.connector_kw.assign(connectors.size(), 0.0);  // a member, so its buffer is reused
                next_decision.ess_kw = 0.0;
                awaiting = true;
                return true;
            }
            settle(t);
        }
        end_run();
        return false;
    }

    // Checks the awaited decision (in next_decision), then settles the instant.
    void apply_pending(double decision_seconds) {
        if (!awaiting) throw std::logic_error("Simulator: apply() without a decision point (call advance() first)");
        awaiting = false;
        const Time t = last;
        sink.decision_time(t, decision_seconds);
        ++summary.decisions;
        Decision& out = next_decision;
        check_decision(out, limits, spec.ess, violations);
        for (std::size_t c = 0; c < connectors.size(); ++c) {
            if (!faulted(c) || out.connector_kw[c] == 0.0) continue;
            violations.push_back(Violation{"charger_fault", site.connectors()[c].node, static_cast<ConnectorIndex>(c),
                                           out.connector_kw[c], 0.0});
            out.connector_kw[c] = 0.0;
        }
        std::swap(decision, out);
        previous = decision;
        decide_needed = false;
        settle(t);
    }

    void apply(const Decision& d, double decision_seconds) {
        if (awaiting && d.connector_kw.size() != connectors.size())
            throw std::invalid_argument("Simulator::apply: the decision has " + std::to_string(d.connector_kw.size()) +
                                        " connector setpoints, the site has " + std::to_string(connectors.size()));
        if (awaiting && &d != &next_decision) {
            next_decision.connector_kw.assign(d.connector_kw.begin(), d.connector_kw.end());
            next_decision.ess_kw = d.ess_kw;
        }
        apply_pending(decision_seconds);
    }

    // Ends the run now if it has not ended (recorded as interrupted), and returns its summary.
    RunSummary finish() {
        if (!started) throw std::logic_error("Simulator: finish() before start()");
        if (!finished) {
            summary.interrupted = true;
            awaiting = false;
            end_run();
        }
        return summary;
    }

    RunSummary run(const RunInfo& info, const SimulationOptions& opts) {
        if (!strategy) throw std::logic_error("Simulator::run: this simulator was made without a strategy");
        start(info, opts);
        while (advance()) {
            const auto started_at = std::chrono::steady_clock::now();
            strategy->decide(observation, next_decision);
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started_at;
            apply_pending(took.count());
        }
        return summary;
    }

    void end_run() {
        if (finished) return;
        finished = true;
        stopped = true;
        record_end(last);
    }

    // --- events -------------------------------------------------------------------------------

    bool handle(const Event& e) {
        switch (e.kind) {
            case kArrival:
                arrivals_now.push_back(e.target);
                ++next_arrival;
                schedule_next_arrival();
                break;
            case kDeparture: depart(e.target); break;
            case kTick:
                decide_needed = true;
                period_start = true;
                if (e.time + spec.control_period < spec.end) queue.schedule(e.time + spec.control_period, kTick, 0);
                break;
            case kVehicleChange:
                if (connectors[e.target].pending == e.seq) {
                    connectors[e.target].pending = kNoEvent;
                    connectors[e.target].reschedule = true;
                }
                break;
            case kEssChange:
                if (ess_pending == e.seq) {
                    ess_pending = kNoEvent;
                    ess_reschedule = true;
                }
                break;
            case kPvChange: {
                const PvSpec& pv = spec.pv[e.target];
                power.pv[e.target].available_kw = pv.kwp * pv.profile.value_at(e.time);
                const Time next = pv.profile.next_change_after(e.time);
                if (next < spec.end) queue.schedule(next, kPvChange, e.target);
                break;
            }
            case kLoadChange: {
                const LoadSpec& load = spec.loads[e.target];
                load_kw_by_source[e.target] = load.kw.value_at(e.time);
                const Time next = load.kw.next_change_after(e.time);
                if (next < spec.end) queue.schedule(next, kLoadChange, e.target);
                break;
            }
            case kTimer: {
                const HookTimer& timer = script->timers()[e.target];
                if (timer.period.ms() > 0 && e.time + timer.period < spec.end) queue.schedule(e.time + timer.period, kTimer, e.target);
                script->on_timer(e.target, *this);
                break;
            }
            case kLimitRestore: {
                const LimitRestore& r = limit_restores[e.target];
                if (limit_generation[r.node] == r.generation) restore_limits_now(r.node, "demand response ended");
                break;
            }
            case kSpikeEnd: wake(); break;
            case kEnd: return true;
        }
        return false;
    }

    void schedule_next_arrival() {
        while (next_arrival < spec.sessions.size() && spec.sessions[next_arrival].arrival < spec.start) {
            ++next_arrival;  // before the run: not part of it
        }
        if (next_arrival < spec.sessions.size() && effective(spec.sessions[next_arrival].arrival) < spec.end)
            queue.schedule(effective(spec.sessions[next_arrival].arrival), kArrival, static_cast<std::uint32_t>(next_arrival));
    }

    std::optional<ConnectorIndex> free_connector_for(const SessionSpec& s) const {
        if (!s.station.empty()) {
            for (std::size_t c = 0; c < connectors.size(); ++c)
                if (!connectors[c].vehicle && !faulted(c) && charger_of(static_cast<ConnectorIndex>(c))->name == s.station)
                    return static_cast<ConnectorIndex>(c);
        }
        for (std::size_t c = 0; c < connectors.size(); ++c)
            if (!connectors[c].vehicle && !faulted(c)) return static_cast<ConnectorIndex>(c);
        return std::nullopt;
    }

    void arrive(std::uint32_t index) {
        const SessionSpec& s = spec.sessions[index];
        const auto c = free_connector_for(s);
        if (!c) {
            ++summary.sessions_rejected;
            sink.event(queue.now(), EventKind::rejected, kNone, s.id, "no free connector");
            SessionRecord r = base_record(s);
            r.connector = kNone;
            sink.session_end(r);
            notify(HookEvent{HookEventKind::rejected, queue.now(), s.id, "", kNone, r.requested_kwh, 0.0});
            return;
        }
        ConnectorState& cs = connectors[*c];
        const ChargerSpec& ch = *charger_of(*c);
        cs.vehicle.emplace(s, ch.efficiency, ch.dc);
        cs.session = index;
        cs.reschedule = true;
        limits[*c].occupied = true;
        limits[*c].vehicle_v2g = cs.vehicle->v2g_allowed();
        sink.event(queue.now(), EventKind::arrival, *c, s.id, s.vehicle.model);
        const Time leaves = std::max(effective(s.departure), queue.now());
        if (leaves < spec.end) queue.schedule(leaves, kDeparture, *c);
        decide_needed = true;
        notify(HookEvent{HookEventKind::arrival, queue.now(), s.id, ch.name, *c, cs.vehicle->requested_kwh(), 0.0});
    }

    void depart(std::uint32_t c) {
        ConnectorState& cs = connectors[c];
        const SessionSpec& s = spec.sessions[cs.session];
        sink.event(queue.now(), EventKind::departure, c, s.id, "");
        const SessionRecord record = record_of(cs, c, true);
        sink.session_end(record);
        notify(HookEvent{HookEventKind::departure, queue.now(), s.id, charger_of(c)->name, c, record.requested_kwh,
                         record.delivered_kwh});
        ++summary.sessions_served;
        cs.vehicle.reset();
        cs.pending = kNoEvent;
        decision.connector_kw[c] = 0.0;
        limits[c].occupied = false;
        limits[c].vehicle_v2g = false;
        decide_needed = true;
    }

    SessionRecord base_record(const SessionSpec& s) const {
        SessionRecord r;
        r.id = s.id;
        r.vehicle_model = s.vehicle.model;
        r.arrival = s.arrival;
        r.departure = s.departure;
        r.declared_departure = s.declared_departure;
        r.capacity_kwh = s.vehicle.capacity_kwh;
        r.initial_soc = s.initial_soc;
        r.final_soc = s.initial_soc;
        const Vehicle probe(s, 1.0, false);  // resolves a target SoC into requested energy
        r.requested_kwh = probe.requested_kwh();
        return r;
    }

    SessionRecord record_of(const ConnectorState& cs, ConnectorIndex c, bool departed) const {
        SessionRecord r = base_record(spec.sessions[cs.session]);
        const Vehicle& v = *cs.vehicle;
        r.connector = c;
        r.final_soc = v.soc();
        r.requested_kwh = v.requested_kwh();
        r.delivered_kwh = v.delivered_kwh();
        r.charged_kwh = v.charged_kwh();
        r.discharged_kwh = v.discharged_kwh();
        r.grid_kwh = v.grid_kwh();
        r.departed = departed;
        return r;
    }

    // --- physics ------------------------------------------------------------------------------

    void integrate(Duration dt) {
        if (dt.ms() <= 0) return;
        for (std::size_t c = 0; c < connectors.size(); ++c)
            if (connectors[c].vehicle && power.connector_kw[c] != 0.0) connectors[c].vehicle->integrate(power.connector_kw[c], dt);
        if (ess && power.ess_kw != 0.0) ess->integrate(power.ess_kw, dt);
    }

    // End of an instant: decide if asked, then settle the powers and record what changed.
    // Decisions were made before (apply_pending); `violations` holds what their check clipped.
    void settle(Time t) {
        apply_powers();
        flow.enforce_limits(power, violations);
        for (const Violation& v : violations) {
            // The engine's override holds until the next decision.
            if (v.connector != kNone) decision.connector_kw[v.connector] = power.connector_kw[v.connector];
            if (v.kind == "node_limit_ess") decision.ess_kw = power.ess_kw;
            sink.violation(t, v);
        }
        summary.violations += violations.size();
        record_and_reschedule(t);
        period_start = false;
        if (options.interrupt && options.interrupt->load(std::memory_order_relaxed)) {
            summary.interrupted = true;
            stopped = true;
        }
        if (options.progress && (++instants & 0xfff) == 0) options.progress(t);
    }

    // The site's loads, now, at their nodes.
    void place_loads(std::vector<double>& load_kw) const {
        std::fill(load_kw.begin(), load_kw.end(), 0.0);
        for (std::size_t i = 0; i < load_kw_by_source.size(); ++i) load_kw[spec.loads[i].node] += load_kw_by_source[i];
    }

    void apply_powers() {
        place_loads(power.load_kw);
        for (PvPower& pv : power.pv) pv.used_kw = pv.available_kw;
        for (std::size_t c = 0; c < connectors.size(); ++c) {
            const ConnectorState& cs = connectors[c];
            const double before = power.connector_kw[c];
            if (!cs.vehicle) {
                power.connector_kw[c] = 0.0;
            } else if (faulted(c)) {
                power.connector_kw[c] = 0.0;  // the fault cut it; a decision made since was checked in decide()
                decision.connector_kw[c] = 0.0;
            } else if (!spec.decision_period_mode) {
                power.connector_kw[c] = clamp_to_acceptance(decision.connector_kw[c], cs.vehicle->max_charge_grid_kw(),
                                                            cs.vehicle->max_discharge_grid_kw());
            } else if (period_start) {
                // Held for the whole period: what the vehicle takes on average along its curve.
                const double setpoint = decision.connector_kw[c];
                power.connector_kw[c] = setpoint >= 0.0 ? cs.vehicle->period_charge_grid_kw(setpoint, spec.control_period)
                                                        : -cs.vehicle->period_discharge_grid_kw(-setpoint, spec.control_period);
            }
            if (power.connector_kw[c] != before) connectors[c].reschedule = true;
        }
        if (ess) {
            const double before = power.ess_kw;
            power.ess_kw = clamp_to_acceptance(decision.ess_kw, ess->max_charge_grid_kw(), ess->max_discharge_grid_kw());
            if (power.ess_kw != before) ess_reschedule = true;
        }
    }

    void record_and_reschedule(Time t) {
        for (std::size_t i = 0; i < connectors.size(); ++i) {
            ConnectorState& cs = connectors[i];
            const auto c = static_cast<ConnectorIndex>(i);
            const double kw = power.connector_kw[i];
            const PilotState state = faulted(i)    ? PilotState::F
                                     : !cs.vehicle ? PilotState::A
                                     : kw != 0.0   ? PilotState::C
                                                   : PilotState::B;
            if (!cs.ever_sampled || kw != cs.sampled_kw || state != cs.sampled_state) {
                sink.connector_sample(t, c, kw, cs.vehicle ? cs.vehicle->soc() : 0.0, state);
                cs.sampled_kw = kw;
                cs.sampled_state = state;
                cs.ever_sampled = true;
            }
            if (cs.reschedule) {
                cs.reschedule = false;
                cs.pending = kNoEvent;
                if (cs.vehicle && kw != 0.0 && !spec.decision_period_mode) {
                    const Duration dt = cs.vehicle->time_to_next_change(kw);
                    if (dt.ms() < (spec.end - t).ms()) cs.pending = queue.schedule(t + dt, kVehicleChange, c);
                }
            }
        }
        if (ess && ess_reschedule) {
            ess_reschedule = false;
            ess_pending = kNoEvent;
            if (power.ess_kw != 0.0) {
                const Duration dt = ess->time_to_next_change(power.ess_kw);
                if (dt.ms() < (spec.end - t).ms()) ess_pending = queue.schedule(t + dt, kEssChange, 0);
            }
        }

        const std::vector<double>& flows = flow.flows();  // enforce_limits left them for these powers
        for (std::size_t n = 0; n < flows.size(); ++n) {
            const NodeKind kind = site.nodes()[n].kind;
            if (kind == NodeKind::charger || kind == NodeKind::connector) continue;
            if (!(flows[n] == sampled_flow[n])) {
                sink.node_sample(t, static_cast<NodeIndex>(n), flows[n]);
                sampled_flow[n] = flows[n];
            }
        }
        SiteSample s;
        s.grid_kw = flows[0];
        for (double kw : power.connector_kw) s.ev_kw += kw;
        for (const PvPower& pv : power.pv) {
            s.pv_kw += pv.used_kw;
            s.pv_curtailed_kw += pv.available_kw - pv.used_kw;
        }
        s.ess_kw = power.ess_kw;
        s.ess_soc = ess ? ess->soc() : 0.0;
        for (double kw : load_kw_by_source) s.load_kw += kw;
        if (!site_sampled || s.grid_kw != last_site.grid_kw || s.ev_kw != last_site.ev_kw || s.pv_kw != last_site.pv_kw ||
            s.pv_curtailed_kw != last_site.pv_curtailed_kw || s.ess_kw != last_site.ess_kw || s.load_kw != last_site.load_kw) {
            sink.site_sample(t, s);
            last_site = s;
            site_sampled = true;
        }
    }

    // --- decisions ----------------------------------------------------------------------------

    void build_observation(Time t) {
        // Fixed flows: PV and base load only, as if no EV or ESS drew power.
        SitePower& fixed = fixed_power;  // copy-assigned into a member: no allocation per decision
        fixed = power;
        std::fill(fixed.connector_kw.begin(), fixed.connector_kw.end(), 0.0);
        fixed.ess_kw = 0.0;
        place_loads(fixed.load_kw);
        for (PvPower& pv : fixed.pv) pv.used_kw = pv.available_kw;
        const std::vector<double>& flows = flow.compute(fixed);
        for (std::size_t n = 0; n < node_views.size(); ++n) node_views[n].fixed_flow_kw = flows[n];

        session_views.clear();
        for (std::size_t i = 0; i < connectors.size(); ++i) {
            const ConnectorState& cs = connectors[i];
            ConnectorView& view = connector_views[i];
            view.session = kNone;
            view.state = faulted(i)    ? PilotState::F
                         : !cs.vehicle ? PilotState::A
                         : power.connector_kw[i] != 0.0 ? PilotState::C
                                                        : PilotState::B;
            if (!cs.vehicle) continue;
            const Vehicle& v = *cs.vehicle;
            const SessionSpec& s = spec.sessions[cs.session];
            const ChargerSpec& ch = *charger_of(static_cast<ConnectorIndex>(i));
            SessionView sv;
            sv.id = s.id;
            sv.connector = static_cast<ConnectorIndex>(i);
            sv.arrival = s.arrival;
            sv.declared_departure = s.declared_departure;
            sv.requested_kwh = v.requested_kwh();
            sv.delivered_kwh = v.delivered_kwh();
            sv.remaining_kwh = v.remaining_kwh();
            sv.soc = v.soc();
            sv.capacity_kwh = v.capacity_kwh();
            sv.min_soc = v.min_soc();
            if (spec.decision_period_mode) {
                sv.max_charge_kw = v.period_charge_grid_kw(ch.max_kw, spec.control_period);
                sv.max_discharge_kw = ch.v2g_capable ? v.period_discharge_grid_kw(ch.max_kw, spec.control_period) : 0.0;
            } else {
                sv.max_charge_kw = std::min(ch.max_kw, v.max_charge_grid_kw());
                sv.max_discharge_kw = ch.v2g_capable ? std::min(ch.max_kw, v.max_discharge_grid_kw()) : 0.0;
            }
            if (faulted(i)) sv.max_charge_kw = sv.max_discharge_kw = 0.0;  // plugged into a faulted charger
            sv.charge_efficiency = ch.efficiency;
            sv.v2g_allowed = v.v2g_allowed() && ch.v2g_capable;
            view.session = static_cast<std::uint32_t>(session_views.size());
            session_views.push_back(sv);
        }
        if (ess) {
            ess_view.soc = ess->soc();
            ess_view.max_charge_kw = ess->max_charge_grid_kw();
            ess_view.max_discharge_kw = ess->max_discharge_grid_kw();
        }
        forecasts.fill(t, forecast);
        observation = Observation{t,         spec.control_period, node_views, connector_views, session_views,
                                  ess_view, &forecast,           &previous,  phase_views};
    }

    // --- scripted changes (SiteControl, called by the scenario's hooks) ----------------------------

    // A change wakes the strategy at once, except in decision-period mode (decisions at period
    // boundaries only).
    void wake() {
        if (!spec.decision_period_mode) decide_needed = true;
    }

    void notify(HookEvent event) {
        if (script && script->wants(event.kind)) pending_hooks.push_back(std::move(event));
    }

    // Runs the on() hooks of what the engine (or a hook) just did; a hook's own changes are fired
    // after it returns, never inside it.
    void fire_hooks() {
        if (pending_hooks.empty()) return;
        for (std::size_t i = 0; i < pending_hooks.size(); ++i) {
            if (i >= kMaxChainedHooks) {
                throw ScriptError(spec.source_file + ": at " + format_utc(queue.now()) + " the on() hooks triggered each other more than " +
                                  std::to_string(kMaxChainedHooks) +
                                  " times in one instant (a fault hook that repairs and a repair hook that faults?)");
            }
            const HookEvent event = pending_hooks[i];  // a copy: the hook may add to the list
            script->on_event(event, *this);
        }
        pending_hooks.clear();
    }

    std::size_t charger_named(const std::string& name, const char* what) const {
        for (std::size_t i = 0; i < spec.chargers.size(); ++i)
            if (spec.chargers[i].name == name) return i;
        std::string known;
        for (const ChargerSpec& ch : spec.chargers) known += (known.empty() ? "" : ", ") + ch.name;
        throw std::runtime_error(std::string(what) + ": no charger '" + name + "'; the chargers are: " +
                                 (known.empty() ? "none" : known));
    }

    NodeIndex node_named(const std::string& name, const char* what) const {
        for (std::size_t n = 0; n < site.nodes().size(); ++n)
            if (site.nodes()[n].kind != NodeKind::connector && site.nodes()[n].name == name) return static_cast<NodeIndex>(n);
        std::string known;
        for (const SiteNode& node : site.nodes())
            if (node.kind != NodeKind::connector && node.kind != NodeKind::charger) known += (known.empty() ? "" : ", ") + node.name;
        throw std::runtime_error(std::string(what) + ": no node '" + name + "'; the nodes are: " + known +
                                 " (and the chargers)");
    }

    static void require_positive(Duration d, const char* what) {
        if (d.ms() <= 0) throw std::runtime_error(std::string(what) + ": 'duration' must be longer than zero");
    }

    static std::string kw_text(double kw) {
        if (std::isinf(kw)) return "unlimited";
        char text[32];
        std::snprintf(text, sizeof text, "%g kW", kw);
        return text;
    }

    void set_limits_now(NodeIndex n, NodeLimits l, const std::string& why) {
        flow.set_limits(n, l);
        node_views[n].import_limit_kw = l.import_kw;
        node_views[n].export_limit_kw = l.export_kw;
        ++limit_generation[n];  // a pending demand-response restore no longer applies
        sink.event(queue.now(), EventKind::limit_change, kNone, 0,
                   site.nodes()[n].name + " import " + kw_text(l.import_kw) + " export " + kw_text(l.export_kw) +
                       (why.empty() ? "" : " (" + why + ")"));
        wake();
    }

    void restore_limits_now(NodeIndex n, const std::string& why) {
        const SiteNode& node = site.nodes()[n];
        set_limits_now(n, NodeLimits{node.import_limit_kw, node.export_limit_kw}, why);
    }

    Time now() const override { return queue.now(); }

    void fault(const std::string& name) override {
        const std::size_t i = charger_named(name, "site.fault");
        if (charger_faulted[i]) return;
        charger_faulted[i] = true;
        sink.event(queue.now(), EventKind::fault, kNone, 0, name);
        wake();
        notify(HookEvent{HookEventKind::fault, queue.now(), std::nullopt, name, kNone, 0.0, 0.0});
    }

    void repair(const std::string& name) override {
        const std::size_t i = charger_named(name, "site.repair");
        if (!charger_faulted[i]) return;
        charger_faulted[i] = false;
        sink.event(queue.now(), EventKind::repair, kNone, 0, name);
        wake();
        notify(HookEvent{HookEventKind::repair, queue.now(), std::nullopt, name, kNone, 0.0, 0.0});
    }

    void set_limit(const std::string& node, double import_kw, std::optional<double> export_kw) override {
        const NodeIndex n = node_named(node, "site.set_limit");
        if (!(import_kw >= 0.0)) throw std::runtime_error("site.set_limit: the import limit must be >= 0 kW");
        if (export_kw && !(*export_kw >= 0.0)) throw std::runtime_error("site.set_limit: the export limit must be >= 0 kW");
        set_limits_now(n, NodeLimits{import_kw, export_kw.value_or(flow.limits(n).export_kw)}, "set_limit");
    }

    void restore_limit(const std::string& node) override {
        restore_limits_now(node_named(node, "site.restore_limit"), "restored");
    }

    void demand_response(const std::string& node, double limit_kw, Duration duration) override {
        const NodeIndex n = node_named(node, "site.demand_response");
        if (!(limit_kw >= 0.0)) throw std::runtime_error("site.demand_response: 'limit_kw' must be >= 0");
        require_positive(duration, "site.demand_response");
        const Time until = queue.now() + duration;
        set_limits_now(n, NodeLimits{limit_kw, flow.limits(n).export_kw}, "demand response until " + format_utc(until));
        if (until < spec.end) {
            limit_restores.push_back(LimitRestore{n, limit_generation[n]});
            queue.schedule(until, kLimitRestore, static_cast<std::uint32_t>(limit_restores.size() - 1));
        }
    }

    void price_spike(double factor, std::optional<double> price, Duration duration) override {
        if (!spec.price_events) throw std::logic_error("site.price_spike: the scenario's tariff takes no price events");
        if (!(factor >= 0.0) || std::isinf(factor)) throw std::runtime_error("site.price_spike: 'factor' must be a finite number >= 0");
        if (price && !std::isfinite(*price)) throw std::runtime_error("site.price_spike: 'price' must be a finite number");
        require_positive(duration, "site.price_spike");
        const PriceSpike spike{queue.now(), queue.now() + duration, factor, price};
        spec.price_events->add(spike);
        forecasts.invalidate();  // forecasts see the spike from now on, not before
        char what[64];
        if (price) std::snprintf(what, sizeof what, "import price %g", *price);
        else std::snprintf(what, sizeof what, "import price x%g", factor);
        sink.event(queue.now(), EventKind::price_spike, kNone, 0,
                   std::string(what) + " from " + format_utc(spike.start) + " until " + format_utc(spike.end));
        wake();
        if (spike.end < spec.end) queue.schedule(spike.end, kSpikeEnd, 0);
    }

    void log(const std::string& text) override { sink.event(queue.now(), EventKind::hook_log, kNone, 0, text); }

    void record_end(Time last_instant) {
        for (std::size_t i = 0; i < connectors.size(); ++i) {
            ConnectorState& cs = connectors[i];
            if (cs.vehicle) sink.session_end(record_of(cs, static_cast<ConnectorIndex>(i), false));
        }
        sink.event(last_instant, summary.interrupted ? EventKind::interrupted : EventKind::run_end, kNone, 0, "");
        sink.end_run(last_instant, summary.interrupted);
    }

    const ScenarioSpec& spec;
    Strategy* strategy;  // null when stepped from outside (reinforcement learning)
    SimulationOptions options;
    bool started = false;
    bool awaiting = false;  // advance() stopped at a decision point; apply() is next
    bool stopped = false;   // the end was reached or the run was interrupted
    bool finished = false;  // the sink has been told the run ended
    Time last;              // the current instant
    std::uint64_t instants = 0;
    RunSink& sink;
    Site site;
    PowerFlow flow;
    ForecastCache forecasts;
    EventQueue queue;
    std::vector<ConnectorState> connectors;
    std::vector<ConnectorLimits> limits;
    std::optional<Ess> ess;
    std::uint64_t ess_pending = kNoEvent;
    bool ess_reschedule = false;
    SitePower power;
    std::vector<double> load_kw_by_source;
    Decision decision;
    Decision next_decision;
    Decision previous;
    SitePower fixed_power;
    bool decide_needed = false;
    bool period_start = false;  // a control tick fired at this instant
    std::size_t next_arrival = 0;
    std::vector<std::uint32_t> arrivals_now;
    std::vector<Violation> violations;
    RunSummary summary;

    struct LimitRestore {
        NodeIndex node;
        std::uint64_t generation;  // applies only if the node's limits were not changed since
    };
    std::unique_ptr<ScriptRun> script;
    std::vector<bool> charger_faulted;  // per charger
    std::vector<std::uint64_t> limit_generation;  // per node, bumped by every change of its limits
    std::vector<LimitRestore> limit_restores;
    std::vector<HookEvent> pending_hooks;

    std::vector<NodeView> node_views;
    std::vector<ConnectorView> connector_views;
    std::vector<SessionView> session_views;
    std::vector<PhaseConstraintView> phase_views;  // spans into site's terms
    EssView ess_view;
    Forecast forecast;
    Observation observation;

    std::vector<double> sampled_flow;
    SiteSample last_site;
    bool site_sampled = false;
};

Simulator::Simulator(const ScenarioSpec& spec, Strategy& strategy, RunSink& sink)
    : impl_(std::make_unique<Impl>(spec, &strategy, sink)) {}

Simulator::Simulator(const ScenarioSpec& spec, RunSink& sink) : impl_(std::make_unique<Impl>(spec, nullptr, sink)) {}

Simulator::~Simulator() = default;

RunSummary Simulator::run(const RunInfo& info, const SimulationOptions& options) { return impl_->run(info, options); }

void Simulator::start(const RunInfo& info, const SimulationOptions& options) { impl_->start(info, options); }

bool Simulator::advance() { return impl_->advance(); }

const Observation& Simulator::observation() const { return impl_->observation; }

Decision& Simulator::decision() { return impl_->next_decision; }

void Simulator::apply(const Decision& decision, double decision_seconds) { impl_->apply(decision, decision_seconds); }

RunSummary Simulator::finish() { return impl_->finish(); }

const RunSummary& Simulator::summary() const { return impl_->summary; }

Time Simulator::now() const { return impl_->last; }

std::span<const double> Simulator::connector_kw() const { return impl_->power.connector_kw; }

double Simulator::ess_kw() const { return impl_->power.ess_kw; }

}  // namespace evtwin
