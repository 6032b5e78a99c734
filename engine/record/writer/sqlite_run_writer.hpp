#pragma once
// Writes a run into an SQLite results database (docs/results-schema.md). One file may hold many
// runs; each begin_run() adds one with the next run id. Rows are written with prepared statements
// in large transactions; a reader sees them batch by batch, and whatever was committed stays
// readable if the run is interrupted or the process dies.
#include <evtwin/errors.hpp>
#include "core/run_sink.hpp"
#include "model/tariff.hpp"
#include "record/schema/records.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <vector>

namespace evtwin {

namespace sqlite {
class Db;
}
class WriteBehind;

struct WriterOptions {
    // Rows per transaction: larger is faster, smaller makes progress visible to readers sooner. By
    // default 100,000, or 100 for each series of the site (its nodes and connectors) when that is
    // more: a commit writes the last page of every series it extended, so on a site of thousands of
    // series commits 100,000 rows apart would write each of those pages many times over.
    std::optional<std::size_t> rows_per_commit;
    // How commits reach the file. Each commit survives a crash of the process (with wal, of the OS too).
    enum class Journal {
        // Write-ahead log: readers and the writer never wait for each other. Each page is written
        // twice, to the log and then into the file. For runs that others read as they go (live).
        wal,
        // In place, the pages a commit overwrites saved to a journal first: a page is written once,
        // but a commit waits for the queries under way (a viewer following the run).
        rollback,
        // The file is this process's alone until the run is complete (a new file that the caller
        // renames into place afterwards, syncing it first): no journal on disk, no syncs, and no
        // reader while it is written.
        private_file,
    };
    Journal journal = Journal::wal;
    // Rows are written into the file by a thread of the writer's own while the caller goes on (a
    // simulation), in batches handed over as they fill or as soon as the thread is idle. The thread
    // also sets up the file (a new file's schema) as soon as the writer is made, and writes the
    // run's own rows at begin_run; a failure is thrown at the next call that hands it work (then no
    // rows follow). The connection is that thread's until end_run, db() waiting for it meanwhile.
    // Readers see the same commits either way.
    bool write_behind = false;
};

class SqliteRunWriter final : public RunSink {
public:
    // Creates the file (or adds to an evtwin results database of the same schema version).
    // Throws ResultsError for a foreign file or another schema version.
    explicit SqliteRunWriter(const std::filesystem::path& file, WriterOptions options = {});
    // A run still open is committed and marked 'failed'.
    ~SqliteRunWriter() override;
    SqliteRunWriter(const SqliteRunWriter&) = delete;
    SqliteRunWriter& operator=(const SqliteRunWriter&) = delete;

    // The id of the run being written (or last written); 0 before the first begin_run. With
    // write-behind, the id is known once the thread has written the run: this waits for it.
    RunId run_id() const;
    // Waits until the writer's thread has done the work in hand (it may be reading the spec given to
    // begin_run); a failure there stays for the next call.
    void wait_idle() noexcept;
    const std::filesystem::path& file() const;
    // The writer's connection, for adding to a finished run (its KPIs) without opening the file again.
    sqlite::Db& db();

    void begin_run(const RunInfo& info, const ScenarioSpec& spec) override;
    // Goes on with run `id`, left `running` by a process that died (a live run after a crash):
    // later rows follow what was committed. `spec` describes the same site. Throws ResultsError
    // when the run does not exist or is not running.
    void resume_run(RunId id, const ScenarioSpec& spec);
    // The last instant the run's committed rows reach.
    Time last_time() const { return last_t_; }
    void site_sample(Time t, const SiteSample& s) override;
    void node_sample(Time t, NodeIndex node, double flow_kw) override;
    void connector_sample(Time t, ConnectorIndex c, double grid_kw, double soc, PilotState state) override;
    void session_end(const SessionRecord& r) override;
    void battery_health(const BatteryUsage& u) override;
    void event(Time t, EventKind kind, ConnectorIndex c, SessionId session, std::string_view detail) override;
    void violation(Time t, const Violation& v) override;
    void decision_time(Time t, double seconds) override;
    void bus_voltage(Time t, std::uint32_t bus, int phase, double v_pu) override;
    void branch_loading(Time t, std::uint32_t branch, double loading) override;
    void feeder_sample(Time t, const FeederSample& s) override;
    void feeder_violation(Time t, const FeederViolation& v) override;
    void ess_sample(Time t, std::uint32_t ess, double grid_kw, double soc) override;
    void flush() override;
    void end_run(Time end, bool interrupted) override;
    // Rows to add to each run in its last transaction, after the run's own rows and before it is
    // marked complete (its KPIs and battery grades), so that a complete run always has them. An
    // exception from `write` goes on out of end_run and leaves the run 'failed'.
    void at_end(std::function<void(sqlite::Db&, RunId)> write) { at_end_ = std::move(write); }

private:
    struct Statements;
    struct Rows;
    void open();
    void set_up();
    void insert_run(const RunInfo& info, const ScenarioSpec& spec, const SiteTree& tree);
    void write_prices();
    void start_rows();
    void begin_rows();
    void require_open(const char* call) const;
    void advance(Time t, const char* call);
    void refuse_nan(const char* call, std::initializer_list<double> values) const;
    void row_done();
    void hand_over(bool commit);
    void stop_write_behind();
    void write_rows(Rows& rows);
    void write_battery(const BatteryUsage& u);
    void write_feeder_rows(Rows& rows);
    void write_ess_rows(Rows& rows);
    void commit();

    std::filesystem::path file_;
    std::unique_ptr<sqlite::Db> db_;  // opened by set_up(), on the write-behind thread if there is one
    std::unique_ptr<Statements> st_;
    WriterOptions options_;
    RunId run_ = 0;
    bool open_ = false;
    bool run_written_ = false;  // the run's row is in the file, so its rows may follow
    Time last_t_ = Time::min();
    std::size_t nodes_ = 0;
    std::size_t connectors_ = 0;
    std::int64_t event_seq_ = 0;
    std::int64_t violation_seq_ = 0;
    std::int64_t decision_seq_ = 0;
    std::int64_t feeder_violation_seq_ = 0;
    std::size_t pending_rows_ = 0;      // rows in pending_
    std::size_t batch_rows_ = 0;        // rows that make the next write-behind batch
    std::size_t uncommitted_rows_ = 0;  // rows handed over since the last commit
    std::size_t rows_per_commit_ = 0;   // the run's (WriterOptions::rows_per_commit)
    // Rows reported and not yet written. They are inserted table by table, node and connector
    // samples in key order (node or connector, then time): far fewer B-tree seeks than inserting
    // them in the order they happen.
    std::unique_ptr<Rows> pending_;
    std::unique_ptr<Rows> writing_;  // the batch the write-behind thread has in hand
    // Each series' last written instant (the site's, each node's, each connector's), for the
    // thread that writes the rows: a sample there replaces the row.
    std::vector<Time> site_written_, node_written_, connector_written_;
    std::unique_ptr<WriteBehind> behind_;   // with write_behind: from construction or begin_run to end_run
    std::shared_ptr<const Tariff> tariff_;  // the run's: its prices go into tariff_prices
    Time start_, end_;
    bool prices_changed_ = false;  // a price spike changed the tariff during the run
    std::chrono::steady_clock::time_point wall_start_;
    std::function<void(sqlite::Db&, RunId)> at_end_;
};

}  // namespace evtwin
