#include "serve/ocpi/ocpi_profile_store.hpp"

namespace evtwin::serve::ocpi {

void create_live_charging_profiles(sqlite::Db& db) {
    db.exec(R"sql(
CREATE TABLE IF NOT EXISTS live_charging_profiles (
  run_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  session INTEGER NOT NULL,
  action TEXT NOT NULL,
  cap_kw REAL,
  profile_json TEXT NOT NULL,
  party TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID)sql");
}

ProfileStore::ProfileStore(sqlite::Db& db, std::uint64_t run)
    : run_(run),
      insert_(db,
              "INSERT INTO live_charging_profiles (run_id, seq, t_ms, session, action, cap_kw, profile_json, "
              "party) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)") {
    sqlite::Stmt last(db, "SELECT coalesce(max(seq) + 1, 0) FROM live_charging_profiles WHERE run_id = ?1");
    last.bind(1, static_cast<std::int64_t>(run));
    if (last.step()) seq_ = last.int64(0);
}

void ProfileStore::insert(const ProfileRecord& r) {
    insert_.bind(1, static_cast<std::int64_t>(run_))
        .bind(2, seq_++)
        .bind(3, r.t.ms())
        .bind(4, static_cast<std::int64_t>(r.session))
        .bind(5, std::string_view(r.action));
    if (r.cap_kw)
        insert_.bind(6, *r.cap_kw);
    else
        insert_.bind_null(6);
    insert_.bind(7, std::string_view(r.profile)).bind(8, std::string_view(r.party));
    insert_.run();
}

}  // namespace evtwin::serve::ocpi
