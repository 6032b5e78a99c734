// How SqliteRunWriter starts a run or takes one up again: its row in `runs` and `run_timing`, its
// site's tables, and its prices over the horizon (written again at its end when they changed).
#include "record/writer/sqlite_run_writer.hpp"

#include "model/scenario_spec.hpp"
#include "record/schema/sqlite_db.hpp"
#include "record/writer/feeder_rows.hpp"
#include "record/writer/run_config_json.hpp"
#include "record/writer/site_layout.hpp"
#include "record/writer/site_rows.hpp"
#include "record/writer/write_behind.hpp"

#include <algorithm>
#include <ctime>
#include <limits>

namespace evtwin {
namespace {

std::string utc_now_iso() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

void SqliteRunWriter::begin_run(const RunInfo& info, const ScenarioSpec& spec) {
    // The file set up (a failure there is thrown here, and nothing changes) and run_ written: both
    // are the thread's until then. A set-up that failed is tried again, and waited for.
    if (behind_) {
        behind_->wait();
        if (!st_) {
            behind_->submit([this] { set_up(); });
            behind_->wait();
        }
    }
    if (open_) {
        throw ResultsError(file_.string() + ": begin_run called while run " + std::to_string(run_) +
                           " is still open");
    }
    SiteTree tree = site_tree(spec);
    nodes_ = tree.nodes.size();
    connectors_ = tree.connectors.size();
    tariff_ = spec.tariff;
    start_ = spec.start;
    end_ = spec.end;
    prices_changed_ = false;
    last_t_ = Time::min();
    event_seq_ = violation_seq_ = decision_seq_ = feeder_violation_seq_ = 0;
    // The spec outlives the run (RunSink::begin_run): the writer's thread reads it, the scenario as
    // JSON for the runs row included, while the simulation starts.
    auto write_run = [this, info, &spec, tree = std::move(tree)] {
        set_up();
        insert_run(info, spec, tree);
        begin_rows();
    };
    if (!options_.write_behind) write_run();  // a failure leaves no run open
    start_rows();
    run_written_ = !behind_;
    // With write-behind, the run's first rows are written by the writer's thread while the simulation
    // starts. A failure is reported when the next rows are handed over, and then no rows follow.
    if (behind_)
        behind_->submit([this, write_run = std::move(write_run)] {
            write_run();
            run_written_ = true;
        });
}

void SqliteRunWriter::insert_run(const RunInfo& info, const ScenarioSpec& spec, const SiteTree& tree) {
    db_->exec("BEGIN IMMEDIATE");
    try {
        run_ = db_->query_int("SELECT coalesce(max(run_id), 0) + 1 FROM runs");
        sqlite::Stmt run(
            *db_,
            "INSERT INTO runs (run_id, scenario_name, scenario_file, strategy_name, strategy_version, "
            "strategy_options, seed, engine_version, start_ms, end_ms, ended_ms, control_period_ms, "
            "forecast_horizon_ms, timezone, tariff_name, currency, status, charging_price_per_kwh, "
            "v2g_price_factor, ev_degradation_per_kwh, ess_degradation_per_kwh, config_json) VALUES "
            "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, ?11, ?12, ?13, ?14, ?15, 'running', ?16, "
            "?17, ?18, ?19, ?20)");
        run.bind(1, run_)
            .bind(2, info.scenario_name)
            .bind(3, info.scenario_file)
            .bind(4, info.strategy_name)
            .bind(5, info.strategy_version)
            .bind(6, info.strategy_options)
            .bind(7, static_cast<std::int64_t>(info.seed))  // two's complement above 2^63, see the schema doc
            .bind(8, info.engine_version)
            .bind(9, start_.ms())
            .bind(10, end_.ms())
            .bind(11, spec.control_period.ms())
            .bind(12, spec.forecast_horizon.ms())
            .bind(13, spec.timezone)
            .bind(14, tariff_ ? tariff_->name() : std::string())
            .bind(15, tariff_ ? tariff_->currency() : std::string())
            .bind(16, spec.economics.charging_price_per_kwh)
            .bind(17, spec.economics.v2g_price_factor)
            .bind(18, spec.economics.ev_degradation_per_kwh)
            .bind(19, spec.economics.ess_degradation_per_kwh)
            .bind(20, run_config_json(spec))
            .run();
        insert_site_rows(*db_, run_, tree);
        if (spec.feeder) insert_feeder_rows(*db_, run_, *spec.feeder);
        write_prices();
        sqlite::Stmt timing(
            *db_, "INSERT INTO run_timing (run_id, wall_started_utc, wall_seconds) VALUES (?1, ?2, NULL)");
        timing.bind(1, run_).bind(2, utc_now_iso()).run();
        db_->exec("COMMIT");
    } catch (...) {
        db_->exec("ROLLBACK");
        throw;
    }
}

void SqliteRunWriter::resume_run(RunId id, const ScenarioSpec& spec) {
    if (open_)
        throw ResultsError(file_.string() + ": resume_run called while run " + std::to_string(run_) +
                           " is still open");
    db();  // set up, the thread idle
    sqlite::Stmt run(*db_, "SELECT status, start_ms, end_ms FROM runs WHERE run_id = ?1");
    run.bind(1, id);
    if (!run.step()) throw ResultsError(file_.string() + ": no run " + std::to_string(id) + " to resume");
    if (run.text(0) != "running")
        throw ResultsError(file_.string() + ": run " + std::to_string(id) + " is " + run.text(0) +
                           ", not running: it cannot be resumed");
    start_ = Time(run.int64(1));
    end_ = Time(run.int64(2));
    run = sqlite::Stmt();
    run_ = id;
    tariff_ = spec.tariff;
    prices_changed_ = false;
    const SiteTree tree = site_tree(spec);
    nodes_ = tree.nodes.size();
    connectors_ = tree.connectors.size();
    // Rows go on after the last committed one of every table that orders by time or sequence.
    auto max_of = [&](const char* sql) {
        sqlite::Stmt q(*db_, sql);
        q.bind(1, run_);
        return q.step() && !q.is_null(0) ? q.int64(0) : std::numeric_limits<std::int64_t>::min();
    };
    std::int64_t last = start_.ms();
    for (const char* table : {"site_series", "node_series", "connector_series", "events", "violations",
                              "decision_times", "feeder_series", "feeder_violations"})
        last = std::max(
            last, max_of(("SELECT max(t_ms) FROM " + std::string(table) + " WHERE run_id = ?1").c_str()));
    last_t_ = Time(last);
    event_seq_ = std::max<std::int64_t>(0, max_of("SELECT max(seq) + 1 FROM events WHERE run_id = ?1"));
    violation_seq_ =
        std::max<std::int64_t>(0, max_of("SELECT max(seq) + 1 FROM violations WHERE run_id = ?1"));
    decision_seq_ =
        std::max<std::int64_t>(0, max_of("SELECT max(seq) + 1 FROM decision_times WHERE run_id = ?1"));
    feeder_violation_seq_ =
        std::max<std::int64_t>(0, max_of("SELECT max(seq) FROM feeder_violations WHERE run_id = ?1"));
    begin_rows();
    start_rows();
    run_written_ = true;
}

// The prices over the run's horizon, one row per change. A spike announced during the run changes
// them: end_run() writes them again.
void SqliteRunWriter::write_prices() {
    sqlite::Stmt(*db_, "DELETE FROM tariff_prices WHERE run_id = ?1").bind(1, run_).run();
    if (!tariff_) return;
    sqlite::Stmt row(
        *db_, "INSERT INTO tariff_prices (run_id, t_ms, import_price, export_price) VALUES (?1, ?2, ?3, ?4)");
    double last_buy = 0.0, last_sell = 0.0;
    for (Time t = start_; t < end_;) {
        const double buy = tariff_->import_price(t), sell = tariff_->export_price(t);
        if (t == start_ || buy != last_buy || sell != last_sell) {
            row.bind(1, run_).bind(2, t.ms()).bind(3, buy).bind(4, sell).run();
            last_buy = buy;
            last_sell = sell;
        }
        t = std::max(tariff_->next_change(t), t + Duration(1));
    }
}

}  // namespace evtwin
