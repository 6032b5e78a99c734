#include "ocpp/import.hpp"

#include <evtwin/errors.hpp>
#include "data/gzip_file.hpp"
#include "record/schema/schema.hpp"

#include <algorithm>

namespace evtwin::ocpp {

namespace {

// No `x IN (...)` in CHECK constraints: SQLite builds an ephemeral table for the list at every
// INSERT, which made storing the frames ten times slower.
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

std::string_view sv(const std::string& s) {
    return s;
}
std::int64_t i64(std::size_t v) {
    return static_cast<std::int64_t>(v);
}

void store_schema_report(sqlite::Db& db, std::int64_t id, const SchemaReport& r) {
    sqlite::Stmt sum(db, "INSERT INTO ocpp_schema_summary VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    for (const SchemaTypeSummary& s : r.by_type) {
        sum.bind(1, id)
            .bind(2, sv(s.action))
            .bind(3, static_cast<std::int64_t>(s.type))
            .bind(4, i64(s.checked))
            .bind(5, i64(s.invalid))
            .bind(6, i64(s.unchecked));
        if (s.first_line)
            sum.bind(7, i64(s.first_line)).bind(8, sv(s.first_path)).bind(9, sv(s.first_message));
        else
            sum.bind_null(7).bind_null(8).bind_null(9);
        sum.run();
    }
    sqlite::Stmt err(db, "INSERT INTO ocpp_schema_errors VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (const SchemaViolation& v : r.violations)
        err.bind(1, id)
            .bind(2, i64(v.seq))
            .bind(3, i64(v.line))
            .bind(4, sv(v.action))
            .bind(5, static_cast<std::int64_t>(v.type))
            .bind(6, sv(v.path))
            .bind(7, sv(v.message))
            .run();
}

std::string periods_json(const ChargingProfile& p) {
    nlohmann::json a = nlohmann::json::array();
    for (const SchedulePeriod& sp : p.periods) a.push_back({sp.start_ms / 1000, sp.limit, sp.phases});
    return a.dump();
}

void store_profiles(sqlite::Db& db, std::int64_t id, const Import& im) {
    sqlite::Stmt pr(
        db,
        "INSERT INTO ocpp_charging_profiles VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
        "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)");
    std::int64_t seq = 0;
    const auto opt = [&](int i, const std::optional<std::int64_t>& v) {
        v ? pr.bind(i, *v) : pr.bind_null(i);
    };
    for (const ChargingProfile& p : im.site.charging_profiles) {
        pr.bind(1, id)
            .bind(2, seq++)
            .bind(3, i64(p.line))
            .bind(4, sv(p.source))
            .bind(5, sv(p.cs))
            .bind(6, std::int64_t{p.connector})
            .bind(7, p.profile_id)
            .bind(8, std::int64_t{p.stack_level})
            .bind(9, std::string_view(to_string(p.purpose)))
            .bind(10, std::string_view(to_string(p.kind)));
        if (p.kind == ProfileKind::recurring)
            pr.bind(11, std::string_view(p.weekly ? "Weekly" : "Daily"));
        else
            pr.bind_null(11);
        opt(12, p.valid_from_ms);
        opt(13, p.valid_to_ms);
        opt(14, p.start_schedule_ms);
        opt(15, p.duration_ms ? std::optional<std::int64_t>(*p.duration_ms / 1000) : std::nullopt);
        const std::string unit(1, p.unit);
        pr.bind(16, sv(unit))
            .bind(17, std::string_view(periods_json(p)))
            .bind(18, sv(p.transaction_id))
            .bind(19, p.set_ms);
        opt(20, p.cleared_ms);
        pr.bind(21, std::int64_t{p.accepted}).run();
    }
    sqlite::Stmt lim(db, "INSERT INTO ocpp_charging_limits VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (const EffectiveLimit& l : im.limits)
        lim.bind(1, id)
            .bind(2, sv(l.cs))
            .bind(3, std::int64_t{l.connector})
            .bind(4, l.from_ms)
            .bind(5, l.to_ms)
            .bind(6, l.limit_kw)
            .run();
}

}  // namespace

namespace {

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
        im.schema =
            check_frames(im.log.frames, im.log.ocpp_version, dir.empty() ? default_schema_dir() : dir);
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

namespace {

// The import's summary row, under the next import id, which it returns.
std::int64_t store_import_row(sqlite::Db& db, const Import& im) {
    const std::int64_t id = db.query_int("SELECT coalesce(max(import_id), 0) + 1 FROM ocpp_imports");
    double energy = 0;
    for (const Transaction& t : im.site.transactions) energy += t.energy_kwh.value_or(0.0);
    sqlite::Stmt imp(db, "INSERT INTO ocpp_imports VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    imp.bind(1, id)
        .bind(2, std::string_view(im.file.string()))
        .bind(3, to_string(im.log.format))
        .bind(4, sv(im.log.ocpp_version))
        .bind(5, i64(im.log.frames.size()))
        .bind(6, i64(im.log.problems.size()))
        .bind(7, i64(im.site.transactions.size()))
        .bind(8, energy);
    if (im.schema && !im.schema->dir.empty())
        imp.bind(9, i64(im.schema->checked)).bind(10, i64(im.schema->invalid));
    else
        imp.bind_null(9).bind_null(10);
    imp.run();
    return id;
}

// The frames and the problems of reading them, in the order read.
void store_frames(sqlite::Db& db, std::int64_t id, const LogRead& log) {
    sqlite::Stmt fr(db, "INSERT INTO ocpp_frames VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    std::int64_t seq = 0;
    for (const Frame& f : log.frames)
        fr.bind(1, id)
            .bind(2, seq++)
            .bind(3, i64(f.line))
            .bind(4, f.ts_ms)
            .bind(5, sv(f.cs))
            .bind(6, to_string(f.dir))
            .bind(7, static_cast<std::int64_t>(f.type))
            .bind(8, sv(f.message_id))
            .bind(9, sv(f.action))
            .bind(10, sv(f.payload))
            .run();
    sqlite::Stmt pr(db, "INSERT INTO ocpp_problems VALUES (?1, ?2, ?3, ?4, ?5)");
    seq = 0;
    for (const Problem& p : log.problems)
        pr.bind(1, id).bind(2, seq++).bind(3, i64(p.line)).bind(4, sv(p.kind)).bind(5, sv(p.message)).run();
}

void store_transactions(sqlite::Db& db, std::int64_t id, const std::vector<Transaction>& transactions) {
    sqlite::Stmt tx(db,
                    "INSERT OR REPLACE INTO ocpp_transactions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                    "?9, ?10, ?11, ?12, ?13)");
    for (const Transaction& t : transactions) {
        tx.bind(1, id)
            .bind(2, sv(t.cs))
            .bind(3, std::int64_t{t.connector})
            .bind(4, sv(t.id))
            .bind(5, t.start_ms);
        t.stop_ms ? tx.bind(6, *t.stop_ms) : tx.bind_null(6);
        t.meter_start_wh ? tx.bind(7, *t.meter_start_wh) : tx.bind_null(7);
        t.meter_stop_wh ? tx.bind(8, *t.meter_stop_wh) : tx.bind_null(8);
        t.energy_kwh ? tx.bind(9, *t.energy_kwh) : tx.bind_null(9);
        tx.bind(10, sv(t.id_tag)).bind(11, sv(t.stop_reason)).bind(12, i64(t.start_line));
        t.stop_line ? tx.bind(13, i64(t.stop_line)) : tx.bind_null(13);
        tx.run();
    }
}

void store_meter_values(sqlite::Db& db, std::int64_t id, const std::vector<MeterValue>& values) {
    sqlite::Stmt mv(
        db, "INSERT INTO ocpp_meter_values VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    std::int64_t seq = 0;
    for (const MeterValue& v : values)
        mv.bind(1, id)
            .bind(2, seq++)
            .bind(3, sv(v.cs))
            .bind(4, std::int64_t{v.connector})
            .bind(5, sv(v.transaction_id))
            .bind(6, v.ts_ms)
            .bind(7, sv(v.measurand))
            .bind(8, sv(v.phase))
            .bind(9, sv(v.location))
            .bind(10, sv(v.context))
            .bind(11, v.value)
            .bind(12, sv(v.unit))
            .bind(13, i64(v.line))
            .run();
}

void store_status_changes(sqlite::Db& db, std::int64_t id, const std::vector<StatusChange>& changes) {
    sqlite::Stmt st(db, "INSERT INTO ocpp_status VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    std::int64_t seq = 0;
    for (const StatusChange& s : changes)
        st.bind(1, id)
            .bind(2, seq++)
            .bind(3, sv(s.cs))
            .bind(4, std::int64_t{s.connector})
            .bind(5, s.ts_ms)
            .bind(6, sv(s.status))
            .bind(7, sv(s.error_code))
            .bind(8, sv(s.info))
            .bind(9, std::int64_t{s.fault})
            .bind(10, i64(s.line))
            .run();
}

std::int64_t store_in_one_transaction(sqlite::Db& db, const Import& im) {
    // As the run writer: WAL with NORMAL sync commits without waiting for the disk; the checkpoint
    // at the end makes the .db file complete on its own (one sync instead of two per commit).
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    create_or_check_schema(db);
    db.exec("BEGIN IMMEDIATE");
    try {
        const std::int64_t id = store_import_row(db, im);
        if (im.schema) store_schema_report(db, id, *im.schema);
        store_frames(db, id, im.log);
        store_transactions(db, id, im.site.transactions);
        store_meter_values(db, id, im.site.meter_values);
        store_profiles(db, id, im);
        store_status_changes(db, id, im.site.status_changes);
        db.exec("COMMIT");
        return id;
    } catch (...) {
        db.exec("ROLLBACK");
        throw;
    }
}

}  // namespace

std::int64_t store(sqlite::Db& db, const Import& im) {
    const std::int64_t id = store_in_one_transaction(db, im);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return id;
}

}  // namespace evtwin::ocpp
