#include "record/writer/sqlite_run_writer.hpp"

#include "model/scenario_spec.hpp"
#include "record/schema/schema.hpp"
#include "record/schema/sqlite_db.hpp"
#include "record/writer/site_layout.hpp"
#include "record/writer/site_rows.hpp"
#include "record/writer/write_behind.hpp"
#include "record/writer/writer_rows.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <span>

namespace evtwin {

namespace {

// A new private file starts as a copy of an empty results database, which is cheaper than
// creating the schema in it. Returns whether the file was new.
bool copy_schema_image_if_new(const std::filesystem::path& file, const WriterOptions& options) {
    if (options.journal != WriterOptions::Journal::private_file || std::filesystem::exists(file))
        return false;
    const std::string& image = results_schema::empty_database_image();
    std::ofstream out(file, std::ios::binary);
    if (!out.write(image.data(), static_cast<std::streamsize>(image.size())).flush())
        throw ResultsError(file.string() + ": cannot write the new results database");
    return true;
}

// A session's row, its values bound from parameter `base` + 1 on.
void bind_session(sqlite::Stmt& st, int base, std::int64_t run, const SessionRecord& r) {
    st.bind(base + 1, run).bind(base + 2, std::int64_t{r.id});
    bind_index(st, base + 3, r.connector);
    st.bind_static(base + 4, r.vehicle_model)
        .bind(base + 5, r.arrival.ms())
        .bind(base + 6, r.departure.ms())
        .bind(base + 7, r.declared_departure.ms())
        .bind(base + 8, r.capacity_kwh)
        .bind(base + 9, r.initial_soc)
        .bind(base + 10, r.final_soc)
        .bind(base + 11, r.requested_kwh)
        .bind(base + 12, r.delivered_kwh)
        .bind(base + 13, r.charged_kwh)
        .bind(base + 14, r.discharged_kwh)
        .bind(base + 15, r.grid_kwh)
        .bind(base + 16, std::int64_t{r.departed ? 1 : 0})
        .bind_static(base + 17, r.vehicle_id)
        .bind(base + 18, r.soh)
        .bind(base + 19, r.fade_calendar)
        .bind(base + 20, r.fade_cycling)
        .bind(base + 21, r.value_per_fade);
    if (r.goal_kwh >= 0.0)
        st.bind(base + 22, r.goal_kwh);
    else
        st.bind_null(base + 22);
}

}  // namespace

// With write-behind, rows are handed to the thread in batches, so that it writes while the run goes
// on instead of all at once at a commit. The first batches are small, so that a short run is
// written as it goes too; each is twice the last, up to the size at which a long run's writing
// evens out the batches' different costs (a commit, a B-tree split) and the run seldom waits.
constexpr std::size_t kFirstBatch = 16'384;
constexpr std::size_t kLargestBatch = 65'536;
// A thread that has written its batch gets the rows reported since as soon as there are this many:
// what is left to write when the run ends is then what came while it wrote the last batch.
constexpr std::size_t kIdleBatch = 1'024;

SqliteRunWriter::SqliteRunWriter(const std::filesystem::path& file, WriterOptions options)
    : file_(file), options_(options), pending_(std::make_unique<Rows>()), writing_(std::make_unique<Rows>()) {
    if (!options_.write_behind) {
        set_up();
        return;
    }
    // The thread opens the file and sets up the schema and statements at once, while the caller goes
    // on (loading the scenario, say).
    behind_ = std::make_unique<WriteBehind>();
    behind_->submit([this] { set_up(); });
}

void SqliteRunWriter::open() {
    const bool new_private_file = copy_schema_image_if_new(file_, options_);
    auto db = std::make_unique<sqlite::Db>(file_, sqlite::Db::Mode::read_write_create);
    if (!new_private_file) results_schema::check_unless_empty(*db);
    db_ = std::move(db);
}

// Settings, schema and statements: once, before the first row is written.
void SqliteRunWriter::set_up() {
    if (st_) return;
    if (!db_) open();
    if (options_.journal == WriterOptions::Journal::private_file) {
        db_->exec("PRAGMA journal_mode = MEMORY");
        db_->exec("PRAGMA synchronous = OFF");
        results_schema::create_or_check(*db_);
    } else {
        const bool wal = options_.journal == WriterOptions::Journal::wal;
        // Until the schema is there the file holds nothing to lose: it is set up without syncs, and
        // (a new one) with its page size before the WAL is switched on, which fixes it.
        db_->exec("PRAGMA synchronous = OFF");
        db_->exec(results_schema::kPageSizePragma);
        db_->exec(wal ? "PRAGMA journal_mode = WAL" : "PRAGMA journal_mode = DELETE");
        results_schema::create_or_check(*db_);
        if (wal) {
            db_->exec("PRAGMA synchronous = NORMAL");
            // Folding the WAL into the file every 16 MiB (2,048 pages of 8 KiB) instead of SQLite's
            // 1,000 pages copies the pages a run keeps changing (the B-trees' upper levels, each
            // series' last leaf) less often.
            db_->exec("PRAGMA wal_autocheckpoint = 2048");
        } else {
            // Still without syncs: the journal on disk restores the file after a crash of the
            // process. A commit waits for the queries under way, however long a viewer's takes.
            db_->exec("PRAGMA busy_timeout = 600000");
        }
    }
    db_->exec("PRAGMA temp_store = MEMORY");
    st_ = std::make_unique<Statements>(*db_);
}

SqliteRunWriter::~SqliteRunWriter() {
    if (!open_) return;
    try {
        stop_write_behind();
        sqlite::Stmt(*db_, "UPDATE runs SET status = 'failed' WHERE run_id = ?1").bind(1, run_).run();
        commit();
    } catch (...) {
        // A destructor must not throw; the rows committed so far stay readable.
    }
}

RunId SqliteRunWriter::run_id() const {
    if (behind_) behind_->wait();
    return run_;
}

void SqliteRunWriter::wait_idle() noexcept {
    if (behind_) behind_->wait_idle();
}

sqlite::Db& SqliteRunWriter::db() {
    if (behind_) behind_->wait();
    set_up();
    return *db_;
}

const std::filesystem::path& SqliteRunWriter::file() const {
    return file_;
}

void SqliteRunWriter::require_open(const char* call) const {
    if (!open_) throw ResultsError(file_.string() + ": " + call + " called outside begin_run ... end_run");
}

void SqliteRunWriter::advance(Time t, const char* call) {
    require_open(call);
    if (t < last_t_)
        throw ResultsError(file_.string() + ": " + call + " at t=" + std::to_string(t.ms()) +
                           " ms goes back in time (last call was at " + std::to_string(last_t_.ms()) +
                           " ms)");
    last_t_ = t;
}

// A NaN would fail only when the row is written, perhaps on the write-behind thread: it is refused
// where it is reported.
void SqliteRunWriter::refuse_nan(const char* call, std::initializer_list<double> values) const {
    for (const double v : values)
        if (std::isnan(v))
            throw ResultsError(file_.string() + ": " + call + " with a NaN value, which is not stored");
}

void SqliteRunWriter::row_done() {
    const std::size_t batch = behind_ ? std::min(rows_per_commit_, batch_rows_) : rows_per_commit_;
    ++pending_rows_;
    const bool thread_waits = behind_ && pending_rows_ >= kIdleBatch && behind_->idle();
    if (pending_rows_ < batch && !thread_waits) return;
    hand_over(false);
    batch_rows_ = std::min(2 * batch_rows_, kLargestBatch);
}

// The pending rows go to be written, by the write-behind thread or at once; the transaction is
// committed with them when asked or when it holds rows_per_commit rows.
void SqliteRunWriter::hand_over(bool commit) {
    uncommitted_rows_ += std::exchange(pending_rows_, 0);
    commit |= uncommitted_rows_ >= rows_per_commit_;
    if (commit) uncommitted_rows_ = 0;
    const bool begin_again = open_;
    auto write = [this, commit, begin_again] {
        if (!run_written_) return;
        write_rows(*writing_);
        if (!commit) return;
        db_->exec("COMMIT");
        if (begin_again) db_->exec("BEGIN");
    };
    if (behind_) behind_->wait();  // the thread is done with writing_
    std::swap(pending_, writing_);
    pending_->clear();  // what a failed write left
    if (behind_)
        behind_->submit(write);
    else
        write();
}

void SqliteRunWriter::stop_write_behind() {
    if (!behind_) return;
    hand_over(false);
    const std::unique_ptr<WriteBehind> behind = std::move(behind_);
    behind->wait();
}

void SqliteRunWriter::write_rows(Rows& rows) {
    const std::int64_t run = run_;
    write_series(
        st_->site, rows.site, site_written_, [](const Rows::Site&) { return 0; },
        [run](sqlite::Stmt& st, int base, const Rows::Site& r) {
            const SiteSample& s = r.sample;
            st.bind(base + 1, run)
                .bind(base + 2, r.t.ms())
                .bind(base + 3, s.grid_kw)
                .bind(base + 4, s.ev_kw)
                .bind(base + 5, s.pv_kw)
                .bind(base + 6, s.pv_curtailed_kw)
                .bind(base + 7, s.ess_kw)
                .bind(base + 8, s.ess_soc)
                .bind(base + 9, s.load_kw);
        });
    // The rows arrive in time order, so a stable sort by node or connector leaves them in key order.
    std::stable_sort(rows.node.begin(), rows.node.end(),
                     [](const Rows::Node& a, const Rows::Node& b) { return a.node < b.node; });
    write_series(
        st_->node, rows.node, node_written_, [](const Rows::Node& r) { return r.node; },
        [run](sqlite::Stmt& st, int base, const Rows::Node& r) {
            st.bind(base + 1, run)
                .bind(base + 2, std::int64_t{r.node})
                .bind(base + 3, r.t.ms())
                .bind(base + 4, r.flow_kw);
        });
    std::stable_sort(
        rows.connector.begin(), rows.connector.end(),
        [](const Rows::Connector& a, const Rows::Connector& b) { return a.connector < b.connector; });
    write_series(
        st_->connector, rows.connector, connector_written_,
        [](const Rows::Connector& r) { return r.connector; },
        [run](sqlite::Stmt& st, int base, const Rows::Connector& r) {
            st.bind(base + 1, run)
                .bind(base + 2, std::int64_t{r.connector})
                .bind(base + 3, r.t.ms())
                .bind(base + 4, r.grid_kw)
                .bind(base + 5, r.soc)
                .bind_static(base + 6, to_string(r.state));
        });
    st_->session.insert(
        std::span<const SessionRecord>(rows.sessions),
        [run](sqlite::Stmt& st, int base, const SessionRecord& r) { bind_session(st, base, run, r); });
    for (const BatteryUsage& u : rows.batteries) write_battery(u);
    st_->event.insert(std::span<const Rows::Event>(rows.events),
                      [run](sqlite::Stmt& st, int base, const Rows::Event& e) {
                          st.bind(base + 1, run)
                              .bind(base + 2, e.seq)
                              .bind(base + 3, e.t.ms())
                              .bind_static(base + 4, to_string(e.kind));
                          bind_index(st, base + 5, e.connector);
                          bind_index(st, base + 6, e.session);
                          st.bind_static(base + 7, e.detail);
                      });
    for (const Rows::ViolationRow& r : rows.violations) {
        const Violation& v = r.violation;
        auto& st = st_->violation;
        st.bind(1, run_).bind(2, r.seq).bind(3, r.t.ms()).bind(4, v.kind);
        bind_index(st, 5, v.node);
        bind_index(st, 6, v.connector);
        bind_index(st, 9, v.phase_constraint);
        bind_index(st, 10, v.ess);
        st.bind(7, v.requested_kw).bind(8, v.applied_kw).run();
    }
    st_->decision.insert(std::span<const Rows::Decision>(rows.decisions), [run](sqlite::Stmt& st, int base,
                                                                                const Rows::Decision& d) {
        st.bind(base + 1, run).bind(base + 2, d.seq).bind(base + 3, d.t.ms()).bind(base + 4, d.seconds);
    });
    write_feeder_rows(rows);
    write_ess_rows(rows);
}

void SqliteRunWriter::commit() {
    hand_over(true);
    if (behind_) behind_->wait();
}

// The state of a run's rows, from its first (or, resumed, its next) instant on.
void SqliteRunWriter::start_rows() {
    // A run goes on after its last committed instant, where a series may hold a row already.
    site_written_.assign(1, last_t_);
    node_written_.assign(nodes_, last_t_);
    connector_written_.assign(connectors_, last_t_);
    rows_per_commit_ = std::max<std::size_t>(
        1, options_.rows_per_commit.value_or(std::max<std::size_t>(100'000, 100 * (nodes_ + connectors_))));
    pending_rows_ = uncommitted_rows_ = 0;
    batch_rows_ = kFirstBatch;
    wall_start_ = std::chrono::steady_clock::now();
    open_ = true;
    if (options_.write_behind && !behind_) behind_ = std::make_unique<WriteBehind>();
}

// Every series (each node, each connector) grows at its own end of its table's B-tree: the cache
// holds those pages and a commit's worth of new ones, no more. A larger one costs more than it
// saves: each page it holds is memory newly touched.
void SqliteRunWriter::begin_rows() {
    const std::size_t series_kib = 8 * (nodes_ + connectors_);
    db_->exec("PRAGMA cache_size = -" + std::to_string(8192 + series_kib));
    db_->exec("BEGIN");
}

void SqliteRunWriter::site_sample(Time t, const SiteSample& s) {
    advance(t, "site_sample");
    refuse_nan("site_sample",
               {s.grid_kw, s.ev_kw, s.pv_kw, s.pv_curtailed_kw, s.ess_kw, s.ess_soc, s.load_kw});
    pending_->site.push_back({t, s});
    row_done();
}

void SqliteRunWriter::node_sample(Time t, NodeIndex node, double flow_kw) {
    advance(t, "node_sample");
    if (node >= nodes_)
        throw ResultsError(file_.string() + ": node_sample for node " + std::to_string(node) +
                           ", but the site has " + std::to_string(nodes_) + " nodes");
    refuse_nan("node_sample", {flow_kw});
    pending_->node.push_back({t, node, flow_kw});
    row_done();
}

void SqliteRunWriter::connector_sample(Time t, ConnectorIndex c, double grid_kw, double soc,
                                       PilotState state) {
    advance(t, "connector_sample");
    if (c >= connectors_)
        throw ResultsError(file_.string() + ": connector_sample for connector " + std::to_string(c) +
                           ", but the site has " + std::to_string(connectors_) + " connectors");
    refuse_nan("connector_sample", {grid_kw, soc});
    pending_->connector.push_back({t, c, grid_kw, soc, state});
    row_done();
}

void SqliteRunWriter::session_end(const SessionRecord& r) {
    require_open("session_end");
    if (r.connector != kNone && r.connector >= connectors_)
        throw ResultsError(file_.string() + ": session " + std::to_string(r.id) + " on connector " +
                           std::to_string(r.connector) + ", but the site has " + std::to_string(connectors_) +
                           " connectors");
    refuse_nan("session_end",
               {r.capacity_kwh, r.initial_soc, r.final_soc, r.requested_kwh, r.delivered_kwh, r.charged_kwh,
                r.discharged_kwh, r.grid_kwh, r.soh, r.fade_calendar, r.fade_cycling, r.value_per_fade});
    pending_->sessions.push_back(r);
    row_done();
}

void SqliteRunWriter::battery_health(const BatteryUsage& u) {
    require_open("battery_health");
    pending_->batteries.push_back(u);
    row_done();
}

void SqliteRunWriter::write_battery(const BatteryUsage& u) {
    auto& st = st_->battery;
    st.bind(1, run_).bind(2, u.battery).bind(3, u.vehicle).bind(4, u.model).bind(5, u.chemistry);
    if (u.model_year > 0) {
        st.bind(6, std::int64_t{u.model_year});
    } else {
        st.bind_null(6);
    }
    st.bind(7, u.age_years)
        .bind(8, u.capacity_kwh)
        .bind(9, u.soh_start)
        .bind(10, u.soh_end)
        .bind(11, u.expected_soh)
        .bind(12, u.calendar_fade)
        .bind(13, u.cycling_fade)
        .bind(14, u.value_per_fade)
        .bind(15, std::int64_t{u.sessions})
        .bind(16, u.hours_seen)
        .bind(17, u.hours_high_soc)
        .bind(18, u.efc)
        .bind(19, u.mean_depth)
        .bind(20, u.max_depth)
        .bind(21, u.mean_c_rate)
        .bind(22, u.dc_share)
        .bind(23, std::int64_t{u.deep_discharges})
        .bind(24, u.v2g_kwh)
        .run();
}

void SqliteRunWriter::event(Time t, EventKind kind, ConnectorIndex c, SessionId session,
                            std::string_view detail) {
    advance(t, "event");
    pending_->events.push_back({++event_seq_, t, kind, c, session, std::string(detail)});
    row_done();
    if (kind == EventKind::price_spike) prices_changed_ = true;
}

void SqliteRunWriter::violation(Time t, const Violation& v) {
    advance(t, "violation");
    refuse_nan("violation", {v.requested_kw, v.applied_kw});
    pending_->violations.push_back({++violation_seq_, t, v});
    row_done();
}

void SqliteRunWriter::decision_time(Time t, double seconds) {
    advance(t, "decision_time");
    refuse_nan("decision_time", {seconds});
    pending_->decisions.push_back({++decision_seq_, t, seconds});
    row_done();
}

void SqliteRunWriter::flush() {
    require_open("flush");
    commit();
}

void SqliteRunWriter::end_run(Time end, bool interrupted) {
    advance(end, "end_run");
    stop_write_behind();  // the rows written, this thread goes on with the connection
    if (at_end_) at_end_(*db_, run_);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
    st_->run_end.bind(1, run_)
        .bind(2, end.ms())
        .bind(3, std::string_view(interrupted ? "interrupted" : "complete"))
        .run();
    if (prices_changed_) write_prices();
    st_->run_wall.bind(1, run_).bind(2, wall).run();
    open_ = false;
    commit();
    // Fold the WAL back into the main file, so that the .db alone is the complete result.
    if (options_.journal == WriterOptions::Journal::wal) db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

}  // namespace evtwin
