#include "rl/training_curve.hpp"

#include "record/sqlite_db.hpp"

#include <cmath>

namespace evtwin::rl {
namespace {

void bind_or_null(sqlite::Stmt& s, int i, double v) {
    if (std::isfinite(v)) s.bind(i, v);
    else s.bind_null(i);
}

}  // namespace

TrainingCurve::TrainingCurve(const std::filesystem::path& file, std::string algo, std::string scenario)
    : db_(std::make_unique<sqlite::Db>(file, sqlite::Db::Mode::read_write_create)), algo_(std::move(algo)),
      scenario_(std::move(scenario)) {
    db_->exec("PRAGMA journal_mode=WAL");
    db_->exec(
        "CREATE TABLE IF NOT EXISTS training_curve ("
        " algo TEXT NOT NULL, scenario TEXT NOT NULL, step INTEGER NOT NULL, wall_s REAL NOT NULL,"
        " train_reward REAL, eval_reward REAL, eval_cost REAL, eval_delivered_pct REAL,"
        " policy_loss REAL, value_loss REAL, entropy REAL, epsilon REAL)");
}

TrainingCurve::~TrainingCurve() = default;

void TrainingCurve::add(const CurvePoint& p) {
    sqlite::Stmt s(*db_,
                   "INSERT INTO training_curve (algo, scenario, step, wall_s, train_reward, eval_reward, eval_cost,"
                   " eval_delivered_pct, policy_loss, value_loss, entropy, epsilon) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, algo_).bind(2, scenario_).bind(3, static_cast<std::int64_t>(p.step)).bind(4, p.wall_s);
    bind_or_null(s, 5, p.train_reward);
    bind_or_null(s, 6, p.eval_reward);
    bind_or_null(s, 7, p.eval_cost);
    bind_or_null(s, 8, p.eval_delivered_pct);
    bind_or_null(s, 9, p.losses.policy_loss);
    bind_or_null(s, 10, p.losses.value_loss);
    bind_or_null(s, 11, p.losses.entropy);
    bind_or_null(s, 12, p.losses.epsilon);
    s.run();
}

void TrainingCurve::forget_after(std::uint64_t step) {
    sqlite::Stmt s(*db_, "DELETE FROM training_curve WHERE algo = ? AND scenario = ? AND step > ?");
    s.bind(1, algo_).bind(2, scenario_).bind(3, static_cast<std::int64_t>(step));
    s.run();
}

}  // namespace evtwin::rl
