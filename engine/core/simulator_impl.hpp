#pragma once
// The simulator: the event loop over its components, and the member functions shared by the files
// that define them: simulator.cpp (stepping and events), simulator_physics.cpp (integrating and
// settling powers), simulator_observation.cpp (what a strategy sees), simulator_hooks.cpp (changes
// made by scripts), simulator_batteries.cpp and simulator_subtree.cpp (their components' use).
// Its state is in components, each written through its own mutators: the connector table (what
// every instant reads of a connector), the sessions (to come, and plugged in), the battery fleet,
// the site recorder, the subtree decisions and the observation builder. A connector is plugged in
// the connector table exactly when it is in the sessions: arrive() and depart() change both.
// Private to engine/core: include only from those files.

#include "core/simulator.hpp"

#include "core/battery_fleet.hpp"
#include "core/connector_table.hpp"
#include "core/decision_check.hpp"
#include "core/event_queue.hpp"
#include "core/feeder_coupling.hpp"
#include "core/forecast_cache.hpp"
#include "core/observation_builder.hpp"
#include "core/session_table.hpp"
#include "core/session_view.hpp"
#include "core/site_recorder.hpp"
#include "core/subtree_decisions.hpp"
#include "forecast/site_forecasters.hpp"
#include "model/battery_life.hpp"
#include "model/battery_wear.hpp"
#include "model/demand_meter.hpp"
#include "model/ess.hpp"
#include "model/local_time.hpp"
#include "model/power_flow.hpp"
#include "model/reservation_book.hpp"
#include "model/scenario_script.hpp"
#include "model/site.hpp"
#include "model/vehicle.hpp"

#include <evtwin/ess_grid_permissions.hpp>

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
        // A reservation starts holding a connector, and expires unless its holder came.
        kReservationStart,
        kReservationEnd,
        kFeederLoad,   // a step of one of the distribution feeder's load profiles
        kFlexibility,  // a DSO's flexibility request starts (FeederSpec::flexibility)
        kTapChange,    // a feeder regulator's delay has passed (FeederSpec::tap_delays)
        kEnd
    };

    // on() hooks that trigger each other (a fault hook that repairs, a repair hook that faults) would
    // never let the clock move; past this many in one instant the run stops.
    static constexpr std::size_t kMaxChainedHooks = 10000;

    static constexpr std::uint64_t kNoEvent = ConnectorTable::kNoEvent;

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
          connectors(site.connectors().size(), s.start),
          sessions(s, site.connectors().size()),
          reservations(site.connectors().size()),
          fleet(s.battery),
          grid_permission_order(evtwin::grid_permission_order<EssSpec>(s.ess)) {
        power.connector_kw.assign(connectors.size(), 0.0);
        power.load_kw.assign(site.nodes().size(), 0.0);
        flow.enforce_phases(!spec.acn_compatible);  // ACN-Sim checks its pilots and applies them
        for (const PvSpec& pv : spec.pv) power.pv.push_back(PvPower{pv.node, 0.0, 0.0});
        for (const EssSpec& e : spec.ess) {
            EssSpec usable = e;  // its capacity at its state of health, for the whole run
            usable.capacity_kwh *= usable.soh;
            ess.emplace_back(usable);
            power.ess.push_back(EssPower{e.node, 0.0});
        }
        decision.connector_kw.assign(connectors.size(), 0.0);
        decision.ess_kw.assign(ess.size(), 0.0);
        previous = decision;
        limits.resize(connectors.size());
        for (std::size_t c = 0; c < connectors.size(); ++c)
            limits[c].charger = charger_of(static_cast<ConnectorIndex>(c));
        load_kw_by_source.assign(spec.loads.size(), 0.0);
        charger_faulted.assign(spec.chargers.size(), false);
        limit_generation.assign(site.nodes().size(), 0);
        if (s.feeder) feeder = std::make_unique<FeederCoupling>(*s.feeder, sk);
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

    bool faulted(ConnectorIndex c) const { return connectors.faulted(c); }
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

    // A vehicle's or a battery's change event whose owner has rescheduled since: handle() would ignore it.
    bool superseded(const Event& e) const;

    // Pops the superseded events at the head of the queue, so that no instant is run for them alone.
    void drop_superseded();

    void schedule_next_arrival();

    std::optional<ConnectorIndex> free_connector_for(const SessionSpec& s) const;

    void arrive(std::uint32_t index);

    void depart(std::uint32_t c);

    // --- reservations (simulator_reservations.cpp) ----------------------------------------------

    // The scenario's reservations into the book, their starts scheduled.
    void start_reservations();
    // Caps the limits of the site's nodes at the request's bus, restored at its end.
    void start_flexibility(std::uint32_t i);
    // Reservation i starts: it holds a free connector (of its station, when it names one), or is
    // refused when none is free; its expiry is scheduled.
    void start_reservation(std::uint32_t i);
    // Reservation i's expiry: a no-show when it still holds its connector.
    void end_reservation(std::uint32_t i);
    // The connector session s takes when it holds a reservation (the reservation then honoured),
    // else none.
    std::optional<ConnectorIndex> claim_reservation(const SessionSpec& s);
    // Whether an arriving session may take connector c: nobody's reservation holds it but maybe
    // its own.
    bool open_to(ConnectorIndex c, const SessionSpec& s) const {
        return !reservations.held(c) || reservations.open_to(c, session_token(s));
    }

    SessionRecord base_record(const SessionSpec& s) const;

    SessionRecord record_of(ConnectorIndex c, bool departed) const;

    // --- batteries (simulator_batteries.cpp) --------------------------------------------------

    // Session `index`'s vehicle plugged into connector c (of charger ch), its battery aged through
    // its time away.
    const Vehicle& plug_vehicle(ConnectorIndex c, std::uint32_t index, const ChargerSpec& ch);
    // Ages connector c's battery until now and adds the session's fade to its record.
    void unplug_battery(ConnectorIndex c, SessionRecord& r);
    void start_batteries();
    // At the end of the run (vehicles already unplugged): ages the vehicles away and the batteries until
    // `end` and reports every battery that persists.
    void finish_batteries(Time end);

    // --- physics ------------------------------------------------------------------------------

    void integrate_ess(Duration dt);
    // A vehicle is integrated only when read or when its power changes: brings connector c's
    // vehicle to its state at t, integrated from the instant its power last changed (its held power).
    void bring_up_to_date(ConnectorIndex c, Time t);
    // Connector c is about to hold setpoint `kw`: its power is recomputed unless it is the very
    // setpoint it holds (then it keeps the power apply_powers gave it).
    void note_setpoint(ConnectorIndex c, double kw) {
        if (std::bit_cast<std::uint64_t>(kw) == std::bit_cast<std::uint64_t>(decision.connector_kw[c]))
            return;
        connectors.flag_for_apply(c);
    }

    // End of an instant: decide if asked, then settle the powers and record what changed.
    // Decisions were made before (apply_pending, with `decided`); `violations` holds what their
    // check clipped.
    void settle(Time t, bool decided = false);
    // Cuts the batteries to their grid permissions at the settled flows (and settles again), and
    // reschedules each battery whose power then differs from before the instant (ess_kw_before) or
    // whose change event fired (ess_due_before); at a decision, a cut of what the strategy asked is a
    // violation.
    void hold_to_grid_permissions(bool decided);

    // The site's loads, now, at their nodes.
    void place_loads(std::vector<double>& load_kw) const;
    // The PV arrays give what they can, together at most `limit_kw`, each in proportion.
    void limit_pv(double limit_kw);

    void apply_powers();

    // End of settle: records what changed and schedules the batteries' next changes.
    void record_and_reschedule(Time t);
    // The flagged connectors' samples, the points of their SoC traces and their next change events.
    void record_connectors(Time t);
    void reschedule_ess(std::size_t b, Time t);
    // The changed node flows and the site's sample.
    void record_site(Time t);
    // Schedules the feeder's next delayed tap change when it comes before the one pending.
    void schedule_tap_change();

    // At a control tick, after record_and_reschedule: the change events held back for the tick
    // whose power did not change, scheduled if they now fall before the next tick.
    void schedule_held_back_changes();

    // --- decisions ----------------------------------------------------------------------------

    void build_observation(Time t);
    // The views of the connectors whose plug or fault changed, brought up to date.
    void refresh_changed_views();
    // Connector i's state in its view set, and its vehicle's session view brought up to date.
    const SessionView& current_session_view(ConnectorIndex i);

    // The strategy's foresight: a longer forecast and the sessions to come.
    void grant_foresight();
    void build_upcoming();

    void record_strategy_events(Time t, Decision& d);

    // --- decisions of subtrees (simulator_subtree.cpp) ------------------------------------------

    // Whether this run asks its strategy for decisions of subtrees (DecisionScope::subtree): set by
    // run() when the strategy's scope allows it, in event mode, without an ESS, phase constraints or
    // foresight.
    void enable_subtree_decisions();
    // Decides the subtrees where vehicles came, went or changed what they take, and applies the
    // decisions; false when only a decision of the whole site will do.
    bool decide_subtrees(Time t);
    // A connector whose vehicle came, went or changed what it takes since the last decision.
    void mark_redecide(ConnectorIndex c) {
        if (subtree_decisions) subtree_decisions->redecide(c);
    }
    // After a decision of the whole site: the grants below each node, from `previous`.
    void reset_subtree_state();

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

    void decide_now() override { wake(); }

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
    ConnectorTable connectors;  // what every instant reads of each connector
    SessionTable sessions;      // the sessions to come, and those plugged in
    // The connectors held for drivers to come.
    ReservationBook reservations;
    Time next_tick = Time::max();
    std::vector<ConnectorLimits> limits;
    // A stationary battery and its next change (reaching a SoC bound at its power): scheduled, or
    // held back past the next tick.
    struct EssUnit {
        explicit EssUnit(const EssSpec& spec) : battery(spec) {}
        Ess battery;
        std::uint64_t pending = kNoEvent;
        bool reschedule = false;
        bool due_at_tick = false;
        Time change_at = Time::max();
    };
    std::vector<EssUnit> ess;  // per ScenarioSpec::ess
    BatteryFleet fleet;
    // The batteries that miss a grid permission, in the order they share (evtwin/ess_grid_permissions.hpp).
    std::vector<std::size_t> grid_permission_order;
    std::vector<double> ess_kw_before, ess_kw_asked, ess_kw_held;  // hold_to_grid_permissions' buffers
    std::vector<char> ess_due_before;
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
    std::vector<Violation> violations;
    RunSummary summary;

    struct LimitRestore {
        NodeIndex node;
        std::uint64_t generation;  // applies only if the node's limits were not changed since
        const char* ended;         // what ends, for the limit_change event
    };
    std::unique_ptr<ScriptRun> script;
    std::vector<bool> charger_faulted;            // per charger; its connectors' copies are in `connectors`
    std::vector<std::uint64_t> limit_generation;  // per node, bumped by every change of its limits
    std::vector<LimitRestore> limit_restores;
    std::vector<HookEvent> pending_hooks;

    Forecast forecast;
    Foresight foresight;
    // A strategy of subtree scope promises to read no forecast, price or demand charge
    // (Strategy::scope): its observation's forecast and demand are left empty, and not computed.
    bool site_scope = true;
    std::vector<UpcomingSession> expected_upcoming;  // what the demand forecaster expects instead

    std::optional<SubtreeDecisions> subtree_decisions;  // when enabled
    std::unique_ptr<FeederCoupling> feeder;             // when the scenario has a distribution feeder
    Time tap_change_at = Time::max();                   // the kTapChange event pending; max(): none
    bool full_decision_due = true;  // something changed that only a decision of the whole site sees
};

}  // namespace evtwin
