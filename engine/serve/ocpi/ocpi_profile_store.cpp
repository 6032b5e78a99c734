#include "serve/ocpi/ocpi_profile_store.hpp"

#include <nlohmann/json.hpp>

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

void create_ocpi_parties(sqlite::Db& db) {
    db.exec(R"sql(
CREATE TABLE IF NOT EXISTS ocpi_parties (
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  name TEXT NOT NULL,
  token_c_sha256 TEXT NOT NULL,
  token_b TEXT NOT NULL,
  versions_url TEXT NOT NULL,
  version_url TEXT NOT NULL,
  endpoints_json TEXT NOT NULL,
  PRIMARY KEY (country_code, party_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ocpi_spent_tokens (
  token_sha256 TEXT PRIMARY KEY
) WITHOUT ROWID)sql");
}

PartiesState load_ocpi_parties(sqlite::Db& db) {
    PartiesState state;
    sqlite::Stmt spent(db, "SELECT token_sha256 FROM ocpi_spent_tokens ORDER BY token_sha256");
    while (spent.step()) state.spent.push_back(spent.text(0));
    sqlite::Stmt rows(
        db,
        "SELECT country_code, party_id, name, token_c_sha256, token_b, versions_url, version_url, "
        "endpoints_json FROM ocpi_parties ORDER BY country_code, party_id");
    while (rows.step()) {
        Party p{rows.text(0), rows.text(1), rows.text(2), rows.text(3),
                rows.text(4), rows.text(5), rows.text(6), {}};
        const auto endpoints = nlohmann::json::parse(rows.text(7), nullptr, false);
        if (endpoints.is_array())
            for (const auto& e : endpoints)
                if (e.is_object())
                    p.endpoints.push_back(
                        {e.value("identifier", ""), e.value("role", ""), e.value("url", "")});
        state.parties.push_back(std::move(p));
    }
    return state;
}

void save_ocpi_parties(sqlite::Db& db, const PartiesState& state) {
    db.exec("DELETE FROM ocpi_parties; DELETE FROM ocpi_spent_tokens");
    sqlite::Stmt spent(db, "INSERT OR IGNORE INTO ocpi_spent_tokens (token_sha256) VALUES (?1)");
    for (const std::string& hash : state.spent) spent.bind(1, std::string_view(hash)).run();
    sqlite::Stmt row(
        db,
        "INSERT OR REPLACE INTO ocpi_parties (country_code, party_id, name, token_c_sha256, token_b, "
        "versions_url, version_url, endpoints_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    for (const Party& p : state.parties) {
        nlohmann::json endpoints = nlohmann::json::array();
        for (const Endpoint& e : p.endpoints)
            endpoints.push_back({{"identifier", e.identifier}, {"role", e.role}, {"url", e.url}});
        const std::string text = endpoints.dump();
        row.bind(1, std::string_view(p.country_code))
            .bind(2, std::string_view(p.party_id))
            .bind(3, std::string_view(p.name))
            .bind(4, std::string_view(p.token_c_hash))
            .bind(5, std::string_view(p.token_b))
            .bind(6, std::string_view(p.versions_url))
            .bind(7, std::string_view(p.version_url))
            .bind(8, std::string_view(text))
            .run();
    }
}

}  // namespace evtwin::serve::ocpi
