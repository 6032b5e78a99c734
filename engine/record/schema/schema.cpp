#include "record/schema/schema.hpp"

#include <sqlite3.h>

#include <string>

namespace evtwin::results_schema {

namespace {

// Every table leads with run_id, so one database can hold many runs. Series tables are clustered
// by (run, series, time) (WITHOUT ROWID), which is both the read order and the index.
constexpr std::string_view kCreate = R"sql(
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE runs (
  run_id INTEGER PRIMARY KEY,
  scenario_name TEXT NOT NULL,
  scenario_file TEXT NOT NULL,
  strategy_name TEXT NOT NULL,
  strategy_version TEXT NOT NULL,
  strategy_options TEXT NOT NULL,
  seed INTEGER NOT NULL,
  engine_version TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  ended_ms INTEGER,
  control_period_ms INTEGER NOT NULL,
  forecast_horizon_ms INTEGER NOT NULL,
  timezone TEXT NOT NULL,
  tariff_name TEXT NOT NULL,
  currency TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted', 'failed')),
  charging_price_per_kwh REAL NOT NULL,
  v2g_price_factor REAL NOT NULL,
  ev_degradation_per_kwh REAL NOT NULL,
  ess_degradation_per_kwh REAL NOT NULL,
  config_json TEXT NOT NULL
);
CREATE TABLE nodes (
  run_id INTEGER NOT NULL,
  node INTEGER NOT NULL,
  parent INTEGER,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  import_limit_kw REAL,
  export_limit_kw REAL,
  PRIMARY KEY (run_id, node)
) WITHOUT ROWID;
CREATE TABLE connectors (
  run_id INTEGER NOT NULL,
  connector INTEGER NOT NULL,
  name TEXT NOT NULL,
  node INTEGER NOT NULL,
  charger_node INTEGER NOT NULL,
  charger INTEGER NOT NULL,
  charger_name TEXT NOT NULL,
  max_kw REAL NOT NULL,
  min_kw REAL NOT NULL,
  efficiency REAL NOT NULL,
  dc INTEGER NOT NULL,
  v2g_capable INTEGER NOT NULL,
  setpoints_kw TEXT NOT NULL,
  voltage_v REAL NOT NULL,
  phase_deg REAL NOT NULL,
  PRIMARY KEY (run_id, connector)
) WITHOUT ROWID;
CREATE TABLE phase_constraints (
  run_id INTEGER NOT NULL,
  phase_constraint INTEGER NOT NULL,
  name TEXT NOT NULL,
  limit_a REAL,
  PRIMARY KEY (run_id, phase_constraint)
) WITHOUT ROWID;
CREATE TABLE phase_constraint_terms (
  run_id INTEGER NOT NULL,
  phase_constraint INTEGER NOT NULL,
  term INTEGER NOT NULL,
  charger INTEGER NOT NULL,
  charger_name TEXT NOT NULL,
  coefficient REAL NOT NULL,
  PRIMARY KEY (run_id, phase_constraint, term)
) WITHOUT ROWID;
CREATE TABLE pv (
  run_id INTEGER NOT NULL,
  pv INTEGER NOT NULL,
  name TEXT NOT NULL,
  node INTEGER NOT NULL,
  kwp REAL NOT NULL,
  PRIMARY KEY (run_id, pv)
) WITHOUT ROWID;
CREATE TABLE ess (
  run_id INTEGER NOT NULL,
  ess INTEGER NOT NULL,
  name TEXT NOT NULL,
  node INTEGER NOT NULL,
  capacity_kwh REAL NOT NULL,
  max_charge_kw REAL NOT NULL,
  max_discharge_kw REAL NOT NULL,
  charge_efficiency REAL NOT NULL,
  discharge_efficiency REAL NOT NULL,
  soc_min REAL NOT NULL,
  soc_max REAL NOT NULL,
  soc_initial REAL NOT NULL,
  end_value_per_kwh REAL NOT NULL,
  end_soc REAL,
  grid_charge INTEGER NOT NULL,
  grid_discharge INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  PRIMARY KEY (run_id, ess)
) WITHOUT ROWID;
CREATE TABLE loads (
  run_id INTEGER NOT NULL,
  load INTEGER NOT NULL,
  name TEXT NOT NULL,
  node INTEGER NOT NULL,
  PRIMARY KEY (run_id, load)
) WITHOUT ROWID;
CREATE TABLE sessions (
  run_id INTEGER NOT NULL,
  session INTEGER NOT NULL,
  connector INTEGER,
  vehicle_model TEXT NOT NULL,
  arrival_ms INTEGER NOT NULL,
  departure_ms INTEGER NOT NULL,
  declared_departure_ms INTEGER NOT NULL,
  capacity_kwh REAL NOT NULL,
  initial_soc REAL NOT NULL,
  final_soc REAL NOT NULL,
  requested_kwh REAL NOT NULL,
  delivered_kwh REAL NOT NULL,
  charged_kwh REAL NOT NULL,
  discharged_kwh REAL NOT NULL,
  grid_kwh REAL NOT NULL,
  departed INTEGER NOT NULL,
  vehicle_id TEXT NOT NULL,
  soh REAL NOT NULL,
  fade_calendar REAL NOT NULL,
  fade_cycling REAL NOT NULL,
  value_per_fade REAL NOT NULL,
  goal_kwh REAL,
  PRIMARY KEY (run_id, session)
) WITHOUT ROWID;
CREATE TABLE battery_health (
  run_id INTEGER NOT NULL,
  battery TEXT NOT NULL,
  vehicle TEXT NOT NULL,
  model TEXT NOT NULL,
  chemistry TEXT NOT NULL,
  model_year INTEGER,
  age_years REAL NOT NULL,
  capacity_kwh REAL NOT NULL,
  soh_start REAL NOT NULL,
  soh_end REAL NOT NULL,
  expected_soh REAL NOT NULL,
  calendar_fade REAL NOT NULL,
  cycling_fade REAL NOT NULL,
  value_per_fade REAL NOT NULL,
  sessions INTEGER NOT NULL,
  hours_seen REAL NOT NULL,
  hours_high_soc REAL NOT NULL,
  efc REAL NOT NULL,
  mean_depth REAL NOT NULL,
  max_depth REAL NOT NULL,
  mean_c_rate REAL NOT NULL,
  dc_share REAL NOT NULL,
  deep_discharges INTEGER NOT NULL,
  v2g_kwh REAL NOT NULL,
  score REAL,
  grade TEXT,
  PRIMARY KEY (run_id, battery)
) WITHOUT ROWID;
CREATE TABLE battery_scores (
  run_id INTEGER NOT NULL,
  battery TEXT NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  score REAL NOT NULL,
  weight REAL NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (run_id, battery, position)
) WITHOUT ROWID;
CREATE TABLE site_series (
  run_id INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  grid_kw REAL NOT NULL,
  ev_kw REAL NOT NULL,
  pv_kw REAL NOT NULL,
  pv_curtailed_kw REAL NOT NULL,
  ess_kw REAL NOT NULL,
  ess_soc REAL NOT NULL,
  load_kw REAL NOT NULL,
  PRIMARY KEY (run_id, t_ms)
) WITHOUT ROWID;
CREATE TABLE ess_series (
  run_id INTEGER NOT NULL,
  ess INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  grid_kw REAL NOT NULL,
  soc REAL NOT NULL,
  PRIMARY KEY (run_id, ess, t_ms)
) WITHOUT ROWID;
CREATE TABLE node_series (
  run_id INTEGER NOT NULL,
  node INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  flow_kw REAL NOT NULL,
  PRIMARY KEY (run_id, node, t_ms)
) WITHOUT ROWID;
CREATE TABLE connector_series (
  run_id INTEGER NOT NULL,
  connector INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  grid_kw REAL NOT NULL,
  soc REAL NOT NULL,
  state TEXT NOT NULL,
  PRIMARY KEY (run_id, connector, t_ms)
) WITHOUT ROWID;
CREATE TABLE events (
  run_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  connector INTEGER,
  session INTEGER,
  detail TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE INDEX events_by_time ON events (run_id, t_ms);
CREATE TABLE violations (
  run_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  node INTEGER,
  connector INTEGER,
  requested_kw REAL NOT NULL,
  applied_kw REAL NOT NULL,
  phase_constraint INTEGER,
  ess INTEGER,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE INDEX violations_by_time ON violations (run_id, t_ms);
CREATE TABLE tariff_prices (
  run_id INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  import_price REAL NOT NULL,
  export_price REAL NOT NULL,
  PRIMARY KEY (run_id, t_ms)
) WITHOUT ROWID;
CREATE TABLE kpis (
  run_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  value REAL,
  unit TEXT NOT NULL,
  PRIMARY KEY (run_id, name)
) WITHOUT ROWID;
CREATE TABLE run_timing (
  run_id INTEGER PRIMARY KEY,
  wall_started_utc TEXT NOT NULL,
  wall_seconds REAL
);
CREATE TABLE decision_times (
  run_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  seconds REAL NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE TABLE feeders (
  run_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  source_bus INTEGER NOT NULL,
  v_min_pu REAL NOT NULL,
  v_max_pu REAL NOT NULL,
  max_loading REAL NOT NULL
);
CREATE TABLE feeder_buses (
  run_id INTEGER NOT NULL,
  bus INTEGER NOT NULL,
  name TEXT NOT NULL,
  phases TEXT NOT NULL,
  base_kv REAL NOT NULL,
  v_min_pu REAL NOT NULL,
  v_max_pu REAL NOT NULL,
  PRIMARY KEY (run_id, bus)
) WITHOUT ROWID;
CREATE TABLE feeder_branches (
  run_id INTEGER NOT NULL,
  branch INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('line', 'transformer')),
  name TEXT NOT NULL,
  from_bus INTEGER NOT NULL,
  to_bus INTEGER NOT NULL,
  rating REAL NOT NULL,
  PRIMARY KEY (run_id, branch)
) WITHOUT ROWID;
CREATE TABLE feeder_sites (
  run_id INTEGER NOT NULL,
  node INTEGER NOT NULL,
  bus INTEGER NOT NULL,
  phases TEXT NOT NULL,
  power_factor REAL NOT NULL,
  PRIMARY KEY (run_id, node)
) WITHOUT ROWID;
CREATE TABLE feeder_series (
  run_id INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  source_kw REAL NOT NULL,
  source_kvar REAL NOT NULL,
  load_kw REAL NOT NULL,
  loss_kw REAL NOT NULL,
  PRIMARY KEY (run_id, t_ms)
) WITHOUT ROWID;
CREATE TABLE bus_voltage_series (
  run_id INTEGER NOT NULL,
  bus INTEGER NOT NULL,
  phase INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  v_pu REAL NOT NULL,
  PRIMARY KEY (run_id, t_ms, bus, phase)
) WITHOUT ROWID;
CREATE TABLE branch_loading_series (
  run_id INTEGER NOT NULL,
  branch INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  loading REAL NOT NULL,
  PRIMARY KEY (run_id, t_ms, branch)
) WITHOUT ROWID;
CREATE TABLE feeder_violations (
  run_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  t_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  bus INTEGER,
  phase INTEGER,
  branch INTEGER,
  value REAL NOT NULL,
  limit_value REAL NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE TABLE timing_kpis (
  run_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  value REAL,
  unit TEXT NOT NULL,
  PRIMARY KEY (run_id, name)
) WITHOUT ROWID;
)sql";

std::string prefix(const sqlite::Db& db) {
    return db.file().string() + ": ";
}

// Throws unless the file carries this format and version. `empty_ok`: an empty database passes.
// Returns true when the database is empty.
bool verify(sqlite::Db& db, bool empty_ok) {
    // The first read of a file that is not SQLite fails here, with "not an SQLite database".
    const auto tables = db.query_int("SELECT count(*) FROM sqlite_schema");
    const auto app_id = db.query_int("PRAGMA application_id");
    const auto version = db.query_int("PRAGMA user_version");
    if (tables == 0 && app_id == 0 && version == 0) {
        if (empty_ok) return true;
        throw ResultsError(prefix(db) + "empty database, not an evtwin results database");
    }
    if (app_id != kApplicationId || !db.table_exists("meta"))
        throw ResultsError(
            prefix(db) +
            "an SQLite database, but not an evtwin results database (no evtwin application id / meta table)");
    sqlite::Stmt st(db, "SELECT value FROM meta WHERE key = 'format'");
    if (!st.step() || st.text(0) != kFormat)
        throw ResultsError(prefix(db) + "meta table does not name the format '" + std::string(kFormat) + "'");
    if (version != kVersion)
        throw ResultsError(
            prefix(db) + "results schema version " + std::to_string(version) + ", but this evtwin " +
            (version > kVersion ? "is older and " : "") + "reads and writes only version " +
            std::to_string(kVersion) +
            (version > kVersion ? ": use a newer evtwin" : ": re-run the scenario to regenerate it"));
    return false;
}

}  // namespace

void create_or_check(sqlite::Db& db) {
    if (!verify(db, true)) return;
    db.exec("BEGIN IMMEDIATE");
    // Another writer may have created it between the check and the lock.
    if (db.query_int("SELECT count(*) FROM sqlite_schema") != 0) {
        db.exec("ROLLBACK");
        verify(db, false);
        return;
    }
    db.exec(kCreate);
    db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    db.exec("PRAGMA user_version = " + std::to_string(kVersion));
    sqlite::Stmt meta(db, "INSERT INTO meta (key, value) VALUES (?1, ?2)");
    meta.bind(1, std::string_view("format")).bind(2, kFormat).run();
    meta.bind(1, std::string_view("schema_version"))
        .bind(2, std::string_view(std::to_string(kVersion)))
        .run();
    db.exec("COMMIT");
}

void check(sqlite::Db& db) {
    verify(db, false);
}

void check_unless_empty(sqlite::Db& db) {
    verify(db, true);
}

const std::string& empty_database_image() {
    static const std::string image = [] {
        sqlite::Db db(":memory:", sqlite::Db::Mode::read_write_create);
        db.exec(kPageSizePragma);
        create_or_check(db);
        sqlite3_int64 size = 0;
        unsigned char* bytes = sqlite3_serialize(db.handle(), "main", &size, 0);
        if (!bytes) db.fail("cannot serialize the empty results database");
        std::string copy(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
        sqlite3_free(bytes);
        return copy;
    }();
    return image;
}

}  // namespace evtwin::results_schema
