#pragma once
// The learning curve in SQLite: table training_curve (docs/results-schema.md), one row per
// evaluation. Resuming first deletes the rows after the checkpoint's step, so a curve never holds
// two histories.
#include "plugins/rl/learner.hpp"

#include <filesystem>
#include <memory>
#include <string>

struct sqlite3;

namespace evtwin::rl {

struct CurvePoint {
    std::uint64_t step = 0;          // environment steps so far (all environments together)
    double wall_s = 0.0;             // training wall time so far (resumed runs continue the clock)
    double train_reward = kNoValue;  // mean reward of the training episodes finished since the last row
    double eval_reward = kNoValue;
    double eval_cost = kNoValue;
    double eval_delivered_pct = kNoValue;
    IterationStats losses;
};

class TrainingCurve {
public:
    // Creates the table when missing. Throws ResultsError naming the file.
    TrainingCurve(const std::filesystem::path& file, std::string algo, std::string scenario);
    ~TrainingCurve();
    TrainingCurve(const TrainingCurve&) = delete;
    TrainingCurve& operator=(const TrainingCurve&) = delete;
    void add(const CurvePoint& p);
    void forget_after(std::uint64_t step);

private:
    class Statement;
    [[noreturn]] void fail() const;

    std::filesystem::path file_;
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> db_;
    std::string algo_, scenario_;
};

}  // namespace evtwin::rl
