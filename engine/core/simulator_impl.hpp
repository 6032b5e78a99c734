#pragma once
// The simulator's state and its member functions, shared by the files that define them:
// simulator.cpp (stepping and events), simulator_physics.cpp (integrating and settling powers),
// simulator_observation.cpp (what a strategy sees), simulator_hooks.cpp (changes made by scripts).
// Private to engine/core: include only from those files.

#include "core/simulator.hpp"

#include "core/battery_fleet.hpp"
#include "core/decision_check.hpp"
#include "core/event_queue.hpp"
#include "core/forecast_cache.hpp"
#include "core/observation_builder.hpp"
#include "core/session_view.hpp"
#include "core/site_recorder.hpp"
#include "core/subtrees.hpp"
#include "forecast/site_forecasters.hpp"
#include "model/battery_life.hpp"
#include "model/battery_wear.hpp"
#include "model/demand_meter.hpp"
#include "model/ess.hpp"
#include "model/local_time.hpp"
#include "model/power_flow.hpp"
#include "model/scenario_script.hpp"
#include "model/site.hpp"
#include "model/vehicle.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <optional>
#include <stdexcept>
#include <unordered_map>

namespace evtwin {

// The simulation, and the SiteControl a scenario's hooks change it through.
struct Simulator::Impl final : SiteControl {
    enum EventType : std::uint32_t {
        kArrival,
        kDeparture,
        kTick,
        kVehicleChange,
        kEssChange,
        kPvChange,
        kLoadChange,
        kTimer,         // a script's at()/every() hook
        kLimitRestore,  // the end of a demand response
        kSpikeEnd,      // the end of a price spike
        kEnd
    };

    // on() hooks that trigger each other (a fault hook that repairs, a repair hook that faults) would
    // never let the clock move; past this many in one instant the run stops.
    static constexpr std::size_t kMaxChainedHooks = 10000;

    static constexpr std::uint64_t kNoEvent = ~0ull;

    struct ConnectorState {
        std::optional<Vehicle> vehicle;
        std::size_t session = 0;                 // index into spec.sessions while a vehicle is plugged
        std::uint64_t pending = kNoEvent;        // seq of the live vehicle-change event
        BatteryLife* battery = nullptr;          // the plugged vehicle's: in `fleet`, or own_battery
        std::optional<BatteryLife> own_battery;  // of a vehicle without an id
        BatteryWear wear;                        // its wear prices, from its state at arrival
    };
    static constexpr std::uint8_t kNeverSampled = 0xff;  // in sampled_state: differs from every PilotState

    static double clamp_to_acceptance(double setpoint, double max_charge, double max_discharge) {
        return setpoint >= 0.0 ? std::min(setpoint, max_charge) : std::max(setpoint, -max_discharge);
    }

    Impl(const ScenarioSpec& s, Strategy* st, RunSink& sk)
        : spec(s),
          strategy(st),
          sink(sk),
          site(s),
          flow(site, [this](ConnectorIndex c, double kw) { return round_down_setpoint(*charger_of(c), kw); }),
          forecasts(s),
          forecasters(s),
          demand(*s.tariff),
          views(s, site),
          recorder(site, sk),
          connectors(site.connectors().size()),
          fleet(s.battery) {
        power.connector_kw.assign(connectors.size(), 0.0);
        power.load_kw.assign(site.nodes().size(), 0.0);
        flow.enforce_phases(!spec.acn_compatible);  // ACN-Sim checks its pilots and applies them
        for (const PvSpec& pv : spec.pv) power.pv.push_back(PvPower{pv.node, 0.0, 0.0});
        if (spec.ess) {
            EssSpec usable = *spec.ess;  // its capacity at its state of health, for the whole run
            usable.capacity_kwh *= usable.soh;
            ess.emplace(usable);
            power.ess_node = spec.ess->node;
        }
        decision.connector_kw.assign(connectors.size(), 0.0);
        previous = decision;
        limits.resize(connectors.size());
        for (std::size_t c = 0; c < connectors.size(); ++c)
            limits[c].charger = charger_of(static_cast<ConnectorIndex>(c));
        build_static_views();
        load_kw_by_source.assign(spec.loads.size(), 0.0);
        charger_faulted.assign(spec.chargers.size(), false);
        connector_faulted.assign(connectors.size(), 0);
        plugged_in.assign(connectors.size(), 0);
        reschedule_due.assign(connectors.size(), 0);
        due_at_tick.assign(connectors.size(), 0);
        change_at.assign(connectors.size(), Time::max());
        sampled_kw.assign(connectors.size(), NAN);
        sampled_state.assign(connectors.size(), kNeverSampled);
        recheck.assign(connectors.size(), 1);
        apply_due.assign(connectors.size(), 1);
        is_flagged.assign(connectors.size(), 1);
        for (std::size_t c = 0; c < connectors.size(); ++c) flagged.push_back(static_cast<ConnectorIndex>(c));
        integrated_to.assign(connectors.size(), s.start);
        held_power.assign(connectors.size(), HeldPower{0.0, s.start, {}});
        limit_generation.assign(site.nodes().size(), 0);
    }

    const ChargerSpec* charger_of(ConnectorIndex c) const {
        return &spec.chargers[site.connectors()[c].charger_spec];
    }

    RunMode mode() const {
        return spec.acn_compatible         ? RunMode::acnsim
               : spec.decision_period_mode ? RunMode::decision_period
                                           : RunMode::event;
    }
    // When an arrival or departure takes effect in the run's mode (evtwin/observation.hpp).
    Time effective(Time t) const { return takes_effect(mode(), spec.start, spec.control_period, t); }

    // The per-connector view state, once the builder has the site's views.
    void build_static_views();

    bool faulted(std::size_t c) const { return connector_faulted[c] != 0; }
    // Sets a charger's fault flag and its connectors' copies.
    void set_charger_faulted(std::size_t charger, bool on);

    // --- stepping: start, then advance to each decision point and apply a decision, until the end ---

    void start(const RunInfo& info, const SimulationOptions& opts);

    // Runs instants until one needs a decision (its observation is then built and `true` returned)
    // or the run ends (recorded, `false`).
    bool advance();

    // Checks the awaited decision (in next_decision), then settles the instant.
    void apply_pending(double decision_seconds);
    // A decision made at t that took the strategy `seconds`: recorded and summed.
    void count_decision(Time t, double seconds);

    void apply(const Decision& d, double decision_seconds);

    // Ends the run now if it has not ended (recorded as interrupted), and returns its summary.
    RunSummary finish();

    RunSummary run(const RunInfo& info, const SimulationOptions& opts);

    void end_run();

    // --- events -------------------------------------------------------------------------------

    bool handle(const Event& e);

    // A vehicle's or the ESS's change event whose owner has rescheduled since: handle() would ignore it.
    bool superseded(const Event& e) const;

    // Pops the superseded events at the head of the queue, so that no instant is run for them alone.
    void drop_superseded();

    void schedule_next_arrival();

    std::optional<ConnectorIndex> free_connector_for(const SessionSpec& s) const;

    void arrive(std::uint32_t index);

    void depart(std::uint32_t c);

    SessionRecord base_record(const SessionSpec& s) const;

    SessionRecord record_of(const ConnectorState& cs, ConnectorIndex c, bool departed) const;

    // --- batteries (simulator_batteries.cpp) --------------------------------------------------

    // The arriving vehicle's battery, aged through its time away and plugged in at connector c.
    BatteryLife& plug_battery(ConnectorIndex c, const SessionSpec& s, bool dc);
    // Ages connector c's battery until now and adds the session's fade to its record.
    void unplug_battery(ConnectorIndex c, SessionRecord& r);
    void start_batteries();
    // At the end of the run (vehicles already unplugged): ages the vehicles away and the ESS until
    // `end` and reports every battery that persists.
    void finish_batteries(Time end);

    // --- physics ------------------------------------------------------------------------------

    void integrate_ess(Duration dt);
    // A vehicle is integrated only when read or when its power changes: brings connector c's
    // vehicle to its state at t, integrated from the instant its power last changed (held_power).
    void bring_up_to_date(ConnectorIndex c, Time t);
    // Connector c holds `kw` from t on (its vehicle brought up to date until t).
    void hold_power(ConnectorIndex c, Time t, double kw);
    // Lists connector c among those settling visits: to be set with any of apply_due,
    // reschedule_due or recheck.
    void flag_connector(ConnectorIndex c) {
        if (is_flagged[c]) return;
        is_flagged[c] = 1;
        flagged.push_back(c);
    }
    // Connector c is about to hold setpoint `kw`: its power is recomputed unless it is the very
    // setpoint it holds (then it keeps the power apply_powers gave it).
    void note_setpoint(ConnectorIndex c, double kw) {
        if (std::bit_cast<std::uint64_t>(kw) == std::bit_cast<std::uint64_t>(decision.connector_kw[c]))
            return;
        apply_due[c] = 1;
        flag_connector(c);
    }

    // End of an instant: decide if asked, then settle the powers and record what changed.
    // Decisions were made before (apply_pending); `violations` holds what their check clipped.
    void settle(Time t);

    // The site's loads, now, at their nodes.
    void place_loads(std::vector<double>& load_kw) const;

    void apply_powers();

    // End of settle: records what changed and schedules the batteries' next changes.
    void record_and_reschedule(Time t);
    // The flagged connectors' samples, the points of their SoC traces and their next change events.
    void record_connectors(Time t);
    void reschedule_ess(Time t);
    // The changed node flows and the site's sample.
    void record_site(Time t);

    // At a control tick, after record_and_reschedule: the change events held back for the tick
    // (due_at_tick) whose power did not change, scheduled if they now fall before the next tick.
    void schedule_held_back_changes();

    // --- decisions ----------------------------------------------------------------------------

    void build_observation(Time t);
    // The views of the connectors whose plug or fault changed (views_changed), brought up to date.
    void refresh_changed_views();
    // Connector i's state in its view set, and its vehicle's session view brought up to date.
    const SessionView& current_session_view(ConnectorIndex i);
    PluggedVehicle plugged(ConnectorIndex i) const;  // the vehicle plugged into connector i

    // The strategy's foresight: a longer forecast and the sessions to come (upcoming_all).
    void grant_foresight();
    void build_upcoming();

    void record_strategy_events(Time t, Decision& d);

    // --- decisions of subtrees (simulator_subtree.cpp) ------------------------------------------

    // Whether this run asks its strategy for decisions of subtrees (DecisionScope::subtree): set by
    // run() when the strategy's scope allows it, in event mode, without an ESS, phase constraints or
    // foresight.
    void enable_subtree_decisions();
    // Decides the subtrees where vehicles came, went or changed what they take (redecide), and
    // applies the decisions; false when only a decision of the whole site will do.
    bool decide_subtrees(Time t);
    // A connector whose vehicle came, went or changed what it takes since the last decision.
    void mark_redecide(ConnectorIndex c) {
        if (!subtree_decisions || redecide_flag[c]) return;
        redecide_flag[c] = 1;
        redecide.push_back(c);
    }
    // After a decision of the whole site: the grants below each node, from `previous`.
    void reset_subtree_state();
    // Connector c's grant goes from old_kw to kw: the sums of grants below every node above it.
    void change_grants_below(ConnectorIndex c, double old_kw, double kw);
    // Whether no grant below node n could be limited by it, with the grants below it those of
    // `previous`, more_kw more of charging and less_kw more of discharging.
    bool slack(NodeIndex n, double more_kw, double less_kw) const;
    // The top of the subtree to decide for connector c: the highest node above it that is not
    // slack, at least its charger node.
    NodeIndex subtree_top(ConnectorIndex c) const;
    // Drops from `tops` the duplicates and the tops inside another's subtree.
    void keep_outermost_tops();
    struct SubtreeDecision {
        NodeIndex top = kNone;
        Decision decision;                  // indexed as the subtree's connectors
        std::vector<Violation> violations;  // what the engine's check clipped, site indices
        double seconds = 0.0;
    };
    // Asks the strategy for the decision of the subtree under part.top and checks it; false when
    // the strategy's answer is not one of a subtree (an ESS setpoint, or the wrong size).
    bool decide_subtree(Time t, SubtreeDecision& part);
    // Adds to up_delta and down_delta, at every node above the part's top, how its decision changes
    // the grants below that node.
    void add_changes_above(const SubtreeDecision& part);
    // The highest node above `top` that the changes leave not slack, or kNone.
    NodeIndex limiting_node_above(NodeIndex top) const;
    void clear_changes_above();

    // --- scripted changes (SiteControl, called by the scenario's hooks) ----------------------------

    // A change wakes the strategy at once, except in decision-period mode (decisions at period
    // boundaries only).
    void wake();

    void notify(HookEvent event);

    // Runs the on() hooks of what the engine (or a hook) just did; a hook's own changes are fired
    // after it returns, never inside it.
    void fire_hooks();

    std::size_t charger_named(const std::string& name, const char* what) const;

    NodeIndex node_named(const std::string& name, const char* what) const;

    static void require_positive(Duration d, const char* what);

    static std::string kw_text(double kw);

    void set_limits_now(NodeIndex n, NodeLimits l, const std::string& why);

    void restore_limits_now(NodeIndex n, const std::string& why);

    Time now() const override { return queue.now(); }

    void fault(const std::string& name) override;

    void repair(const std::string& name) override;

    void set_limit(const std::string& node, double import_kw, std::optional<double> export_kw) override;

    void restore_limit(const std::string& node) override;

    void demand_response(const std::string& node, double limit_kw, Duration duration) override;

    void price_spike(double factor, std::optional<double> price, Duration duration) override;

    void log(const std::string& text) override {
        sink.event(queue.now(), EventKind::hook_log, kNone, 0, text);
    }

    void record_end(Time last_instant);

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
    SiteForecasters forecasters;
    DemandMeter demand;
    ObservationBuilder views;  // what the strategy sees, built from the state below
    SiteRecorder recorder;     // the site's and nodes' rows
    EventQueue queue;
    std::vector<ConnectorState> connectors;
    // Per connector, what every instant reads, in arrays of their own (a ConnectorState, with its
    // Vehicle, is large): a vehicle plugged in, its vehicle-change event to reschedule, the values
    // last recorded (to record on change only).
    std::vector<char> plugged_in;
    std::vector<char> reschedule_due;
    // A vehicle whose next change (at change_at) lies at or after the next control tick gets no
    // event yet: a decision at the tick usually changes its power, which would supersede the event,
    // yet it would cost a place in the queue. If the power holds, the tick schedules it.
    std::vector<char> due_at_tick;
    std::vector<ConnectorIndex> held_back;  // the connectors flagged due_at_tick, in no order, maybe twice
    std::vector<Time> change_at;
    Time next_tick = Time::max();
    std::vector<double> sampled_kw;
    std::vector<std::uint8_t> sampled_state;  // a PilotState, or kNeverSampled
    // Whether a connector's recorded values may be stale for a reason apply_powers does not flag in
    // reschedule_due: never recorded, its vehicle left, its charger's fault changed, or the engine
    // cut its power at a limit. record_and_reschedule looks only at connectors flagged either way.
    std::vector<char> recheck;
    // Whether apply_powers must recompute a connector's power: its setpoint, vehicle (or what the
    // vehicle takes), plug or fault changed, or the engine cut it at a limit last time. Otherwise
    // the power it holds is what apply_powers would compute again.
    std::vector<char> apply_due;
    // The connectors with any of those flags set (is_flagged), in no order: what settling visits.
    std::vector<ConnectorIndex> flagged;
    std::vector<char> is_flagged;
    std::vector<ConnectorLimits> limits;
    std::optional<Ess> ess;
    BatteryFleet fleet;
    std::uint64_t ess_pending = kNoEvent;
    bool ess_reschedule = false;
    bool ess_due_at_tick = false;
    Time ess_change_at = Time::max();
    SitePower power;
    std::vector<double> load_kw_by_source;
    bool loads_changed = true;        // load_kw_by_source changed since power.load_kw was placed
    bool fixed_flows_changed = true;  // a load or PV changed since build_observation's fixed flows
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
    std::vector<bool> charger_faulted;    // per charger
    std::vector<char> connector_faulted;  // per connector: its charger's flag, read at every instant
    // The connectors drawing power (a vehicle, non-zero power), ascending, as the last settle left
    // them: what the site's EV power sums, without scanning every connector.
    std::vector<ConnectorIndex> drawing;
    struct HeldPower {
        double kw = 0.0;               // the connector's power
        Time since;                    // from this instant on
        Vehicle::Progress progress{};  // its vehicle's at that instant
    };
    std::vector<HeldPower> held_power;
    std::vector<Time> integrated_to;  // per connector: its vehicle's state is that of this instant
    std::vector<std::uint64_t> limit_generation;  // per node, bumped by every change of its limits
    std::vector<LimitRestore> limit_restores;
    std::vector<HookEvent> pending_hooks;

    // What an observation walks instead of every connector: the connectors with a vehicle, in index
    // order, and those whose plug or fault changed since the last observation.
    std::vector<ConnectorIndex> occupied;
    std::vector<ConnectorIndex> views_changed;
    // Per connector, the session view its vehicle had at the last observation, and what changed
    // since: its vehicle's state moved (integrated at non-zero power, or its battery aged: the view
    // is updated), or it was plugged or its charger's fault changed (the view is made anew).
    static constexpr char kViewMoved = 1, kViewRemake = 2;
    std::vector<SessionView> session_view_of;
    std::vector<char> session_view_stale;  // kViewMoved | kViewRemake, or 0
    Forecast forecast;
    Foresight foresight;
    // A strategy of subtree scope promises to read no forecast, price or demand charge
    // (Strategy::scope): its observation's forecast and demand are left empty, and not computed.
    bool site_scope = true;
    std::vector<UpcomingSession> upcoming_all;  // one per spec.sessions entry: the run's vehicles to come
    std::vector<UpcomingSession> expected_upcoming;  // what the demand forecaster expects instead

    bool subtree_decisions = false;
    bool full_decision_due = true;  // something changed that only a decision of the whole site sees
    std::vector<ConnectorIndex> redecide;
    std::vector<char> redecide_flag;
    // Per node, the sums of the increases and decreases that `previous` grants below it.
    std::vector<double> granted_up_below, granted_down_below;
    // Per node, the largest charger rating below it, and the largest of a V2G charger.
    std::vector<double> max_charge_below, max_discharge_below;
    std::optional<Subtrees> subtrees;
    std::vector<NodeIndex> tops;         // of this instant's subtrees
    std::vector<SubtreeDecision> parts;  // their decisions
    std::vector<NodeView> part_nodes;
    std::vector<ConnectorView> part_connectors;
    std::vector<SessionView> part_sessions;
    Decision part_previous;
    std::vector<double> up_delta, down_delta;  // per node, scratch: changes this instant's parts make
    std::vector<char> delta_touched;
    std::vector<NodeIndex> touched;  // the nodes whose deltas are set
};

}  // namespace evtwin
