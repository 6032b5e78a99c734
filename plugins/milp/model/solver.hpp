#pragma once
// Solves a Model with COIN-OR: CLP for a pure LP (or an LP relaxation), CBC for a MILP. The COIN
// objects live behind a pointer to an implementation, so no header of this layer names them.
#include "plugins/milp/model/model.hpp"

#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace evtwin::milp {

enum class SolveStatus : std::uint8_t {
    optimal,                 // proven optimal (within the relative gap)
    infeasible,              // proven to have no feasible point
    unbounded,               // the objective can decrease without bound
    time_limit_feasible,     // stopped on the time (or node) limit with a feasible solution (values are that
                             // one)
    time_limit_no_solution,  // stopped on the time (or node) limit before any feasible solution
    numerical_trouble,       // the solver gave up; no values to trust
};

std::string_view to_string(SolveStatus status);

struct SolveOptions {
    double time_limit_s = 10.0;  // wall clock; <= 0 or infinite means none
    // MILP: branch-and-bound nodes at most (< 0: no limit). Unlike the time limit it does not depend
    // on the machine's load, so a run that reaches it still gives the same results every time.
    int max_nodes = -1;
    double relative_gap = 1e-6;      // MILP: stop when (incumbent − bound) / |incumbent| is below it
    bool relax_integrality = false;  // solve the LP relaxation: integer and binary variables continuous
    int threads = 1;
    bool warm_start = true;  // MILP: try the start given to solve() as a first incumbent
    // MILP: CBC's feasibility pump at the root. On the whole-run models of the oracle planners its
    // primal resolves can trip an assertion in CLP 1.17 (ClpPrimalColumnSteepest::pivotColumn) that
    // aborts the process (quickstart, v2g_profit_max, seed 42); without it mpc's small models more
    // often end in numerical trouble (quickstart, mpc, seed 1).
    bool feasibility_pump = true;
};

// A value for one integer variable of a MIP start. A partial start is completed by the solver; one
// that cannot be completed to a feasible point is dropped, never an error.
struct StartValue {
    Var var;
    double value = 0.0;
};

struct Solution {
    SolveStatus status = SolveStatus::numerical_trouble;
    double objective = 0.0;      // including the objective's constant; meaningful with values
    std::vector<double> values;  // one per variable; empty when there is no solution
    double best_bound = 0.0;     // MILP: proven lower bound on the objective (equals it when optimal)
    double seconds = 0.0;        // wall clock spent in the solver
    // The time limit ended the solve (not the node limit or the gap): another run, on a machine more
    // or less loaded, may stop elsewhere and give other values.
    bool stopped_by_clock = false;

    bool has_values() const { return !values.empty(); }
    double value(Var v) const { return values.at(v.index); }
    double value(const LinExpr& e) const {
        double sum = e.constant();
        for (const auto& [i, a] : e.terms()) sum += a * values.at(i);
        return sum;
    }
};

class Solver {
public:
    explicit Solver(SolveOptions options = {});
    ~Solver();
    Solver(Solver&&) noexcept;
    Solver& operator=(Solver&&) noexcept;

    Solution solve(const Model& model, std::span<const StartValue> start = {});
    // The model this solver solved last, as an LP, with rows added since or its objective replaced,
    // and nothing else changed (cutting planes; the next stage of a lexicographic objective): solved
    // again from the last basis, and anew where that ends without a solution. Anything else (another
    // model, a MILP, a solve before that ended without an optimum, more than a twentieth of the rows
    // added at once) is solved as solve() does.
    Solution solve_again(const Model& model, std::span<const StartValue> start = {});
    const SolveOptions& options() const { return options_; }
    void set_options(const SolveOptions& options) { options_ = options; }

private:
    struct Impl;
    SolveOptions options_;
    std::unique_ptr<Impl> impl_;
};

// One-shot convenience.
inline Solution solve(const Model& model, const SolveOptions& options = {}) {
    return Solver(options).solve(model);
}

}  // namespace evtwin::milp
