#include "serve/live/live_sessions.hpp"

#include "record/schema/sqlite_db.hpp"

#include <algorithm>

namespace evtwin::serve {

void create_live_sessions(sqlite::Db& db) {
    db.exec(R"sql(
CREATE TABLE IF NOT EXISTS live_sessions (
  run_id INTEGER NOT NULL,
  session INTEGER NOT NULL,
  connector INTEGER NOT NULL,
  transaction_id TEXT NOT NULL,
  arrival_ms INTEGER NOT NULL,
  declared_departure_ms INTEGER NOT NULL,
  requested_kwh REAL NOT NULL,
  meter_start_kwh REAL NOT NULL,
  register_kwh REAL NOT NULL,
  register_ms INTEGER NOT NULL,
  initial_soc REAL NOT NULL,
  reported_soc REAL,
  id_tag TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, session)
) WITHOUT ROWID)sql");
    // A database from before sessions kept their vehicle's token, its declared discharge rating and
    // SoC floor, its export register, and its driver's needs.
    for (const auto& [column, type] :
         {std::pair{"id_tag", "TEXT NOT NULL DEFAULT ''"}, std::pair{"declared_discharge_kw", "REAL"},
          std::pair{"export_start_kwh", "REAL"}, std::pair{"export_kwh", "REAL NOT NULL DEFAULT 0"},
          std::pair{"declared_min_soc", "REAL"}, std::pair{"min_charge_kw", "REAL NOT NULL DEFAULT 0"},
          std::pair{"goal_by_ms", "INTEGER NOT NULL DEFAULT 0"},
          std::pair{"goal_kwh", "REAL NOT NULL DEFAULT 0"},
          std::pair{"goal_value_per_kwh", "REAL NOT NULL DEFAULT 0"}}) {
        sqlite::Stmt has(db, "SELECT 1 FROM pragma_table_info('live_sessions') WHERE name = ?1");
        has.bind(1, std::string_view(column));
        if (!has.step())
            db.exec("ALTER TABLE live_sessions ADD COLUMN " + std::string(column) + " " + std::string(type));
    }
}

LiveSessionStore::LiveSessionStore(sqlite::Db& db, RunId run)
    : run_(run),
      upsert_(
          db,
          "INSERT OR REPLACE INTO live_sessions (run_id, session, connector, transaction_id, arrival_ms, "
          "declared_departure_ms, requested_kwh, meter_start_kwh, register_kwh, register_ms, initial_soc, "
          "reported_soc, id_tag, declared_discharge_kw, export_start_kwh, export_kwh, declared_min_soc, "
          "min_charge_kw, goal_by_ms, goal_kwh, goal_value_per_kwh) "
          "VALUES "
          "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)"),
      remove_(db, "DELETE FROM live_sessions WHERE run_id = ?1 AND session = ?2") {
    sqlite::Stmt(db, "DELETE FROM live_sessions WHERE run_id = ?1").bind(1, run_).run();
}

void LiveSessionStore::save(const std::vector<LiveSession>& open) {
    ++saves_;
    for (const LiveSession& s : open) {
        Saved& saved = saved_[s.id];
        const bool unchanged = saved.seen != 0 && saved.session == s;
        saved.seen = saves_;
        if (unchanged) continue;
        saved.session = s;
        upsert_.bind(1, run_)
            .bind(2, std::int64_t{s.id})
            .bind(3, std::int64_t{s.connector})
            .bind(4, std::string_view(s.transaction_id))
            .bind(5, s.arrival.ms())
            .bind(6, s.declared_departure.ms())
            .bind(7, s.requested_kwh)
            .bind(8, s.meter_start_kwh)
            .bind(9, s.register_kwh)
            .bind(10, s.register_t.ms())
            .bind(11, s.initial_soc);
        s.reported_soc ? upsert_.bind(12, *s.reported_soc) : upsert_.bind_null(12);
        upsert_.bind(13, std::string_view(s.id_tag));
        s.declared_discharge_kw ? upsert_.bind(14, *s.declared_discharge_kw) : upsert_.bind_null(14);
        s.export_start_kwh ? upsert_.bind(15, *s.export_start_kwh) : upsert_.bind_null(15);
        upsert_.bind(16, s.export_kwh);
        s.declared_min_soc ? upsert_.bind(17, *s.declared_min_soc) : upsert_.bind_null(17);
        upsert_.bind(18, s.needs.min_charge_kw)
            .bind(19, s.needs.goal_by.ms())
            .bind(20, s.needs.goal_kwh)
            .bind(21, s.needs.value_per_kwh);
        upsert_.run();
    }
    for (auto it = saved_.begin(); it != saved_.end();) {
        if (it->second.seen == saves_) {
            ++it;
            continue;
        }
        remove_.bind(1, run_).bind(2, std::int64_t{it->first}).run();
        it = saved_.erase(it);
    }
}

LiveResume load_live_resume(sqlite::Db& db, RunId run, Time at) {
    LiveResume r;
    r.at = at;
    sqlite::Stmt q(
        db,
        "SELECT session, connector, transaction_id, arrival_ms, declared_departure_ms, requested_kwh, "
        "meter_start_kwh, register_kwh, register_ms, initial_soc, reported_soc, id_tag, "
        "declared_discharge_kw, export_start_kwh, export_kwh, declared_min_soc, min_charge_kw, goal_by_ms, "
        "goal_kwh, goal_value_per_kwh FROM live_sessions "
        "WHERE run_id = ?1 ORDER BY session");
    q.bind(1, run);
    while (q.step()) {
        LiveSession s;
        s.id = static_cast<SessionId>(q.int64(0));
        s.connector = static_cast<ConnectorIndex>(q.int64(1));
        s.transaction_id = q.text(2);
        s.arrival = Time(q.int64(3));
        s.declared_departure = Time(q.int64(4));
        s.requested_kwh = q.real(5);
        s.meter_start_kwh = q.real(6);
        s.register_kwh = q.real(7);
        s.register_t = Time(q.int64(8));
        s.initial_soc = q.real(9);
        if (!q.is_null(10)) s.reported_soc = q.real(10);
        s.id_tag = q.text(11);
        if (!q.is_null(12)) s.declared_discharge_kw = q.real(12);
        if (!q.is_null(13)) s.export_start_kwh = q.real(13);
        s.export_kwh = q.real(14);
        if (!q.is_null(15)) s.declared_min_soc = q.real(15);
        s.needs = ChargingNeeds{q.real(16), Time(q.int64(17)), q.real(18), q.real(19)};
        r.next_session = std::max(r.next_session, s.id + 1);
        r.open.push_back(std::move(s));
    }
    sqlite::Stmt last(db, "SELECT max(session) FROM sessions WHERE run_id = ?1");
    last.bind(1, run);
    if (last.step() && !last.is_null(0))
        r.next_session = std::max(r.next_session, static_cast<SessionId>(last.int64(0) + 1));
    return r;
}

RunId running_live_run(sqlite::Db& db, const std::string& scenario, const std::string& strategy) {
    sqlite::Stmt q(db,
                   "SELECT max(r.run_id) FROM runs r WHERE r.status = 'running' AND r.scenario_name = ?1 AND "
                   "r.strategy_name = ?2 AND EXISTS (SELECT 1 FROM events e WHERE e.run_id = r.run_id AND "
                   "e.kind = 'run_start' AND e.detail LIKE 'live%')");
    q.bind(1, std::string_view(scenario)).bind(2, std::string_view(strategy));
    return q.step() && !q.is_null(0) ? q.int64(0) : 0;
}

}  // namespace evtwin::serve
