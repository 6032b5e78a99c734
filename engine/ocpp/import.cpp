#include "ocpp/import.hpp"

#include <evtwin/errors.hpp>
#include "data/gzip_file.hpp"
#include "record/schema/schema.hpp"

#include <algorithm>

namespace evtwin::ocpp {

namespace {

// No `x IN (...)` in CHECK constraints: SQLite builds an ephemeral table for the list at every
// INSERT, work per row that outweighs storing the row.
constexpr std::string_view kCreate = R"sql(
CREATE TABLE ocpp_imports (
  import_id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  format TEXT NOT NULL,
  ocpp_version TEXT NOT NULL,
  frames INTEGER NOT NULL,
  problems INTEGER NOT NULL,
  transactions INTEGER NOT NULL,
  energy_kwh REAL NOT NULL,
  checked_frames INTEGER,
  invalid_frames INTEGER
);
CREATE TABLE ocpp_schema_summary (
  import_id INTEGER NOT NULL,
  action TEXT NOT NULL,
  message_type INTEGER NOT NULL CHECK (message_type BETWEEN 2 AND 3),
  checked INTEGER NOT NULL,
  invalid INTEGER NOT NULL,
  unchecked INTEGER NOT NULL,
  first_line INTEGER,
  first_path TEXT,
  first_message TEXT,
  PRIMARY KEY (import_id, action, message_type)
) WITHOUT ROWID;
CREATE TABLE ocpp_schema_errors (
  import_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  line INTEGER NOT NULL,
  action TEXT NOT NULL,
  message_type INTEGER NOT NULL CHECK (message_type BETWEEN 2 AND 3),
  path TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (import_id, seq)
) WITHOUT ROWID;
CREATE TABLE ocpp_charging_profiles (
  import_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  line INTEGER NOT NULL,
  source TEXT NOT NULL,
  cs TEXT NOT NULL,
  connector INTEGER NOT NULL,
  profile_id INTEGER NOT NULL,
  stack_level INTEGER NOT NULL,
  purpose TEXT NOT NULL,
  kind TEXT NOT NULL,
  recurrency TEXT,
  valid_from_ms INTEGER,
  valid_to_ms INTEGER,
  start_schedule_ms INTEGER,
  duration_s INTEGER,
  unit TEXT NOT NULL CHECK (unit = 'A' OR unit = 'W'),
  periods TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  set_ms INTEGER NOT NULL,
  cleared_ms INTEGER,
  accepted INTEGER NOT NULL CHECK (accepted BETWEEN 0 AND 1),
  PRIMARY KEY (import_id, seq)
) WITHOUT ROWID;
CREATE TABLE ocpp_charging_limits (
  import_id INTEGER NOT NULL,
  cs TEXT NOT NULL,
  connector INTEGER NOT NULL,
  from_ms INTEGER NOT NULL,
  to_ms INTEGER NOT NULL,
  limit_kw REAL NOT NULL,
  PRIMARY KEY (import_id, cs, connector, from_ms)
) WITHOUT ROWID;
CREATE TABLE ocpp_validation (
  import_id INTEGER NOT NULL,
  run_id INTEGER NOT NULL,
  scenario TEXT NOT NULL,
  sessions INTEGER NOT NULL,
  failed INTEGER NOT NULL,
  max_energy_error_pct REAL,
  max_power_mae_kw REAL,
  max_timing_error_s REAL,
  PRIMARY KEY (import_id, run_id)
) WITHOUT ROWID;
CREATE TABLE ocpp_validation_sessions (
  import_id INTEGER NOT NULL,
  run_id INTEGER NOT NULL,
  session_id INTEGER NOT NULL,
  cs TEXT NOT NULL,
  connector INTEGER NOT NULL,
  transaction_id TEXT NOT NULL,
  charger TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  stop_ms INTEGER NOT NULL,
  logged_kwh REAL NOT NULL,
  twin_kwh REAL NOT NULL,
  energy_error_pct REAL,
  power_points INTEGER NOT NULL,
  power_mae_kw REAL,
  power_rmse_kw REAL,
  register_points INTEGER NOT NULL,
  register_mae_kw REAL,
  register_rmse_kw REAL,
  start_error_s REAL,
  stop_error_s REAL,
  logged_states TEXT NOT NULL,
  twin_states TEXT NOT NULL,
  states_match INTEGER NOT NULL CHECK (states_match BETWEEN 0 AND 1),
  passed INTEGER NOT NULL CHECK (passed BETWEEN 0 AND 1),
  failures TEXT NOT NULL,
  PRIMARY KEY (import_id, run_id, session_id)
) WITHOUT ROWID;
CREATE TABLE ocpp_whatif (
  import_id INTEGER NOT NULL,
  run_id INTEGER NOT NULL,
  strategy TEXT NOT NULL,
  currency TEXT NOT NULL,
  logged_kwh REAL NOT NULL,
  twin_kwh REAL NOT NULL,
  logged_cost REAL NOT NULL,
  twin_cost REAL NOT NULL,
  logged_energy_cost REAL NOT NULL,
  twin_energy_cost REAL NOT NULL,
  logged_demand_charge REAL NOT NULL,
  twin_demand_charge REAL NOT NULL,
  logged_peak_kw REAL NOT NULL,
  twin_peak_kw REAL NOT NULL,
  PRIMARY KEY (import_id, run_id)
) WITHOUT ROWID;
CREATE TABLE ocpp_frames (
  import_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  line INTEGER NOT NULL,
  ts_ms INTEGER NOT NULL,
  cs TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction = 'cs2csms' OR direction = 'csms2cs' OR direction = 'unknown'),
  message_type INTEGER NOT NULL CHECK (message_type BETWEEN 2 AND 4),
  message_id TEXT NOT NULL,
  action TEXT NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (import_id, seq)
) WITHOUT ROWID;
CREATE TABLE ocpp_problems (
  import_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  line INTEGER NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (import_id, seq)
) WITHOUT ROWID;
CREATE TABLE ocpp_transactions (
  import_id INTEGER NOT NULL,
  cs TEXT NOT NULL,
  connector INTEGER NOT NULL,
  transaction_id TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  stop_ms INTEGER,
  meter_start_wh REAL,
  meter_stop_wh REAL,
  energy_kwh REAL,
  id_tag TEXT NOT NULL,
  stop_reason TEXT NOT NULL,
  start_line INTEGER NOT NULL,
  stop_line INTEGER,
  export_start_wh REAL,
  export_stop_wh REAL,
  exported_kwh REAL,
  PRIMARY KEY (import_id, cs, transaction_id, start_line)
) WITHOUT ROWID;
CREATE TABLE ocpp_meter_values (
  import_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  cs TEXT NOT NULL,
  connector INTEGER NOT NULL,
  transaction_id TEXT NOT NULL,
  ts_ms INTEGER NOT NULL,
  measurand TEXT NOT NULL,
  phase TEXT NOT NULL,
  location TEXT NOT NULL,
  context TEXT NOT NULL,
  value REAL NOT NULL,
  unit TEXT NOT NULL,
  line INTEGER NOT NULL,
  PRIMARY KEY (import_id, seq)
) WITHOUT ROWID;
CREATE TABLE ocpp_status (
  import_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  cs TEXT NOT NULL,
  connector INTEGER NOT NULL,
  ts_ms INTEGER NOT NULL,
  status TEXT NOT NULL,
  error_code TEXT NOT NULL,
  info TEXT NOT NULL,
  fault INTEGER NOT NULL,
  line INTEGER NOT NULL,
  PRIMARY KEY (import_id, seq)
) WITHOUT ROWID;
)sql";

Import rebuilt(const std::filesystem::path& file, LogRead log, const ReadOptions& options,
               const SchemaOptions& schemas) {
    Import im;
    im.file = file;
    im.log = std::move(log);
    im.site = reconstruct(im.log.frames, im.log.problems);
    if (!im.log.frames.empty()) {
        std::int64_t from = im.log.frames.front().ts_ms, to = from;
        for (const Frame& f : im.log.frames) {
            from = std::min(from, f.ts_ms);
            to = std::max(to, f.ts_ms);
        }
        CompositionOptions co;
        co.voltage_v = options.voltage_v;
        im.limits = compose_limits(im.site.charging_profiles, im.site.transactions, from, to + 1, co);
    }
    std::stable_sort(im.log.problems.begin(), im.log.problems.end(),
                     [](const Problem& a, const Problem& b) { return a.line < b.line; });
    if (schemas.validate) check_schemas(im, schemas.dir);
    return im;
}

}  // namespace

Import import_text(const std::filesystem::path& file, std::string_view text, const ReadOptions& options,
                   const SchemaOptions& schemas) {
    return rebuilt(file, read_log(file, text, options), options, schemas);
}

void check_schemas(Import& im, const std::filesystem::path& dir) {
    try {
        im.schema = check_frames(im.log.frames, im.log.cs_versions, dir.empty() ? default_schema_dir() : dir);
    } catch (const DataError& e) {
        im.schema.emplace();
        im.schema->notes.push_back(e.what());
    }
}

Import import_log(const std::filesystem::path& file, const ReadOptions& options,
                  const SchemaOptions& schemas) {
    LogRead log;
    {
        const std::string text = read_maybe_gzip_file(file);
        log = read_log(file, text, options);
    }  // the frames hold what they need of the text
    return rebuilt(file, std::move(log), options, schemas);
}

void create_or_check_schema(sqlite::Db& db) {
    results_schema::create_or_check(db);
    db.exec("BEGIN IMMEDIATE");
    sqlite::Stmt get(db, "SELECT value FROM meta WHERE key = 'ocpp_schema_version'");
    if (get.step()) {
        const std::string v = get.text(0);
        get = sqlite::Stmt();
        if (v == "3") {
            // Version 4 reads export registers: a transaction's export columns, NULL where not read.
            db.exec(
                "ALTER TABLE ocpp_transactions ADD COLUMN export_start_wh REAL;"
                "ALTER TABLE ocpp_transactions ADD COLUMN export_stop_wh REAL;"
                "ALTER TABLE ocpp_transactions ADD COLUMN exported_kwh REAL;"
                "UPDATE meta SET value = '4' WHERE key = 'ocpp_schema_version'");
            db.exec("COMMIT");
            return;
        }
        db.exec("ROLLBACK");
        if (v != std::to_string(kSchemaVersion))
            throw ResultsError(db.file().string() + ": ocpp schema version " + v +
                               ", but this evtwin writes only " + std::to_string(kSchemaVersion));
        return;
    }
    get = sqlite::Stmt();
    db.exec(kCreate);
    sqlite::Stmt(db, "INSERT INTO meta (key, value) VALUES ('ocpp_schema_version', ?1)")
        .bind(1, std::string_view(std::to_string(kSchemaVersion)))
        .run();
    db.exec("COMMIT");
}

}  // namespace evtwin::ocpp
