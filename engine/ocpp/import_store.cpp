// What `evtwin ocpp import` stores of an import: its summary row, frames, problems, transactions,
// meter values, status changes, schema report and charging profiles, in one transaction.
#include "ocpp/import.hpp"

namespace evtwin::ocpp {

namespace {

std::string_view view_of(const std::string& s) {
    return s;
}
std::int64_t i64(std::size_t v) {
    return static_cast<std::int64_t>(v);
}

void store_schema_report(sqlite::Db& db, std::int64_t id, const SchemaReport& r) {
    sqlite::Stmt sum(db, "INSERT INTO ocpp_schema_summary VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    for (const SchemaTypeSummary& s : r.by_type) {
        sum.bind(1, id)
            .bind(2, view_of(s.action))
            .bind(3, static_cast<std::int64_t>(s.type))
            .bind(4, i64(s.checked))
            .bind(5, i64(s.invalid))
            .bind(6, i64(s.unchecked));
        if (s.first_line)
            sum.bind(7, i64(s.first_line)).bind(8, view_of(s.first_path)).bind(9, view_of(s.first_message));
        else
            sum.bind_null(7).bind_null(8).bind_null(9);
        sum.run();
    }
    sqlite::Stmt err(db, "INSERT INTO ocpp_schema_errors VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (const SchemaViolation& v : r.violations)
        err.bind(1, id)
            .bind(2, i64(v.seq))
            .bind(3, i64(v.line))
            .bind(4, view_of(v.action))
            .bind(5, static_cast<std::int64_t>(v.type))
            .bind(6, view_of(v.path))
            .bind(7, view_of(v.message))
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
            .bind(4, view_of(p.source))
            .bind(5, view_of(p.cs))
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
        pr.bind(16, view_of(unit))
            .bind(17, std::string_view(periods_json(p)))
            .bind(18, view_of(p.transaction_id))
            .bind(19, p.set_ms);
        opt(20, p.cleared_ms);
        pr.bind(21, std::int64_t{p.accepted}).run();
    }
    sqlite::Stmt lim(db, "INSERT INTO ocpp_charging_limits VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (const EffectiveLimit& l : im.limits)
        lim.bind(1, id)
            .bind(2, view_of(l.cs))
            .bind(3, std::int64_t{l.connector})
            .bind(4, l.from_ms)
            .bind(5, l.to_ms)
            .bind(6, l.limit_kw)
            .run();
}

// The import's summary row, under the next import id, which it returns.
std::int64_t store_import_row(sqlite::Db& db, const Import& im) {
    const std::int64_t id = db.query_int("SELECT coalesce(max(import_id), 0) + 1 FROM ocpp_imports");
    double energy = 0;
    // Net of what bidirectional meters exported, as a live run's sessions count it.
    for (const Transaction& t : im.site.transactions)
        energy += t.energy_kwh.value_or(0.0) - t.exported_kwh.value_or(0.0);
    sqlite::Stmt imp(db, "INSERT INTO ocpp_imports VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    imp.bind(1, id)
        .bind(2, std::string_view(im.file.string()))
        .bind(3, to_string(im.log.format))
        .bind(4, view_of(im.log.ocpp_version))
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
            .bind(5, view_of(f.cs))
            .bind(6, to_string(f.dir))
            .bind(7, static_cast<std::int64_t>(f.type))
            .bind(8, view_of(f.message_id))
            .bind(9, view_of(f.action))
            .bind(10, view_of(f.payload))
            .run();
    sqlite::Stmt pr(db, "INSERT INTO ocpp_problems VALUES (?1, ?2, ?3, ?4, ?5)");
    seq = 0;
    for (const Problem& p : log.problems)
        pr.bind(1, id)
            .bind(2, seq++)
            .bind(3, i64(p.line))
            .bind(4, view_of(p.kind))
            .bind(5, view_of(p.message))
            .run();
}

void store_transactions(sqlite::Db& db, std::int64_t id, const std::vector<Transaction>& transactions) {
    sqlite::Stmt tx(db,
                    "INSERT OR REPLACE INTO ocpp_transactions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
    for (const Transaction& t : transactions) {
        tx.bind(1, id)
            .bind(2, view_of(t.cs))
            .bind(3, std::int64_t{t.connector})
            .bind(4, view_of(t.id))
            .bind(5, t.start_ms);
        t.stop_ms ? tx.bind(6, *t.stop_ms) : tx.bind_null(6);
        t.meter_start_wh ? tx.bind(7, *t.meter_start_wh) : tx.bind_null(7);
        t.meter_stop_wh ? tx.bind(8, *t.meter_stop_wh) : tx.bind_null(8);
        t.energy_kwh ? tx.bind(9, *t.energy_kwh) : tx.bind_null(9);
        tx.bind(10, view_of(t.id_tag)).bind(11, view_of(t.stop_reason)).bind(12, i64(t.start_line));
        t.stop_line ? tx.bind(13, i64(t.stop_line)) : tx.bind_null(13);
        t.export_start_wh ? tx.bind(14, *t.export_start_wh) : tx.bind_null(14);
        t.export_stop_wh ? tx.bind(15, *t.export_stop_wh) : tx.bind_null(15);
        t.exported_kwh ? tx.bind(16, *t.exported_kwh) : tx.bind_null(16);
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
            .bind(3, view_of(v.cs))
            .bind(4, std::int64_t{v.connector})
            .bind(5, view_of(v.transaction_id))
            .bind(6, v.ts_ms)
            .bind(7, view_of(v.measurand))
            .bind(8, view_of(v.phase))
            .bind(9, view_of(v.location))
            .bind(10, view_of(v.context))
            .bind(11, v.value)
            .bind(12, view_of(v.unit))
            .bind(13, i64(v.line))
            .run();
}

void store_status_changes(sqlite::Db& db, std::int64_t id, const std::vector<StatusChange>& changes) {
    sqlite::Stmt st(db, "INSERT INTO ocpp_status VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    std::int64_t seq = 0;
    for (const StatusChange& s : changes)
        st.bind(1, id)
            .bind(2, seq++)
            .bind(3, view_of(s.cs))
            .bind(4, std::int64_t{s.connector})
            .bind(5, s.ts_ms)
            .bind(6, view_of(s.status))
            .bind(7, view_of(s.error_code))
            .bind(8, view_of(s.info))
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
