#include "ocpp/replay.hpp"
#include "ocpp/transaction_meter.hpp"

#include "record/schema/sqlite_db.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>

// The comparison of a replay with the log (validate), the log's and the twin's grid power (whatif),
// and their tables.

namespace evtwin::ocpp {

namespace {
char state_letter(const std::string& status) {
    if (status == "Charging") return 'C';
    if (status == "Preparing" || status == "SuspendedEV" || status == "SuspendedEVSE" ||
        status == "Finishing" || status == "Occupied")
        return 'B';
    if (status == "Available" || status == "Reserved") return 'A';
    if (status == "Faulted" || status == "Unavailable") return 'E';
    return '?';
}

void append_state(std::string& seq, char s) {
    if (!seq.empty() && seq.back() == s) return;
    if (!seq.empty()) seq += ' ';
    seq += s;
}

struct ErrorSum {
    std::size_t n = 0;
    double abs = 0, sq = 0;
    void add(double logged, double twin) {
        ++n;
        abs += std::abs(twin - logged);
        sq += (twin - logged) * (twin - logged);
    }
    std::optional<double> mae() const { return n ? std::optional<double>(abs / n) : std::nullopt; }
    std::optional<double> rmse() const { return n ? std::optional<double>(std::sqrt(sq / n)) : std::nullopt; }
};

// Power samples (kW) of a transaction: import less export, at each instant the meter reports either.
std::vector<std::pair<std::int64_t, double>> power_samples(const Import& im, const Transaction& tx) {
    std::map<std::int64_t, double> net = samples_of(im, tx, "Power.Active.Import", "kW");
    for (const auto& [t, kw] : samples_of(im, tx, "Power.Active.Export", "kW")) net[t] -= kw;
    return {net.begin(), net.end()};
}

// The twin's inlet power on one connector: rows hold until the next one.
struct Trace {
    std::vector<ConnectorRow> rows;
    double efficiency = 1.0;
    // The charger's losses lie between the grid and the inlet, in either direction.
    double inlet_kw(double grid_kw) const {
        return grid_kw > 0 ? grid_kw * efficiency : grid_kw / efficiency;
    }
    double kw_at(std::int64_t t) const {
        double kw = 0;
        for (const ConnectorRow& r : rows) {
            if (r.t.ms() > t) break;
            kw = r.grid_kw;
        }
        return inlet_kw(kw);
    }
    double kwh_between(std::int64_t from, std::int64_t to) const {
        double kwh = 0;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const std::int64_t a = std::max(rows[i].t.ms(), from);
            const std::int64_t b = std::min(i + 1 < rows.size() ? rows[i + 1].t.ms() : to, to);
            if (b > a) kwh += inlet_kw(rows[i].grid_kw) * static_cast<double>(b - a) / 3'600'000.0;
        }
        return kwh;
    }
};

}  // namespace

std::vector<SessionComparison> compare_run(const Import& im, const Replay& replay, const RunReader& reader,
                                           RunId run, const Thresholds& th) {
    const SiteTree site = reader.site(run);
    std::map<SessionId, SessionRecord> records;
    for (SessionRecord& s : reader.sessions(run)) records[s.id] = std::move(s);
    std::map<ConnectorIndex, Trace> traces;
    std::vector<SessionComparison> out;
    for (const ReplaySession& rs : replay.sessions) {
        const Transaction& tx = rs.tx;
        SessionComparison c;
        c.session_id = rs.id;
        c.cs = tx.cs;
        c.transaction_id = tx.id;
        c.connector = tx.connector;
        c.start_ms = tx.start_ms;
        c.stop_ms = *tx.stop_ms;
        c.logged_kwh = tx.energy_kwh.value_or(0.0) - tx.exported_kwh.value_or(0.0);
        for (const StatusChange& s : im.site.status_changes)
            if (s.cs == tx.cs && s.connector == tx.connector && s.ts_ms > tx.start_ms &&
                s.ts_ms < *tx.stop_ms)
                append_state(c.logged_states, state_letter(s.status));
        const auto rec = records.find(rs.id);
        if (rec == records.end() || rec->second.connector == kNone ||
            rec->second.connector >= site.connectors.size()) {
            c.passed = false;
            c.failures = "not served";
            out.push_back(std::move(c));
            continue;
        }
        const ConnectorRecord& conn = site.connectors[rec->second.connector];
        c.charger = conn.charger_name;
        c.twin_kwh = rec->second.delivered_kwh;
        if (c.logged_kwh != 0)
            c.energy_error_pct = (c.twin_kwh - c.logged_kwh) / std::abs(c.logged_kwh) * 100.0;
        Trace& trace = traces[conn.index];
        if (trace.rows.empty()) {
            trace.rows = reader.connector_series(run, conn.index);
            trace.efficiency = conn.efficiency;
        }
        // The twin's charging: first and last instants with power during the session.
        std::optional<std::int64_t> twin_start, twin_stop;
        for (std::size_t i = 0; i < trace.rows.size(); ++i) {
            const ConnectorRow& r = trace.rows[i];
            if (r.t.ms() < tx.start_ms || r.t.ms() >= *tx.stop_ms) continue;
            append_state(c.twin_states, to_string(r.state)[0]);
            if (r.grid_kw > 1e-9) {
                if (!twin_start) twin_start = r.t.ms();
                twin_stop =
                    i + 1 < trace.rows.size() ? std::min(trace.rows[i + 1].t.ms(), *tx.stop_ms) : *tx.stop_ms;
            }
        }
        ErrorSum power, reg;
        const auto samples = power_samples(im, tx);
        for (const auto& [t, kw] : samples) power.add(kw, trace.kw_at(t));
        const auto& points = rs.net_register;
        std::optional<std::int64_t> logged_stop;
        for (std::size_t i = 1; i < points.size(); ++i) {
            const auto [t0, e0] = points[i - 1];
            const auto [t1, e1] = points[i];
            if (t1 <= t0) continue;
            const double h = static_cast<double>(t1 - t0) / 3'600'000.0;
            reg.add((e1 - e0) / h, trace.kwh_between(t0, t1) / h);
            if (e1 > e0) logged_stop = t1;
        }
        if (!logged_stop)
            for (const auto& [t, kw] : samples)
                if (kw > 0) logged_stop = t;
        c.power_points = power.n;
        c.power_mae_kw = power.mae();
        c.power_rmse_kw = power.rmse();
        c.register_points = reg.n;
        c.register_mae_kw = reg.mae();
        c.register_rmse_kw = reg.rmse();
        if (twin_start) c.start_error_s = static_cast<double>(*twin_start - tx.start_ms) / 1000.0;
        if (twin_stop)
            c.stop_error_s = static_cast<double>(*twin_stop - logged_stop.value_or(*tx.stop_ms)) / 1000.0;

        std::string failures;
        const auto fail = [&](const char* what) {
            if (!failures.empty()) failures += ' ';
            failures += what;
        };
        if (th.energy_error_pct && c.energy_error_pct && std::abs(*c.energy_error_pct) > *th.energy_error_pct)
            fail("energy");
        if (th.power_mae_kw && c.mae_kw() && *c.mae_kw() > *th.power_mae_kw) fail("power");
        if (th.timing_error_s && ((c.start_error_s && std::abs(*c.start_error_s) > *th.timing_error_s) ||
                                  (c.stop_error_s && std::abs(*c.stop_error_s) > *th.timing_error_s)))
            fail("timing");
        c.passed = failures.empty();
        c.failures = failures;
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<PowerStep> logged_grid_power(const Replay& replay) {
    std::map<std::string, double> efficiency;
    for (const ChargerSpec& c : replay.spec.chargers)
        efficiency[c.name] = c.efficiency > 0 ? c.efficiency : 1.0;
    std::map<std::int64_t, double> delta;  // power changes, summed over the sessions
    for (const ReplaySession& rs : replay.sessions) {
        const double eff = efficiency.count(rs.charger) ? efficiency[rs.charger] : 1.0;
        const std::vector<PowerStep> inlet = net_inlet_power(rs.net_register);
        const bool v2g = discharged(rs.tx);
        for (std::size_t i = 0; i + 1 < inlet.size(); ++i) {
            // The charger's losses: charging draws more from the grid, discharging gives it less. A
            // register that falls in a transaction that never exported is the meter's error, not a
            // discharge: it counts as charging, so that the session's total stays its rise ÷ efficiency.
            const double kw = inlet[i].kw > 0 || !v2g ? inlet[i].kw / eff : inlet[i].kw * eff;
            delta[inlet[i].t.ms()] += kw;
            delta[inlet[i + 1].t.ms()] -= kw;
        }
    }
    std::vector<PowerStep> out{{replay.spec.start, 0.0}};
    double kw = 0;
    for (const auto& [t, d] : delta) {
        kw += d;
        if (std::abs(kw) < 1e-9) kw = 0;
        if (out.back().t.ms() == t)
            out.back().kw = kw;
        else
            out.push_back({Time(t), kw});
    }
    return out;
}

std::vector<PowerStep> twin_grid_power(const RunReader& reader, RunId run) {
    std::vector<PowerStep> out;
    for (const SiteRow& r : reader.site_series(run)) out.push_back({r.t, r.s.grid_kw});
    return out;
}

namespace {
void opt(sqlite::Stmt& s, int i, const std::optional<double>& v) {
    v ? s.bind(i, *v) : s.bind_null(i);
}
std::string_view sv(const std::string& s) {
    return s;
}
}  // namespace

void store_validation(sqlite::Db& db, std::int64_t import_id, RunId run, const std::string& scenario,
                      const std::vector<SessionComparison>& rows, const Thresholds& th) {
    create_or_check_schema(db);
    db.exec("BEGIN IMMEDIATE");
    try {
        std::int64_t failed = 0;
        for (const SessionComparison& c : rows) failed += !c.passed;
        sqlite::Stmt v(db, "INSERT OR REPLACE INTO ocpp_validation VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        v.bind(1, import_id)
            .bind(2, run)
            .bind(3, sv(scenario))
            .bind(4, static_cast<std::int64_t>(rows.size()))
            .bind(5, failed);
        opt(v, 6, th.energy_error_pct);
        opt(v, 7, th.power_mae_kw);
        opt(v, 8, th.timing_error_s);
        v.run();
        sqlite::Stmt s(
            db,
            "INSERT OR REPLACE INTO ocpp_validation_sessions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
            "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)");
        for (const SessionComparison& c : rows) {
            s.bind(1, import_id)
                .bind(2, run)
                .bind(3, static_cast<std::int64_t>(c.session_id))
                .bind(4, sv(c.cs))
                .bind(5, std::int64_t{c.connector})
                .bind(6, sv(c.transaction_id))
                .bind(7, sv(c.charger))
                .bind(8, c.start_ms)
                .bind(9, c.stop_ms)
                .bind(10, c.logged_kwh)
                .bind(11, c.twin_kwh);
            opt(s, 12, c.energy_error_pct);
            s.bind(13, static_cast<std::int64_t>(c.power_points));
            opt(s, 14, c.power_mae_kw);
            opt(s, 15, c.power_rmse_kw);
            s.bind(16, static_cast<std::int64_t>(c.register_points));
            opt(s, 17, c.register_mae_kw);
            opt(s, 18, c.register_rmse_kw);
            opt(s, 19, c.start_error_s);
            opt(s, 20, c.stop_error_s);
            s.bind(21, sv(c.logged_states))
                .bind(22, sv(c.twin_states))
                .bind(23, std::int64_t{c.logged_states == c.twin_states})
                .bind(24, std::int64_t{c.passed})
                .bind(25, sv(c.failures));
            s.run();
        }
        db.exec("COMMIT");
    } catch (...) {
        db.exec("ROLLBACK");
        throw;
    }
}

void store_whatif(sqlite::Db& db, std::int64_t import_id, RunId run, const WhatIf& w) {
    create_or_check_schema(db);
    sqlite::Stmt s(db,
                   "INSERT OR REPLACE INTO ocpp_whatif VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                   "?12, ?13, ?14)");
    s.bind(1, import_id)
        .bind(2, run)
        .bind(3, sv(w.strategy))
        .bind(4, sv(w.currency))
        .bind(5, w.logged_kwh)
        .bind(6, w.twin_kwh)
        .bind(7, w.logged.total())
        .bind(8, w.twin.total())
        .bind(9, w.logged.energy_cost)
        .bind(10, w.twin.energy_cost)
        .bind(11, w.logged.demand_charge)
        .bind(12, w.twin.demand_charge)
        .bind(13, w.logged.peak_import_kw)
        .bind(14, w.twin.peak_import_kw);
    s.run();
}

}  // namespace evtwin::ocpp
