#pragma once
// What the simulator reports as a run unfolds. The SQLite writer (engine/record) implements it; so
// can a test. Samples are sent on change only: a value holds until the next sample of the same
// series. Calls arrive in time order.
#include "model/battery_usage.hpp"
#include "model/feeder_spec.hpp"
#include "model/violation.hpp"

#include <evtwin/ids.hpp>
#include <evtwin/time.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace evtwin {

struct ScenarioSpec;

struct RunInfo {
    std::string scenario_name;
    std::string scenario_file;
    std::string strategy_name;
    std::string strategy_version;
    std::string strategy_options;  // "k=v;k=v", sorted
    std::uint64_t seed = 0;
    std::string engine_version;
};

// Power and state of the whole site, positive = import / charging.
struct SiteSample {
    double grid_kw = 0.0;          // net import at the grid connection (negative: export)
    double ev_kw = 0.0;            // sum over connectors (negative: net V2G)
    double pv_kw = 0.0;            // PV actually produced (after curtailment), >= 0
    double pv_curtailed_kw = 0.0;  // PV available but not used, >= 0
    double ess_kw = 0.0;           // ESS grid-side power (negative: discharging)
    double ess_soc = 0.0;
    double load_kw = 0.0;  // non-EV load
};

struct SessionRecord {
    SessionId id = 0;
    ConnectorIndex connector = kNone;  // kNone when no connector was free
    std::string vehicle_model;
    Time arrival;
    Time departure;
    Time declared_departure;
    double capacity_kwh = 0.0;
    double initial_soc = 0.0;
    double final_soc = 0.0;
    double requested_kwh = 0.0;
    double delivered_kwh = 0.0;   // net, at the inlet
    double charged_kwh = 0.0;     // into the vehicle, at the inlet
    double discharged_kwh = 0.0;  // out of the vehicle, at the inlet
    double grid_kwh = 0.0;        // net, at the charger's grid side
    bool departed = true;         // false: still plugged in when the run ended
    std::string vehicle_id{};     // empty: a vehicle seen only in this session
    double soh = 1.0;             // the battery's state of health at arrival
    double fade_calendar = 0.0;   // capacity fade during the session, fraction of nominal
    double fade_cycling = 0.0;
    double value_per_fade = 0.0;  // what a fade of the whole nominal capacity costs
    // The driver's goal (ChargingNeeds::goal_kwh, at the inlet) where they set one; < 0: none. The
    // energy asked for beyond a goal is wanted only where it is worth its price, so the session
    // requires its goal's energy alone.
    double goal_kwh = -1.0;
    double required_kwh() const {
        return goal_kwh >= 0.0 ? std::min(goal_kwh, requested_kwh) : requested_kwh;
    }
};

enum class EventKind : std::uint8_t {
    arrival,
    departure,
    rejected,
    run_start,
    run_end,
    interrupted,
    // Scripted by the scenario's hooks; the detail says what.
    fault,
    repair,
    limit_change,
    price_spike,
    hook_log,
    // Told by the strategy (Decision::events), or its foresight at the run's start.
    strategy,
    // Reservations (model/reservation_book.hpp): a connector held for a token from now on (detail:
    // the reservation, its token and expiry), none found or the charge point refused it, the holder
    // came (its session), the expiry passed without it (a no-show), cancelled.
    reservation,
    reservation_refused,
    reservation_honoured,
    reservation_expired,
    reservation_cancelled
};

// Every event kind, in the enum's order.
inline constexpr EventKind kEventKinds[] = {EventKind::arrival,
                                            EventKind::departure,
                                            EventKind::rejected,
                                            EventKind::run_start,
                                            EventKind::run_end,
                                            EventKind::interrupted,
                                            EventKind::fault,
                                            EventKind::repair,
                                            EventKind::limit_change,
                                            EventKind::price_spike,
                                            EventKind::hook_log,
                                            EventKind::strategy,
                                            EventKind::reservation,
                                            EventKind::reservation_refused,
                                            EventKind::reservation_honoured,
                                            EventKind::reservation_expired,
                                            EventKind::reservation_cancelled};

const char* to_string(EventKind kind);

class RunSink {
public:
    virtual ~RunSink() = default;
    // The spec describes the site (nodes, chargers, connectors) for the run about to start. It lives
    // until end_run has returned; a run that fails before keeps it until the sink is destroyed or, for
    // the results writer, its wait_idle() has returned. A sink may read it until then (the results
    // writer's thread does).
    virtual void begin_run(const RunInfo& info, const ScenarioSpec& spec) = 0;
    virtual void site_sample(Time t, const SiteSample& s) = 0;
    virtual void node_sample(Time t, NodeIndex node, double flow_kw) = 0;
    // Stationary battery `ess` (index into ScenarioSpec::ess): its grid-side power and SoC from t, at
    // the run's start and whenever its power changes (its SoC is linear in between).
    virtual void ess_sample(Time /*t*/, std::uint32_t /*ess*/, double /*grid_kw*/, double /*soc*/) {}
    virtual void connector_sample(Time t, ConnectorIndex c, double grid_kw, double soc, PilotState state) = 0;
    virtual void session_end(const SessionRecord& r) = 0;
    virtual void event(Time t, EventKind kind, ConnectorIndex c, SessionId session,
                       std::string_view detail) = 0;
    virtual void violation(Time t, const Violation& v) = 0;
    // Wall-clock time the strategy took for one decision (kept apart from results: not reproducible).
    virtual void decision_time(Time t, double seconds) = 0;
    // At the end, before end_run: each battery that persists through the run (vehicles with an id,
    // the ESS), in the order they were first seen.
    virtual void battery_health(const BatteryUsage&) {}
    // The distribution feeder's rows (a scenario with distribution_feeder{}), on change: a bus-phase's
    // voltage (per unit, as the feeder coupling rounds it), a branch's loading (lines first, then
    // transformers, as FeederViolation numbers them), the feeder's totals at each solve, and a
    // bus-phase or branch that went out of its limits.
    virtual void bus_voltage(Time, std::uint32_t /*bus*/, int /*phase*/, double /*v_pu*/) {}
    virtual void branch_loading(Time, std::uint32_t /*branch*/, double /*loading*/) {}
    virtual void feeder_sample(Time, const FeederSample&) {}
    virtual void feeder_violation(Time, const FeederViolation&) {}
    // Makes what was reported so far visible to readers (a run that goes on for long, live).
    virtual void flush() {}
    virtual void end_run(Time end, bool interrupted) = 0;
};

inline const char* to_string(EventKind kind) {
    switch (kind) {
        case EventKind::arrival:
            return "arrival";
        case EventKind::departure:
            return "departure";
        case EventKind::rejected:
            return "rejected";
        case EventKind::run_start:
            return "run_start";
        case EventKind::run_end:
            return "run_end";
        case EventKind::interrupted:
            return "interrupted";
        case EventKind::fault:
            return "fault";
        case EventKind::repair:
            return "repair";
        case EventKind::limit_change:
            return "limit_change";
        case EventKind::price_spike:
            return "price_spike";
        case EventKind::hook_log:
            return "hook_log";
        case EventKind::strategy:
            return "strategy";
        case EventKind::reservation:
            return "reservation";
        case EventKind::reservation_refused:
            return "reservation_refused";
        case EventKind::reservation_honoured:
            return "reservation_honoured";
        case EventKind::reservation_expired:
            return "reservation_expired";
        case EventKind::reservation_cancelled:
            return "reservation_cancelled";
    }
    return "?";
}

}  // namespace evtwin
