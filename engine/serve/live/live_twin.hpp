#pragma once
// The site as the central system sees it in real time: the sessions of the charge points'
// transactions, their metered energy and power, and the strategy that decides every control
// period on an Observation built from that state (the same SDK as a simulated run). Decisions are
// checked against the chargers, the node limits and the phase constraints before they become
// charging limits; everything is written to a results database as a run with status `running`.
// Thread-safe: every public member locks the twin.
#include "core/battery_fleet.hpp"
#include "core/forecast_cache.hpp"
#include "core/observation_builder.hpp"
#include "core/run_sink.hpp"
#include "forecast/site_forecasters.hpp"
#include "host/plugin_loader.hpp"
#include "model/demand_meter.hpp"
#include "model/ess.hpp"
#include "model/reservation_book.hpp"
#include "model/scenario_spec.hpp"
#include "model/site.hpp"
#include "model/vehicle.hpp"
#include "serve/live/deferred_sink.hpp"
#include "serve/live/live_outlook.hpp"
#include "serve/live/settled_sink.hpp"

#include <evtwin/ess_grid_permissions.hpp>
#include <evtwin/observation.hpp>

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace evtwin::serve {

// What one meter reading says; a field the charger did not send is empty.
struct MeterReading {
    // Energy.Active.Import.Register; with bidirectional, minus Energy.Active.Export.Register
    std::optional<double> register_kwh;
    // Power.Active.Import; with bidirectional, minus Power.Active.Export
    std::optional<double> power_kw;
    std::optional<double> soc;                                 // SoC, 0..1
    std::optional<double> export_register_kwh = std::nullopt;  // Energy.Active.Export.Register as read
    // The reading counts export too (a V2G charger's): the register and the power may fall.
    bool bidirectional = false;
};

// What a driver or the vehicle declares (NotifyEVChargingNeeds, POST /v1/sessions/{id}/intent).
struct SessionIntent {
    std::optional<Time> departure;
    std::optional<double> energy_kwh;
    // The vehicle's discharge rating at its inlet when it offers bidirectional transfer (ISO 15118-20):
    // V2G is allowed up to it; 0 allows none. Empty: as the vehicle's spec says.
    std::optional<double> max_discharge_kw;
    // The energy from its SoC now to the lowest it may be discharged to (negative when above it;
    // ISO 15118-20's EVMinimumV2XEnergyRequest or EVMinimumEnergyRequest), which sets its SoC floor.
    std::optional<double> min_energy_kwh = std::nullopt;
    // energy_kwh counts from now, not from the session's start: ISO 15118's energy requests
    // (NotifyEVChargingNeeds), which a renegotiation makes in the middle of a session.
    bool energy_from_now = false;
    // The SoC the vehicle asks to reach (ISO 15118-20 targetSoC), where it gives no energy.
    std::optional<double> target_soc = std::nullopt;
    // The most it can take from now (EVMaximumEnergyRequest): what it asks never exceeds it.
    std::optional<double> max_energy_kwh = std::nullopt;
    // The driver's needs (ChargingNeeds, evtwin/observation.hpp): a minimum power, and a goal (its
    // energy counted from the session's start, as energy_kwh is, by its time, with what energy beyond
    // it is worth). Each replaces what the session had.
    std::optional<double> min_charge_kw = std::nullopt;
    std::optional<ChargingNeeds> goal = std::nullopt;  // goal_by, goal_kwh and value_per_kwh
};

// An open session as the twin keeps it (and stores it, to go on after a restart).
struct LiveSession {
    SessionId id = 0;
    ConnectorIndex connector = kNone;
    std::string transaction_id;
    std::string id_tag;  // the driver's or vehicle's token: a returning one is the same vehicle
    Time arrival;
    Time declared_departure;
    double requested_kwh = 0.0;
    double meter_start_kwh = 0.0;  // the register when it started (0 when the charger sent none)
    double register_kwh = 0.0;     // the register's last reading
    Time register_t;               // and when it came
    double initial_soc = 0.0;
    std::optional<double> reported_soc;
    std::optional<double> declared_discharge_kw;  // SessionIntent::max_discharge_kw, once declared
    std::optional<double> declared_min_soc;       // from SessionIntent::min_energy_kwh, once declared
    ChargingNeeds needs{};                        // the driver's, as declared (SessionIntent)
    std::optional<double> export_start_kwh;       // the export register's first reading, if it has one
    double export_kwh = 0.0;                      // and its last
    bool open = true;

    bool operator==(const LiveSession&) const = default;
};

// A reservation as the live twin keeps it: the book's, with the connector asked for and the charge
// point's answer to ReserveNow. The HTTP API's and OCPP's reservationId is `id + 1`.
struct LiveReservationState {
    Reservation reservation;
    ConnectorIndex wanted = kNone;  // the connector asked for; kNone: any free one
    std::string status;             // the charge point's answer (Accepted, Occupied, ...); "" before
};

// Where a run resumed after a restart stands: its open sessions, the next session id, and the
// last instant it recorded.
struct LiveResume {
    std::vector<LiveSession> open;
    std::vector<LiveReservationState> reservations;  // every reservation of the run, by id
    SessionId next_session = 1;
    Time at;
};

struct LiveSessionState {
    SessionId id = 0;
    ConnectorIndex connector = kNone;
    std::string transaction_id;
    Time arrival;
    Time declared_departure;
    double requested_kwh = 0.0;
    double delivered_kwh = 0.0;
    double power_kw = 0.0;  // at the meter
    double soc = 0.0;
};

struct LiveConnectorState {
    bool online = false;                 // its charge point is connected
    bool faulted = false;                // it reported a fault
    double power_kw = 0.0;               // measured, at the meter
    double limit_kw = 0.0;               // the limit it was last told (its rating until then)
    bool discharge_profiles = false;     // its charge point takes discharge setpoints (OCPP 2.1)
    std::optional<std::size_t> session;  // index into LiveTwin's sessions
};

// What changed of a session or a connector, for a view of the site kept beside the twin (live mode's
// OCPI endpoints). Told under the twin's lock: the observer must not call the twin.
struct LiveChange {
    enum class Kind { session_started, session_metered, session_ended, connector };
    Kind kind = Kind::connector;
    Time t;
    ConnectorIndex connector = kNone;
    LiveSession session;    // after the change (the session kinds)
    double power_kw = 0.0;  // the connector's measured power after it
};

// A cap on a session's power either way (kW, grid side), set from outside the strategy (an OCPI
// charging profile): steps, each in force from its start to the next one's; none before the first
// step nor from `until` on. Every decision is clipped to it where decisions are checked
// (core/decision_check.hpp), a clip recorded as a `session_cap` violation.
struct SessionCap {
    std::vector<std::pair<Time, double>> steps;  // by time
    Time until = Time::max();
    // The cap in force at `t`; kUnlimited when none is.
    double at(Time t) const;
};

// The vehicle of a live session when the scenario's fleet does not know its token: the live {}
// block's battery, no power limit or losses of its own below the charger's (what the meter counts
// is in its battery), no V2G.
VehicleSpec unknown_live_vehicle(const ChargerSpec& charger, const LiveSpec& live);

// The discharge rating and SoC floor a session's vehicle declared (ISO 15118-20 needs), over its
// spec's V2G permission, rating and minimum SoC; what it did not declare stays as the spec says.
void with_declared_v2g(const LiveSession& session, VehicleSpec& vehicle);

// The vehicle of an open session as the twin knows it at `t`, for its SessionView: `vehicle`
// (from the scenario's fleet, or unknown_live_vehicle), from its SoC on arrival, moved by the energy
// metered, set to the SoC the vehicle last reported, and moved on by the measured power `meter_kw`
// since the register's last reading.
Vehicle live_vehicle(const LiveSession& session, const VehicleSpec& vehicle, const ChargerSpec& charger,
                     double meter_kw, Time t);

class LiveTwin {
public:
    // `spec.start` is the run's start; `strategy` decides, `sink` records: begin_run is called here,
    // unless the run resumes (`resume`; the sink goes on with it already).
    LiveTwin(const ScenarioSpec& spec, Strategy& strategy, RunSink& sink, const RunInfo& info,
             const LiveResume* resume = nullptr);
    ~LiveTwin();

    const Site& site() const { return site_; }
    Duration control_period() const { return spec_.control_period; }
    // The first control period's start after `t`, on the run's grid (from its start).
    Time next_period(Time t) const {
        const std::int64_t p = spec_.control_period.ms();
        return spec_.start + Duration(((t - spec_.start).ms() / p + 1) * p);
    }

    // A transaction started on connector `c`; returns the session's id.
    // `id_tag` names the vehicle (empty when the charge point sent none). `reservation`: the one the
    // transaction names (1.6 StartTransaction's, 2.0.1 TransactionEvent's reservationId − 1).
    SessionId start_session(ConnectorIndex c, Time t, const std::string& transaction_id,
                            const std::string& id_tag, std::optional<double> meter_start_kwh,
                            std::optional<double> soc,
                            std::optional<std::uint32_t> reservation = std::nullopt);
    // The transaction's session on `c` ended; false when there was none.
    bool stop_session(ConnectorIndex c, Time t, std::optional<double> meter_stop_kwh);
    // True when the site needs a decision now: since the last one a battery let go of its power (at
    // a bound of its SoC, or held to its grid permission as the import changed) and left a node over
    // its limit, which only new limits for the chargers bring back (a simulated run re-applies its
    // limits at every instant).
    bool meter(ConnectorIndex c, Time t, const MeterReading& reading);
    // False for a session that is not open.
    bool declare(SessionId session, const SessionIntent& intent);
    // The open session of a transaction, if any.
    std::optional<SessionId> session_of(const std::string& transaction_id) const;
    // Whether the connector's charge point is connected; while it is not, its power is taken as its
    // last limit (unknown, but limited) and a strategy cannot use it.
    void set_online(ConnectorIndex c, Time t, bool online);
    void set_faulted(ConnectorIndex c, Time t, bool faulted);
    // Whether the connector's charge point can be sent a decision to discharge (OCPP 2.1's V2X
    // profiles); without it a discharge becomes zero and a `discharge_unsupported` violation.
    void set_discharge_profiles(ConnectorIndex c, bool supported);
    // The charger ignores the limit it accepted: recorded as a violation.
    void limit_ignored(ConnectorIndex c, Time t, double limit_kw, double measured_kw);
    // A profile the charger refused, or a call it never answered.
    void note(Time t, ConnectorIndex c, const std::string& what);

    // Asks the strategy at `t` and returns the limit of every connector (kW, grid side), already
    // within the chargers' ratings, the node limits and the phase constraints. The twin is locked
    // while the observation is built and the decision checked, not while the strategy thinks.
    std::vector<double> decide(Time t);

    // The twin's state at `t` (its last instant, if later) as the outlook's simulations start from
    // it, over the next `horizon` (to the run's end at most). Waits for a decision in progress.
    OutlookStart outlook_start(Time t, Duration horizon);

    // --- reservations (live_twin_reservations.cpp): the book of a simulated run ------------------

    // A reservation for `id_tag` over [from, to) of connector `wanted` (kNone: any free one when it
    // starts), waiting; its id. Needs from < to.
    std::uint32_t add_reservation(std::string id_tag, ConnectorIndex wanted, Time from, Time to);
    // The waiting reservations whose start has come by `t`: each holds a connector now (the one it
    // wants, else any free one: online, not faulted, no transaction, not held) until its charge point
    // answers, or is refused (recorded, with the status a charge point would give). Returns those
    // that hold one, for ReserveNow to go out.
    std::vector<LiveReservationState> start_reservations(Time t);
    // The charge point's answer to ReserveNow: Accepted keeps the connector held (recorded as a
    // reservation), anything else (or none: "Timeout") refuses it.
    void reservation_answered(std::uint32_t id, Time t, const std::string& status);
    // Cancelled (waiting or held); false when it had ended already.
    bool cancel_reservation(std::uint32_t id, Time t, const std::string& why);
    // A held reservation the charge point reports ended (2.0.1 ReservationStatusUpdate): Expired is
    // a no-show, Removed a cancellation. False when it was not held.
    bool reservation_ended(std::uint32_t id, Time t, bool expired);
    // The held reservations whose expiry has passed by `t` end as no-shows.
    void expire_reservations(Time t);
    std::vector<LiveReservationState> reservations() const;
    std::optional<LiveReservationState> reservation(std::uint32_t id) const;
    // Where every reservation of the run goes at a flush (with the twin's rows) once the book has
    // changed since the last, so that a restarted central system goes on with them.
    void set_reservation_store(std::function<void(const std::vector<LiveReservationState>& all)> save);

    std::vector<LiveConnectorState> connectors() const;
    std::vector<LiveSessionState> sessions() const;  // the open ones
    std::size_t decisions() const;

    // Where every change of a session or a connector is told (LiveChange); none: nowhere.
    void set_change_observer(std::function<void(const LiveChange&)> observer);
    // The cap of an open session's power from now on (none: lifted); false when it is not open.
    // It ends with the session.
    bool set_session_cap(SessionId session, std::optional<SessionCap> cap);

    // Writes what was recorded so far into the run's sink, runs `also` with the sessions open then
    // (more rows for the run's database) and commits, so that readers see it. The twin is locked
    // only while the rows are taken: the writing holds up no other call but flush and write_rows.
    void flush(const std::function<void(const std::vector<LiveSession>& open)>& also = {});
    // Runs `write` (more rows for the run's database, inside its open transaction) while no other
    // flush or write_rows writes; `write` may call the twin.
    void write_rows(const std::function<void()>& write);
    // Ends the run: open sessions are recorded as still plugged in.
    void finish(Time t, bool interrupted);

private:
    using Session = LiveSession;
    // A plugged vehicle's battery: in the fleet (a known token), or its own.
    struct PluggedBattery {
        BatteryLife* battery = nullptr;
        std::optional<BatteryLife> own;
        BatteryWear wear{};
        VehicleSpec vehicle;  // as the twin models it, its capacity what the battery holds now
    };

    void advance(Time t);
    void plug(const Session& s, Time t);
    // The session's vehicle as the fleet model has it: the scenario's vehicle of that token, else
    // unknown_live_vehicle.
    SessionSpec session_spec(const Session& s) const;
    // Battery b holds `kw` (grid side) from now on: the nodes above it carry the change.
    void hold_ess(std::size_t b, double kw);
    // The same between decisions: a node above it that this takes over its limit makes a decision due.
    void let_go(std::size_t b, double kw);
    // The batteries' powers `kw` within their grid permissions at the site's import now.
    std::vector<double> within_grid_permissions(std::vector<double> kw) const;
    // The batteries without a grid permission hold what was decided for them within it, at the
    // site's import now: as the engine holds them at every instant, they follow the vehicles'
    // readings, the PV and the load between decisions.
    void hold_to_grid_permissions_now();
    // What the batteries hold together (grid side).
    double ess_total_kw() const;
    // The site's grid import now: its vehicles, batteries and base load less its PV (below 0: export).
    double import_kw() const;
    // A battery's power changed by `delta_kw` at `node`: every node above it carries it.
    void add_ess_flow(NodeIndex node, double delta_kw);
    void sample(Time t, ConnectorIndex c);
    void sample_site(Time t);
    void refresh_fixed_flows(Time t);
    void build_observation(Time t);
    void end_session(std::size_t index, Time t, bool departed);
    double soc_of(const Session& s) const;
    double within_rating(ConnectorIndex c, double kw);
    // A transaction of `id_tag` started on c as session `id`: the reservation it names, else the
    // one held for the token, is honoured (the charge point may let in a token of the holder's
    // group); one held on c for another token is cancelled (the charge point let it in).
    void claim_reservation(ConnectorIndex c, const std::string& id_tag, SessionId id, Time t,
                           std::optional<std::uint32_t> named);
    LiveReservationState reservation_state(std::uint32_t id) const;

    // Where a connector's register was when its power was last derived from it (or given); not
    // known for a transaction that started without a meter reading until its first one.
    struct RegisterMark {
        double kwh = 0.0;
        Time t;
        bool known = false;
    };

    // The scenario's sessions: not played (the charge points bring the vehicles), the fleet model
    // (a token one of them names as its vehicle is that vehicle). Kept before spec_, which has none.
    std::vector<SessionSpec> fleet_sessions_;
    mutable std::mutex mutex_;
    // The run's sink and its database (write_rows); taken before mutex_ where both are.
    std::mutex write_mutex_;
    std::mutex decide_mutex_;  // one decision at a time: the observation's views are its own
    ScenarioSpec spec_;
    // The batteries that miss a grid permission, in the order they share (evtwin/ess_grid_permissions.hpp).
    const std::vector<std::size_t> grid_permission_order_ = grid_permission_order<EssSpec>(spec_.ess);
    Site site_;
    Strategy& strategy_;
    RunSink& out_;           // the run's sink, written under write_mutex_ alone
    DeferredSink deferred_;  // what sink_ passed on, until flush() or finish() writes it into out_
    SettledSink sink_;       // the twin's sink, the meters' settling in front of deferred_
    ForecastCache cache_;
    SiteForecasters forecasters_;
    DemandMeter demand_;
    Time last_t_;
    bool finished_ = false;
    bool decision_due_ = false;  // a node is over its limit since the last decision (let_go)

    std::vector<LiveConnectorState> connectors_;
    // What the site's rows add up, kept as connectors change: each connector's grid power as
    // estimated, the batteries' flow through every node, PV and base load in the current control
    // period. The rows take the vehicles' flows through the nodes from the settled rows (sink_);
    // their estimate here (ev_flow_kw_) tells when a node goes over its limit between decisions.
    std::vector<double> counted_kw_;
    std::vector<double> ev_flow_kw_;  // per node: the connectors' grid power as estimated
    std::vector<double> ess_flow_kw_;
    std::vector<double> fixed_flow_kw_;
    std::vector<double> flows_;  // per node: the batteries' and fixed flows, for the site's rows
    bool rows_due_ = true;       // a flow changed since the site's rows were last recorded
    double ev_kw_ = 0.0, pv_kw_ = 0.0, load_kw_ = 0.0;
    Time fixed_until_ = Time::min();
    Forecast now_values_;
    std::vector<RegisterMark> power_from_;  // per connector
    std::vector<bool> above_rating_;        // per connector: its last reading was, and is on the record
    std::vector<Session> sessions_;  // every session of the run; open ones are referenced by connectors_
    SessionId next_session_ = 1;
    std::size_t decisions_ = 0;

    ObservationBuilder views_;
    BatteryFleet fleet_;
    std::unordered_map<std::string, const SessionSpec*> fleet_vehicles_;  // the scenario's, by vehicle id
    std::vector<PluggedBattery> batteries_;                               // per connector
    // The vehicles of the Observation last built: its sessions' views point into them (their
    // charge curves) until the next is built.
    std::vector<Vehicle> shown_vehicles_;
    std::vector<Ess> ess_;        // per ScenarioSpec::ess
    std::vector<double> ess_kw_;  // what each holds now (grid side)
    // What each was decided to take or give, within the node limits: ess_kw_ before the grid
    // permissions, which hold it as the vehicles' import changes.
    std::vector<double> ess_decided_kw_;
    std::vector<UpcomingSession> expected_;
    ReservationBook reservations_;                    // the connectors held for drivers to come
    std::vector<ConnectorIndex> reservation_wanted_;  // per reservation
    std::vector<std::string> reservation_status_;     // per reservation: the charge point's answer
    std::function<void(const std::vector<LiveReservationState>&)> reservation_store_;
    std::uint64_t reservation_changes_ = 0, reservation_changes_saved_ = 0;
    Forecast forecast_;
    Decision previous_;
    Foresight foresight_;
    std::function<void(const LiveChange&)> observer_;
    std::unordered_map<SessionId, SessionCap> caps_;  // of open sessions
    void tell(LiveChange::Kind kind, ConnectorIndex c, Time t, const Session* s);
};

}  // namespace evtwin::serve
