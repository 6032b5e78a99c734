#include "serve/live/live_twin.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace evtwin::serve {

namespace {

ScenarioSpec without_sessions(const ScenarioSpec& spec) {
    ScenarioSpec live = spec;
    live.sessions.clear();
    return live;
}

std::vector<MeteredConnector> metered_connectors(const ScenarioSpec& spec, const Site& site) {
    std::vector<MeteredConnector> out;
    for (const auto& connector : site.connectors()) {
        const ChargerSpec& charger = spec.chargers[connector.charger_spec];
        out.push_back({charger.max_kw, charger.efficiency});
    }
    return out;
}

}  // namespace

LiveTwin::LiveTwin(const ScenarioSpec& spec, Strategy& strategy, RunSink& sink, const RunInfo& info,
                   const LiveResume* resume)
    : fleet_sessions_(spec.sessions),
      spec_(without_sessions(spec)),
      site_(spec_),
      strategy_(strategy),
      out_(sink),
      sink_(site_, deferred_, metered_connectors(spec_, site_)),
      cache_(spec_),
      forecasters_(spec_),
      demand_(*spec_.tariff),
      last_t_(spec_.start),
      connectors_(site_.connectors().size()),
      counted_kw_(connectors_.size(), 0.0),
      ev_flow_kw_(site_.nodes().size(), 0.0),
      ess_flow_kw_(site_.nodes().size(), 0.0),
      fixed_flow_kw_(site_.nodes().size(), 0.0),
      flows_(site_.nodes().size(), 0.0),
      power_from_(connectors_.size()),
      above_rating_(connectors_.size(), false),
      views_(spec_, site_),
      fleet_(spec_.battery),
      batteries_(connectors_.size()),
      ess_decided_kw_(spec_.ess.size(), 0.0),
      reservations_(connectors_.size()) {
    for (std::size_t c = 0; c < connectors_.size(); ++c)
        connectors_[c].limit_kw = spec_.chargers[site_.connectors()[c].charger_spec].max_kw;
    // The fleet model: a token the scenario's sessions give a vehicle is that vehicle.
    for (const SessionSpec& s : fleet_sessions_)
        if (!s.vehicle_id.empty()) fleet_vehicles_.try_emplace(s.vehicle_id, &s);
    for (std::size_t b = 0; b < spec_.ess.size(); ++b) {
        EssSpec usable = spec_.ess[b];  // its capacity at its state of health, as a simulated run has it
        usable.capacity_kwh *= usable.soh;
        ess_.emplace_back(usable);
        ess_kw_.push_back(0.0);
        fleet_.add_ess(spec_.ess[b], spec_.start, views_.ess(b));
    }
    foresight_ = strategy_.foresight();
    if (foresight_.horizon.ms() > 0) cache_.extend_horizon(foresight_.horizon);
    previous_.connector_kw.assign(connectors_.size(), 0.0);
    previous_.ess_kw.assign(ess_.size(), 0.0);
    if (resume) {
        // The charge points are away until they connect again.
        last_t_ = std::max(spec_.start, resume->at);
        next_session_ = resume->next_session;
        for (const LiveSession& s : resume->open) {
            connectors_[s.connector].session = sessions_.size();
            power_from_[s.connector] = {s.register_kwh, s.register_t, true};
            sink_.reading(s.register_t, s.connector, s.register_kwh);
            sessions_.push_back(s);
            plug(s, last_t_);
        }
        for (const LiveReservationState& r : resume->reservations) {
            reservations_.restore(r.reservation);
            reservation_wanted_.push_back(r.wanted);
            reservation_status_.push_back(r.status);
        }
        sink_.event(last_t_, EventKind::run_start, kNone, 0, "live, resumed");
    } else {
        sink_.begin_run(info, spec_);
        sink_.event(spec_.start, EventKind::run_start, kNone, 0, "live");
        if (!forecasters_.perfect())
            sink_.event(spec_.start, EventKind::strategy, kNone, 0, "forecast: " + forecasters_.describe());
    }
    for (std::size_t c = 0; c < connectors_.size(); ++c) sample(last_t_, static_cast<ConnectorIndex>(c));
    for (std::size_t b = 0; b < ess_.size(); ++b)
        sink_.ess_sample(last_t_, static_cast<std::uint32_t>(b), ess_kw_[b], ess_[b].soc());
    sample_site(last_t_);
    DeferredSink::pass_on(deferred_.take(), out_);
}

LiveTwin::~LiveTwin() = default;

void LiveTwin::advance(Time t) {
    // Records must not go back in time; calls from different connections may race by a millisecond.
    t = std::max(t, last_t_);
    while (last_t_ < t) {
        // Each battery holds its power until the next decision, or until it reaches a bound of its SoC.
        Time until = t;
        std::size_t bound = ess_.size();  // the battery that reaches a bound first, if before t
        for (std::size_t b = 0; b < ess_.size(); ++b) {
            if (ess_kw_[b] == 0.0) continue;
            const Time at = last_t_ + ess_[b].time_to_next_change(ess_kw_[b]);
            if (at < until) {
                until = at;
                bound = b;
            }
        }
        demand_.accrue(last_t_, until, std::max(0.0, import_kw()));
        for (std::size_t b = 0; b < ess_.size(); ++b) ess_[b].integrate(ess_kw_[b], until - last_t_);
        last_t_ = until;
        if (bound < ess_.size()) {
            ess_decided_kw_[bound] = 0.0;
            let_go(bound, 0.0);
        }
    }
    refresh_fixed_flows(t);
}

SessionId LiveTwin::start_session(ConnectorIndex c, Time t, const std::string& transaction_id,
                                  const std::string& id_tag, std::optional<double> meter_start_kwh,
                                  std::optional<double> soc, std::optional<std::uint32_t> reservation) {
    std::lock_guard lock(mutex_);
    advance(t);
    t = last_t_;
    if (connectors_[c].session) end_session(*connectors_[c].session, t, true);  // never stopped
    Session s;
    s.id = next_session_++;
    s.connector = c;
    s.transaction_id = transaction_id;
    s.id_tag = id_tag;
    s.arrival = t;
    s.declared_departure = t + spec_.live.stay;
    s.requested_kwh = spec_.live.energy_kwh;
    s.meter_start_kwh = meter_start_kwh.value_or(0.0);
    s.register_kwh = s.meter_start_kwh;
    s.register_t = t;
    // A SoC at the start is where the battery began: the energy metered since moves it on.
    s.initial_soc = soc.value_or(spec_.live.soc);
    connectors_[c].session = sessions_.size();
    connectors_[c].power_kw = 0.0;
    power_from_[c] = {s.register_kwh, t, meter_start_kwh.has_value()};
    if (meter_start_kwh) sink_.reading(t, c, s.register_kwh);
    sessions_.push_back(s);
    plug(s, t);
    sink_.event(t, EventKind::arrival, c, s.id, "transaction " + transaction_id);
    if (reservations_.size() > 0) claim_reservation(c, id_tag, s.id, t, reservation);
    sample(t, c);
    tell(LiveChange::Kind::session_started, c, t, &sessions_.back());
    return s.id;
}

bool LiveTwin::stop_session(ConnectorIndex c, Time t, std::optional<double> meter_stop_kwh) {
    std::lock_guard lock(mutex_);
    advance(t);
    if (!connectors_[c].session) return false;
    Session& s = sessions_[*connectors_[c].session];
    // A V2G charger's register is its import minus its export, from its readings: a meter stop is
    // the import register alone.
    if (meter_stop_kwh && !s.export_start_kwh) s.register_kwh = std::max(s.register_kwh, *meter_stop_kwh);
    end_session(*connectors_[c].session, last_t_, true);
    return true;
}

void LiveTwin::end_session(std::size_t index, Time t, bool departed) {
    Session& s = sessions_[index];
    s.open = false;
    LiveConnectorState& cs = connectors_[s.connector];
    cs.session.reset();
    cs.power_kw = 0.0;
    const ChargerSpec& ch = spec_.chargers[site_.connectors()[s.connector].charger_spec];
    PluggedBattery& b = batteries_[s.connector];
    SessionRecord r;
    r.id = s.id;
    r.connector = s.connector;
    r.vehicle_model = b.vehicle.model;
    r.arrival = s.arrival;
    r.departure = t;
    r.declared_departure = s.declared_departure;
    r.capacity_kwh = b.vehicle.capacity_kwh;
    r.initial_soc = s.initial_soc;
    r.final_soc = soc_of(s);
    r.requested_kwh = s.requested_kwh;
    if (s.needs.has_goal(s.arrival)) r.goal_kwh = s.needs.goal_kwh;
    r.delivered_kwh = s.register_kwh - s.meter_start_kwh;
    // A V2G charger's registers tell what went each way; an import register alone tells the net.
    r.discharged_kwh = s.export_start_kwh ? std::max(0.0, s.export_kwh - *s.export_start_kwh) : 0.0;
    r.charged_kwh = r.delivered_kwh + r.discharged_kwh;
    r.grid_kwh = r.charged_kwh / ch.efficiency - r.discharged_kwh * ch.efficiency;
    r.departed = departed;
    fleet_.unplug(*b.battery, t, r.final_soc, r);
    b.battery = nullptr;
    b.own.reset();
    if (departed) sink_.event(t, EventKind::departure, s.connector, s.id, "transaction " + s.transaction_id);
    sink_.session_end(r);
    // The rows since the last reading settle at the register's rise to the end, so that the
    // session's rows add up to its record's energy.
    sink_.reading(t, s.connector, s.register_kwh, true);
    sample(t, s.connector);
    sink_.unmetered(s.connector);
    caps_.erase(s.id);
    tell(LiveChange::Kind::session_ended, s.connector, t, &s);
}

void LiveTwin::tell(LiveChange::Kind kind, ConnectorIndex c, Time t, const Session* s) {
    if (!observer_) return;
    LiveChange change;
    change.kind = kind;
    change.t = t;
    change.connector = c;
    if (s) change.session = *s;
    change.power_kw = connectors_[c].power_kw;
    observer_(change);
}

void LiveTwin::set_change_observer(std::function<void(const LiveChange&)> observer) {
    std::lock_guard lock(mutex_);
    observer_ = std::move(observer);
}

bool LiveTwin::set_session_cap(SessionId session, std::optional<SessionCap> cap) {
    std::lock_guard lock(mutex_);
    const auto open = std::find_if(sessions_.begin(), sessions_.end(),
                                   [&](const Session& s) { return s.id == session && s.open; });
    if (open == sessions_.end()) return false;
    if (cap)
        caps_[session] = std::move(*cap);
    else
        caps_.erase(session);
    return true;
}

double LiveTwin::soc_of(const Session& s) const {
    if (s.reported_soc) return *s.reported_soc;
    const VehicleSpec& v = batteries_[s.connector].vehicle;
    return std::clamp(
        s.initial_soc + (s.register_kwh - s.meter_start_kwh) * v.charge_efficiency / v.capacity_kwh, 0.0,
        1.0);
}

bool LiveTwin::meter(ConnectorIndex c, Time t, const MeterReading& reading) {
    std::lock_guard lock(mutex_);
    advance(t);
    LiveConnectorState& cs = connectors_[c];
    if (cs.session) {
        Session& s = sessions_[*cs.session];
        if (reading.register_kwh) {
            // Without a power reading, the power is the register's rise over the span since the
            // power was last derived, once that span is long enough; until then it stays as it was.
            RegisterMark& from = power_from_[c];
            const bool long_enough = from.known && last_t_ - from.t >= kMinRiseSpan;
            const double floor = reading.bidirectional ? -kUnlimited : 0.0;
            if (!reading.power_kw && long_enough)
                cs.power_kw =
                    std::max(floor, *reading.register_kwh - from.kwh) / (last_t_ - from.t).hours_f();
            if (reading.power_kw || long_enough || !from.known) from = {*reading.register_kwh, last_t_, true};
            // An import register only rises (a lower reading is a glitch); import minus export
            // falls as the vehicle gives energy back.
            s.register_kwh = reading.bidirectional ? *reading.register_kwh
                                                   : std::max(s.register_kwh, *reading.register_kwh);
            s.register_t = last_t_;
            sink_.reading(last_t_, c, s.register_kwh);
        }
        if (reading.soc) s.reported_soc = std::clamp(*reading.soc, 0.0, 1.0);
        if (reading.export_register_kwh) {
            if (!s.export_start_kwh) s.export_start_kwh = *reading.export_register_kwh;
            s.export_kwh = std::max(s.export_kwh, *reading.export_register_kwh);
        }
        batteries_[c].battery->at(last_t_, soc_of(s));  // a point of its SoC trace, for its ageing
    }
    if (reading.power_kw)
        cs.power_kw = reading.bidirectional ? *reading.power_kw : std::max(0.0, *reading.power_kw);
    cs.power_kw = within_rating(c, cs.power_kw);
    sample(last_t_, c);
    if (cs.session) tell(LiveChange::Kind::session_metered, c, last_t_, &sessions_[*cs.session]);
    return std::exchange(decision_due_, false);
}

// A connector cannot draw more than its rating: a reading above it (beyond the meter's grace) is a
// meter or configuration fault more often than a real draw, and must not drive the site's flows or
// the strategy. The rating is counted instead, and the excess recorded once as it begins, as a
// `charger_max_unresolved` violation (like node_limit_unresolved: the excess kW, left in place).
double LiveTwin::within_rating(ConnectorIndex c, double kw) {
    const double rating_kw = spec_.chargers[site_.connectors()[c].charger_spec].max_kw;
    const bool above = kw > rating_kw + kMeterGraceKw;
    if (above && !above_rating_[c])
        sink_.violation(last_t_,
                        {"charger_max_unresolved", site_.connectors()[c].node, c, kw - rating_kw, 0.0});
    above_rating_[c] = above;
    return above ? rating_kw : kw;
}

bool LiveTwin::declare(SessionId session, const SessionIntent& intent) {
    std::lock_guard lock(mutex_);
    for (Session& s : sessions_) {
        if (s.id != session || !s.open) continue;
        if (intent.departure) s.declared_departure = std::max(*intent.departure, s.arrival);
        const double delivered_kwh = s.register_kwh - s.meter_start_kwh;
        const double capacity_kwh = batteries_[s.connector].vehicle.capacity_kwh;
        if (intent.energy_kwh)
            s.requested_kwh =
                std::max(0.0, *intent.energy_kwh + (intent.energy_from_now ? delivered_kwh : 0.0));
        else if (intent.target_soc)
            s.requested_kwh = delivered_kwh + std::max(0.0, (*intent.target_soc - soc_of(s)) * capacity_kwh);
        if (intent.max_energy_kwh)
            s.requested_kwh =
                std::min(s.requested_kwh, delivered_kwh + std::max(0.0, *intent.max_energy_kwh));
        if (intent.max_discharge_kw) s.declared_discharge_kw = std::max(0.0, *intent.max_discharge_kw);
        VehicleSpec& vehicle = batteries_[s.connector].vehicle;
        if (intent.min_energy_kwh && vehicle.capacity_kwh > 0.0)
            s.declared_min_soc =
                std::clamp(soc_of(s) + *intent.min_energy_kwh / vehicle.capacity_kwh, 0.0, 1.0);
        with_declared_v2g(s, vehicle);
        if (intent.min_charge_kw) s.needs.min_charge_kw = *intent.min_charge_kw;
        if (intent.goal) {
            s.needs.goal_by = intent.goal->goal_by;
            s.needs.goal_kwh = intent.goal->goal_kwh;
            s.needs.value_per_kwh = intent.goal->value_per_kwh;
        }
        return true;
    }
    return false;
}

std::optional<SessionId> LiveTwin::session_of(const std::string& transaction_id) const {
    std::lock_guard lock(mutex_);
    for (const Session& s : sessions_)
        if (s.open && s.transaction_id == transaction_id) return s.id;
    return std::nullopt;
}

void LiveTwin::set_online(ConnectorIndex c, Time t, bool online) {
    std::lock_guard lock(mutex_);
    advance(t);
    if (connectors_[c].online == online) return;
    connectors_[c].online = online;
    sink_.event(last_t_, online ? EventKind::repair : EventKind::fault, c, 0, online ? "online" : "offline");
    sample(last_t_, c);
    tell(LiveChange::Kind::connector, c, last_t_, nullptr);
}

void LiveTwin::set_discharge_profiles(ConnectorIndex c, bool supported) {
    std::lock_guard lock(mutex_);
    connectors_[c].discharge_profiles = supported;
}

void LiveTwin::set_faulted(ConnectorIndex c, Time t, bool faulted) {
    std::lock_guard lock(mutex_);
    advance(t);
    if (connectors_[c].faulted == faulted) return;
    connectors_[c].faulted = faulted;
    sink_.event(last_t_, faulted ? EventKind::fault : EventKind::repair, c, 0,
                faulted ? "faulted" : "available");
    sample(last_t_, c);
    tell(LiveChange::Kind::connector, c, last_t_, nullptr);
}

void LiveTwin::limit_ignored(ConnectorIndex c, Time t, double limit_kw, double measured_kw) {
    std::lock_guard lock(mutex_);
    advance(t);
    Violation v;
    v.kind = "limit_ignored";
    v.connector = c;
    v.node = site_.connectors()[c].node;
    v.requested_kw = limit_kw;
    v.applied_kw = measured_kw;
    sink_.violation(last_t_, v);
}

void LiveTwin::note(Time t, ConnectorIndex c, const std::string& what) {
    std::lock_guard lock(mutex_);
    advance(t);
    sink_.event(last_t_, EventKind::strategy, c, 0, what);
}

std::vector<LiveConnectorState> LiveTwin::connectors() const {
    std::lock_guard lock(mutex_);
    return connectors_;
}

std::vector<LiveSessionState> LiveTwin::sessions() const {
    std::lock_guard lock(mutex_);
    std::vector<LiveSessionState> out;
    for (const Session& s : sessions_) {
        if (!s.open) continue;
        out.push_back({s.id, s.connector, s.transaction_id, s.arrival, s.declared_departure, s.requested_kwh,
                       s.register_kwh - s.meter_start_kwh, connectors_[s.connector].power_kw, soc_of(s)});
    }
    return out;
}

std::size_t LiveTwin::decisions() const {
    std::lock_guard lock(mutex_);
    return decisions_;
}

void LiveTwin::flush(const std::function<void(const std::vector<LiveSession>& open)>& also) {
    // What the twin reported is taken under its lock and written outside it, so that no charge
    // point's answer waits for the database; write_mutex_, taken first, keeps the writes in order.
    std::lock_guard write(write_mutex_);
    std::vector<DeferredSink::Call> rows;
    std::vector<LiveSession> open;
    std::optional<std::vector<LiveReservationState>> reservations;
    {
        std::lock_guard lock(mutex_);
        if (finished_) return;
        sample_site(last_t_);
        sink_.release(last_t_);
        rows = deferred_.take();
        if (also)
            for (const Session& s : sessions_)
                if (s.open) open.push_back(s);
        if (reservation_store_ && reservation_changes_ != reservation_changes_saved_) {
            reservations.emplace();
            for (std::uint32_t id = 0; id < reservations_.size(); ++id)
                reservations->push_back(reservation_state(id));
            reservation_changes_saved_ = reservation_changes_;
        }
    }
    DeferredSink::pass_on(rows, out_);
    if (also) also(open);
    if (reservations) reservation_store_(*reservations);
    out_.flush();
}

void LiveTwin::write_rows(const std::function<void()>& write) {
    std::lock_guard lock(write_mutex_);
    if (!finished_) write();
}

void LiveTwin::finish(Time t, bool interrupted) {
    std::lock_guard write(write_mutex_);
    std::unique_lock lock(mutex_);
    if (finished_) return;
    advance(t);
    for (std::size_t i = 0; i < sessions_.size(); ++i)
        if (sessions_[i].open) end_session(i, last_t_, false);
    std::vector<double> ess_soc;
    for (const Ess& e : ess_) ess_soc.push_back(e.soc());
    fleet_.finish(last_t_, ess_soc, sink_);
    sample_site(last_t_);
    sink_.event(last_t_, interrupted ? EventKind::interrupted : EventKind::run_end, kNone, 0, "live");
    sink_.end_run(last_t_, interrupted);
    finished_ = true;
    const std::vector<DeferredSink::Call> rows = deferred_.take();
    lock.unlock();
    DeferredSink::pass_on(rows, out_);
}

}  // namespace evtwin::serve
