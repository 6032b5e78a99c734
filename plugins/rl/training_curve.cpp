#include "plugins/rl/training_curve.hpp"

#include <evtwin/errors.hpp>

#include <sqlite3.h>

#include <cmath>

namespace evtwin::rl {
namespace {

constexpr const char* kCreate =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE IF NOT EXISTS training_curve ("
    " algo TEXT NOT NULL, scenario TEXT NOT NULL, step INTEGER NOT NULL, wall_s REAL NOT NULL,"
    " train_reward REAL, eval_reward REAL, eval_cost REAL, eval_delivered_pct REAL,"
    " policy_loss REAL, value_loss REAL, entropy REAL, epsilon REAL)";

}  // namespace

// One prepared statement, run once: binds are 1-based; NaN is stored as NULL.
class TrainingCurve::Statement {
public:
    Statement(const TrainingCurve& curve, const char* sql) : curve_(curve) {
        if (sqlite3_prepare_v2(curve.db_.get(), sql, -1, &stmt_, nullptr) != SQLITE_OK) curve.fail();
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement& text(int i, const std::string& v) {
        sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& integer(int i, std::uint64_t v) {
        sqlite3_bind_int64(stmt_, i, static_cast<sqlite3_int64>(v));
        return *this;
    }
    Statement& real(int i, double v) {
        if (std::isfinite(v))
            sqlite3_bind_double(stmt_, i, v);
        else
            sqlite3_bind_null(stmt_, i);
        return *this;
    }
    void run() {
        if (sqlite3_step(stmt_) != SQLITE_DONE) curve_.fail();
    }

private:
    const TrainingCurve& curve_;
    sqlite3_stmt* stmt_ = nullptr;
};

TrainingCurve::TrainingCurve(const std::filesystem::path& file, std::string algo, std::string scenario)
    : file_(file), db_(nullptr, sqlite3_close), algo_(std::move(algo)), scenario_(std::move(scenario)) {
    sqlite3* db = nullptr;
    const int opened =
        sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    db_.reset(db);
    if (opened != SQLITE_OK) fail();
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_exec(db, kCreate, nullptr, nullptr, nullptr) != SQLITE_OK) fail();
}

TrainingCurve::~TrainingCurve() = default;

void TrainingCurve::fail() const {
    throw ResultsError(file_.string() + ": " + (db_ ? sqlite3_errmsg(db_.get()) : "out of memory"));
}

void TrainingCurve::add(const CurvePoint& p) {
    Statement(
        *this,
        "INSERT INTO training_curve (algo, scenario, step, wall_s, train_reward, eval_reward, eval_cost,"
        " eval_delivered_pct, policy_loss, value_loss, entropy, epsilon) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
        .text(1, algo_)
        .text(2, scenario_)
        .integer(3, p.step)
        .real(4, p.wall_s)
        .real(5, p.train_reward)
        .real(6, p.eval_reward)
        .real(7, p.eval_cost)
        .real(8, p.eval_delivered_pct)
        .real(9, p.losses.policy_loss)
        .real(10, p.losses.value_loss)
        .real(11, p.losses.entropy)
        .real(12, p.losses.epsilon)
        .run();
}

void TrainingCurve::forget_after(std::uint64_t step) {
    Statement(*this, "DELETE FROM training_curve WHERE algo = ? AND scenario = ? AND step > ?")
        .text(1, algo_)
        .text(2, scenario_)
        .integer(3, step)
        .run();
}

}  // namespace evtwin::rl
