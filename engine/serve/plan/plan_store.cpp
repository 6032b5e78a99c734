#include "serve/plan/plan_store.hpp"

#include "model/local_time.hpp"
#include "record/schema/schema.hpp"
#include "record/writer/run_copy.hpp"

#include <chrono>
#include <cstdio>

namespace evtwin::serve {
namespace {

std::string plan_id(std::int64_t n) {
    char text[32];
    std::snprintf(text, sizeof text, "p%06lld", static_cast<long long>(n));
    return text;
}

}  // namespace

PlanStore::PlanStore(const std::filesystem::path& db) : db_(db, sqlite::Db::Mode::read_write_create) {
    db_.exec("PRAGMA busy_timeout = 5000");
    results_schema::create_or_check(db_);
    // As a run's writer: the viewer may read while plans are added, and a commit needs no sync.
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = NORMAL");
    db_.exec(
        "CREATE TABLE IF NOT EXISTS plans (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, created_utc "
        "TEXT NOT NULL, "
        "plan_run INTEGER, baseline_run INTEGER, request_json TEXT NOT NULL, response_json TEXT NOT NULL)");
}

std::string PlanStore::add(const std::filesystem::path& runs_file, const std::string& request,
                           const Respond& respond) {
    std::lock_guard lock(mutex_);
    const std::vector<RunId> runs = copy_runs(db_, {runs_file});
    if (runs.empty()) throw ResultsError(runs_file.string() + ": no run to store");
    const std::int64_t seq = db_.query_int("SELECT COALESCE(MAX(seq), 0) + 1 FROM plans");
    const std::string id = plan_id(seq);
    std::string response = respond(id, runs);
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    sqlite::Stmt insert(db_, "INSERT INTO plans VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, seq).bind(2, id).bind(3, format_utc(Time(now.count())));
    insert.bind(4, runs.front()).bind(5, runs.back());
    insert.bind(6, request).bind(7, response).run();
    return response;
}

std::optional<std::string> PlanStore::response(const std::string& id) {
    std::lock_guard lock(mutex_);
    sqlite::Stmt query(db_, "SELECT response_json FROM plans WHERE id = ?");
    query.bind(1, id);
    if (!query.step()) return std::nullopt;
    return query.text(0);
}

std::size_t PlanStore::size() {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(db_.query_int("SELECT COUNT(*) FROM plans"));
}

}  // namespace evtwin::serve
