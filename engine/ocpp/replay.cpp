#include "ocpp/replay.hpp"
#include "ocpp/transaction_meter.hpp"

#include <evtwin/errors.hpp>
#include "model/bill.hpp"
#include "model/local_time.hpp"
#include "record/schema/sqlite_db.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace evtwin::ocpp {

namespace {

// Wakes the strategy at every change of a composed limit (set_limit wakes it) and puts the
// station maximum (connector 0) on the charger's node; elsewhere the scenario's limit. Wakes it as
// well where a V2G session's meter changes its power.
class LimitScript final : public ScenarioScript {
public:
    struct Change {
        Time t;
        std::string charger;  // empty: a wake alone
        std::optional<double> station_kw;
    };
    explicit LimitScript(std::vector<Change> changes) : changes_(std::move(changes)) {
        for (const Change& c : changes_) timers_.push_back(HookTimer{c.t, Duration::milliseconds(0)});
    }
    std::unique_ptr<ScriptRun> start_run() const override { return std::make_unique<Run>(*this); }

private:
    struct Run final : ScriptRun {
        explicit Run(const LimitScript& s) : s_(s) {}
        const std::vector<HookTimer>& timers() const override { return s_.timers_; }
        void on_timer(std::size_t i, SiteControl& site) override {
            const Change& c = s_.changes_[i];
            if (c.charger.empty())
                site.decide_now();
            else if (c.station_kw)
                site.set_limit(c.charger, *c.station_kw, std::nullopt);
            else
                site.restore_limit(c.charger);
        }
        bool wants(HookEventKind) const override { return false; }
        void on_event(const HookEvent&, SiteControl&) override {}
        const LimitScript& s_;
    };
    std::vector<Change> changes_;
    std::vector<HookTimer> timers_;
};

std::optional<double> limit_at(const std::vector<EffectiveLimit>& limits, std::int64_t t) {
    for (const EffectiveLimit& l : limits)
        if (l.from_ms <= t && t < l.to_ms) return l.limit_kw;
    return std::nullopt;
}

// The value of a step series at t: the last step at or before it; 0 before the first.
double step_at(const std::vector<PowerStep>& steps, Time t) {
    double kw = 0.0;
    for (const PowerStep& s : steps) {
        if (s.t > t) break;
        kw = s.kw;
    }
    return kw;
}

// Throws unless every charge point of the log is a charger of the scenario, by name, with at least
// the connectors the log uses.
void check_chargers_cover(const Import& im, const ScenarioSpec& scenario, const std::string& where) {
    std::map<std::string, int> needed;  // charge point -> highest connector the log names
    for (const Transaction& t : im.site.transactions) needed[t.cs] = std::max(needed[t.cs], t.connector);
    for (const StatusChange& s : im.site.status_changes) needed[s.cs] = std::max(needed[s.cs], s.connector);
    for (const auto& [cs, connectors] : needed) {
        const auto it = std::find_if(scenario.chargers.begin(), scenario.chargers.end(),
                                     [&name = cs](const ChargerSpec& c) { return c.name == name; });
        if (it == scenario.chargers.end()) {
            std::string known;
            for (const ChargerSpec& c : scenario.chargers) known += (known.empty() ? "" : ", ") + c.name;
            throw DataError(
                where + ": no charger '" + cs + "' for the log's charge point " + cs +
                " (a charger is mapped by name; the scenario has: " + (known.empty() ? "none" : known) + ")");
        }
        if (it->connectors < connectors)
            throw DataError(where + ": charger '" + cs + "' has " + std::to_string(it->connectors) +
                            " connector(s), but the log uses connector " + std::to_string(connectors));
    }
}

// Throws unless the charger of transaction t, which gave energy back, can discharge.
void require_v2g_charger(const ScenarioSpec& scenario, const Transaction& t, const std::string& where) {
    for (const ChargerSpec& c : scenario.chargers) {
        if (c.name != t.cs || c.v2g_capable) continue;
        char kwh[32];
        std::snprintf(kwh, sizeof kwh, "%.3f", *t.exported_kwh);
        throw DataError(where + ": charger '" + t.cs + "' is not V2G-capable, but the log's transaction " +
                        t.id + " gave " + kwh + " kWh back through it (set v2g = true on the charger)");
    }
}

// The transactions a replay can drive, by start; why each other one is left out goes to `skipped`.
std::vector<const Transaction*> replayable(const std::vector<Transaction>& transactions,
                                           std::vector<std::string>& skipped) {
    std::vector<const Transaction*> txs;
    for (const Transaction& t : transactions) {
        const std::string which = "transaction " + t.id + " of " + t.cs + ": ";
        if (!t.stop_ms)
            skipped.push_back(which + "never stops");
        else if (!t.meter_start_wh || !t.meter_stop_wh)
            skipped.push_back(which + "no meter start/stop");
        else if (!t.energy_kwh)
            skipped.push_back(which + "its meter went down");
        else if (*t.stop_ms <= t.start_ms)
            skipped.push_back(which + "stops before it starts");
        else
            txs.push_back(&t);
    }
    std::stable_sort(txs.begin(), txs.end(),
                     [](const Transaction* a, const Transaction* b) { return a->start_ms < b->start_ms; });
    return txs;
}

// The logged transaction as a session of the twin: its times and energy, on a vehicle that never
// limits what the charger gives. `points` is its net register (ocpp/transaction_meter.hpp).
SessionSpec session_of(const Transaction& t, SessionId id,
                       const std::vector<std::pair<std::int64_t, double>>& points, bool follow_meter) {
    SessionSpec spec;
    spec.id = id;
    spec.station = t.cs;
    spec.arrival = Time(t.start_ms);
    spec.departure = spec.declared_departure = Time(*t.stop_ms);
    spec.requested_kwh = *t.energy_kwh;
    spec.initial_soc = 0.1;
    spec.vehicle.model = "logged " + t.cs + "/" + std::to_string(t.connector);
    spec.vehicle.capacity_kwh = std::max(100.0, 4.0 * spec.requested_kwh);
    // Above any charger, so the log's vehicle never limits (not larger: the engine ends charging
    // when less than a millisecond of energy at this power is left).
    spec.vehicle.max_ac_kw = spec.vehicle.max_dc_kw = 1000.0;
    spec.vehicle.curve.clear();
    if (discharged(t) && !points.empty()) {
        // A vehicle that follows its meter must still want energy until its net register peaks;
        // one under another strategy wants what it left with.
        double most = 0.0;
        for (const auto& [ms, kwh] : points) most = std::max(most, kwh - points.front().second);
        const double net = points.back().second - points.front().second;
        spec.requested_kwh = follow_meter ? most : std::max(0.0, net);
        spec.vehicle.v2g_allowed = true;
        spec.vehicle.max_discharge_kw = spec.vehicle.max_ac_kw;
        spec.vehicle.capacity_kwh = std::max(100.0, 4.0 * (*t.energy_kwh + *t.exported_kwh));
        spec.initial_soc = 0.5;  // room to charge and energy to give, each more than the log shows
    }
    return spec;
}

// A script that puts the composed station limits on the chargers as they change within [start, end);
// none when they never do.
std::shared_ptr<const ScenarioScript> logged_limits_script(const Import& im, const ScenarioSpec& scenario,
                                                           const std::vector<ReplaySession>& sessions,
                                                           Time start, Time end) {
    std::set<std::string> chargers;
    for (const ChargerSpec& c : scenario.chargers) chargers.insert(c.name);
    std::map<std::string, std::vector<EffectiveLimit>> station;
    std::set<std::pair<std::int64_t, std::string>> cuts;
    for (const EffectiveLimit& l : im.limits) {
        if (!chargers.count(l.cs)) continue;
        cuts.insert({l.from_ms, l.cs});
        cuts.insert({l.to_ms, l.cs});
        if (l.connector == 0) station[l.cs].push_back(l);
    }
    std::vector<LimitScript::Change> changes;
    for (const auto& [t, cs] : cuts) {
        if (t < start.ms() || t >= end.ms()) continue;
        changes.push_back({Time(t), cs, limit_at(station[cs], t)});
    }
    for (const ReplaySession& s : sessions)
        for (const PowerStep& step : s.metered)
            if (step.t >= start && step.t < end) changes.push_back({step.t, "", std::nullopt});
    std::stable_sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) { return a.t < b.t; });
    if (changes.empty()) return nullptr;
    return std::make_shared<LimitScript>(std::move(changes));
}

}  // namespace

Replay build_replay(const Import& im, const ScenarioSpec& scenario, const ReplayOptions& options) {
    Replay r;
    r.spec = scenario;
    r.spec.sessions.clear();
    r.spec.script.reset();
    r.spec.pv.clear();
    r.spec.ess.clear();
    r.spec.loads.clear();
    const std::string where = scenario.source_file.empty() ? std::string("scenario") : scenario.source_file;
    check_chargers_cover(im, scenario, where);

    std::int64_t first = INT64_MAX, last = INT64_MIN;
    for (const Frame& f : im.log.frames) {
        first = std::min(first, f.ts_ms);
        last = std::max(last, f.ts_ms);
    }
    const std::vector<const Transaction*> txs = replayable(im.site.transactions, r.skipped);
    if (txs.empty()) {
        r.spec.start = Time(first == INT64_MAX ? 0 : first);
        r.spec.end = r.spec.start + Duration::minutes(1);
        return r;
    }
    first = std::min(first, txs.front()->start_ms);
    for (const Transaction* t : txs) last = std::max(last, *t->stop_ms);
    // Whole minutes around the log, so control periods fall on round times.
    r.spec.start = Time(first - ((first % 60'000) + 60'000) % 60'000);
    r.spec.end = Time(last + 60'000);
    if (const std::string gap = missing_prices(*r.spec.tariff, r.spec.start, r.spec.end, "the log's period");
        !gap.empty())
        throw DataError(where + ": its tariff " + gap);

    for (const Transaction* t : txs) {
        ReplaySession s;
        s.id = static_cast<SessionId>(r.sessions.size() + 1);
        s.tx = *t;
        s.charger = t->cs;
        for (const EffectiveLimit& l : im.limits)
            if (l.cs == t->cs && l.connector == std::max(t->connector, 1)) s.limits.push_back(l);
        s.net_register = net_register_points(im, *t);
        if (discharged(*t)) {
            require_v2g_charger(scenario, *t, where);
            s.metered = net_inlet_power(s.net_register);
        }
        r.spec.sessions.push_back(session_of(*t, s.id, s.net_register, options.follow_limits));
        r.sessions.push_back(std::move(s));
    }
    if (options.follow_limits)
        r.spec.script = logged_limits_script(im, scenario, r.sessions, r.spec.start, r.spec.end);
    return r;
}

LoggedLimitsStrategy::LoggedLimitsStrategy(const Replay& replay) : replay_(replay) {}

namespace {

// Grid side: as fast as the composed OCPP limit (what the vehicle may draw, at the inlet) allows;
// for a V2G session, its meter's net power now within that.
double logged_setpoint(const ReplaySession& rs, const SessionView& s, Time now) {
    const double efficiency = std::max(s.charge_efficiency, 1e-9);
    double kw = s.remaining_kwh > 0 ? s.max_charge_kw : 0.0;
    if (const auto limit = limit_at(rs.limits, now.ms())) kw = std::min(kw, *limit / efficiency);
    kw = std::max(kw, 0.0);
    if (rs.metered.empty()) return kw;
    const double inlet = step_at(rs.metered, now);
    if (inlet >= 0) return std::min(kw, inlet / efficiency);
    return -std::min(s.max_discharge_kw, -inlet * efficiency);
}

}  // namespace

void LoggedLimitsStrategy::decide(const Observation& obs, Decision& out) {
    std::map<NodeIndex, double> per_charger;  // what its connectors draw
    for (std::size_t c = 0; c < obs.connectors.size(); ++c) {
        const ConnectorView& cv = obs.connectors[c];
        if (cv.session == kNone) continue;
        const SessionView& s = obs.sessions[cv.session];
        const bool logged = s.id >= 1 && s.id <= replay_.sessions.size();
        const double kw = logged ? logged_setpoint(replay_.sessions[s.id - 1], s, obs.now)
                                 : (s.remaining_kwh > 0 ? s.max_charge_kw : 0.0);
        out.connector_kw[c] = kw;
        if (kw > 0) per_charger[cv.charger] += kw;
    }
    // Connectors of one charger share its node's limit (the station maximum) in proportion.
    for (std::size_t c = 0; c < obs.connectors.size(); ++c) {
        const NodeIndex n = obs.connectors[c].charger;
        if (n == kNone || n >= obs.nodes.size() || out.connector_kw[c] <= 0) continue;
        const double cap = obs.nodes[n].import_limit_kw, sum = per_charger[n];
        if (sum > cap && sum > 0) out.connector_kw[c] *= cap / sum;
    }
}

}  // namespace evtwin::ocpp
