// CBC (through CbcMain1, the same driver as the cbc program: preprocessing, cuts, heuristics) for a
// MILP; CLP for an LP. Both are silenced: a strategy must not write to the run's terminal.
#include "plugins/milp/model/solver.hpp"

#include "plugins/blas_support/threads.hpp"

#include <CbcModel.hpp>
#include <CbcSolver.hpp>
#include <ClpSimplex.hpp>
#include <CoinFinite.hpp>
#include <CoinPackedMatrix.hpp>
#include <CoinPackedVector.hpp>
#include <OsiClpSolverInterface.hpp>

#include <chrono>
#include <cmath>
#include <string>

namespace evtwin::milp {
namespace {

double coin(double x) {
    if (x == kInf) return COIN_DBL_MAX;
    if (x == -kInf) return -COIN_DBL_MAX;
    return x;
}

// No number a site gives comes near this. COIN loses all precision long before its infinity (1e30),
// and aborts the process on some models that hold such numbers (a PV array of 1e300 kWp).
constexpr double kLargest = 1e20;

bool usable(double x) {
    return std::abs(x) < kLargest;
}

bool usable_bound(double x) {
    return std::isinf(x) || usable(x);
}

// Whether every coefficient and every finite bound of the model is a number COIN can work with.
bool solvable_numbers(const Model& m) {
    for (double a : m.objective())
        if (!usable(a)) return false;
    for (const Row& r : m.rows()) {
        if (!usable_bound(r.lower) || !usable_bound(r.upper)) return false;
        for (const auto& [c, a] : r.terms)
            if (!usable(a)) return false;
    }
    for (const Column& c : m.columns())
        if (!usable_bound(c.lower) || !usable_bound(c.upper)) return false;
    return true;
}

// Loads the model into a CLP interface; integer columns are marked unless `relax`.
void load(const Model& m, bool relax, OsiClpSolverInterface& si) {
    std::vector<int> row_index, col_index;
    std::vector<double> elements;
    for (std::size_t r = 0; r < m.rows().size(); ++r)
        for (const auto& [c, a] : m.rows()[r].terms) {
            row_index.push_back(static_cast<int>(r));
            col_index.push_back(static_cast<int>(c));
            elements.push_back(a);
        }
    CoinPackedMatrix matrix(true, row_index.data(), col_index.data(), elements.data(),
                            static_cast<CoinBigIndex>(elements.size()));
    // The triplet constructor sizes the matrix by the largest index it saw: pad to the model.
    matrix.setDimensions(static_cast<int>(m.num_constraints()), static_cast<int>(m.num_vars()));
    std::vector<double> col_lb, col_ub, row_lb, row_ub;
    for (const Column& c : m.columns()) {
        col_lb.push_back(coin(c.lower));
        col_ub.push_back(coin(c.upper));
    }
    for (const Row& r : m.rows()) {
        row_lb.push_back(coin(r.lower));
        row_ub.push_back(coin(r.upper));
    }
    si.messageHandler()->setLogLevel(0);
    si.loadProblem(matrix, col_lb.data(), col_ub.data(), m.objective().data(), row_lb.data(), row_ub.data());
    if (!relax)
        for (std::size_t c = 0; c < m.num_vars(); ++c)
            if (m.columns()[c].type != VarType::continuous) si.setInteger(static_cast<int>(c));
}

bool has_time_limit(const SolveOptions& o) {
    return o.time_limit_s > 0.0 && std::isfinite(o.time_limit_s);
}

// The solution's values, clamped into the bounds and rounded on integer columns, where the solver
// left them a tolerance away.
std::vector<double> tidy(const Model& m, const double* x, bool relax) {
    std::vector<double> v(x, x + m.num_vars());
    for (std::size_t c = 0; c < v.size(); ++c) {
        const Column& col = m.columns()[c];
        if (!relax && col.type != VarType::continuous) v[c] = std::round(v[c]);
        v[c] = std::min(std::max(v[c], col.lower), col.upper);
    }
    return v;
}

// Whether x meets every bound, integrality and row of m, within solver tolerances.
bool satisfies(const Model& m, const double* x) {
    constexpr double kFeasTol = 1e-6;
    for (std::size_t c = 0; c < m.num_vars(); ++c) {
        const Column& col = m.columns()[c];
        if (!std::isfinite(x[c]) || x[c] < col.lower - kFeasTol || x[c] > col.upper + kFeasTol) return false;
        if (col.type != VarType::continuous && std::abs(x[c] - std::round(x[c])) > kFeasTol) return false;
    }
    for (const Row& r : m.rows()) {
        double sum = 0.0, scale = 1.0;
        for (const auto& [c, a] : r.terms) {
            sum += a * x[c];
            scale = std::max(scale, std::abs(a * x[c]));
        }
        if (sum < r.lower - kFeasTol * scale || sum > r.upper + kFeasTol * scale) return false;
    }
    return true;
}

double objective_of(const Model& m, const std::vector<double>& v) {
    double sum = m.objective_constant();
    for (std::size_t c = 0; c < v.size(); ++c) sum += m.objective()[c] * v[c];
    return sum;
}

// How an LP is solved: from scratch, or from the basis of the solve before. After rows were added
// that basis is still dual feasible (the dual simplex goes on from it); after a new objective it is
// still primal feasible where the new rows hold at the last solution (the primal simplex).
enum class LpStart { scratch, dual_from_basis, primal_from_basis };

// CLP's answer for the LP of `m` loaded in `si`.
Solution lp_solution(const Model& m, OsiClpSolverInterface& si, const SolveOptions& o, LpStart how) {
    ClpSimplex* clp = si.getModelPtr();
    clp->setLogLevel(0);
    // The formulation's tie-break preferences are about 1e-7 per kW between neighbouring periods, CLP's
    // default dual tolerance: below it, equal plans would be left to the solver's path.
    clp->setDualTolerance(1e-10);
    if (has_time_limit(o)) clp->setMaximumSeconds(o.time_limit_s);
    if (how == LpStart::scratch) {
        si.initialSolve();
    } else {
        si.setHintParam(OsiDoDualInResolve, how == LpStart::dual_from_basis, OsiHintDo);
        si.resolve();
    }
    Solution s;
    if (si.isProvenOptimal()) {
        s.status = SolveStatus::optimal;
    } else if (si.isProvenPrimalInfeasible()) {
        s.status = SolveStatus::infeasible;
    } else if (si.isProvenDualInfeasible()) {
        s.status = SolveStatus::unbounded;
    } else if (clp->status() == 3) {  // stopped on the time (or iteration) limit
        s.status = clp->numberPrimalInfeasibilities() == 0 ? SolveStatus::time_limit_feasible
                                                           : SolveStatus::time_limit_no_solution;
        s.stopped_by_clock = !clp->hitMaximumIterations();
    } else {
        s.status = SolveStatus::numerical_trouble;
    }
    if (s.status == SolveStatus::optimal || s.status == SolveStatus::time_limit_feasible) {
        s.values = tidy(m, si.getColSolution(), true);
        s.objective = objective_of(m, s.values);
        s.best_bound = s.status == SolveStatus::optimal ? s.objective : -kInf;
    }
    return s;
}

// An LP with CLP. Also answers, for a MILP that CBC found infeasible, whether its relaxation is
// unbounded instead.
Solution solve_lp(const Model& m, const SolveOptions& o) {
    OsiClpSolverInterface si;
    load(m, true, si);
    return lp_solution(m, si, o, LpStart::scratch);
}

// Appends rows [from, end) of `m` to the LP loaded in `si`.
void append_rows(const Model& m, std::size_t from, OsiClpSolverInterface& si) {
    std::vector<CoinPackedVector> rows;
    std::vector<const CoinPackedVectorBase*> pointers;
    std::vector<double> lower, upper;
    rows.reserve(m.rows().size() - from);
    for (std::size_t r = from; r < m.rows().size(); ++r) {
        const Row& row = m.rows()[r];
        CoinPackedVector& v = rows.emplace_back();
        for (const auto& [c, a] : row.terms) v.insert(static_cast<int>(c), a);
        lower.push_back(coin(row.lower));
        upper.push_back(coin(row.upper));
    }
    for (const CoinPackedVector& v : rows) pointers.push_back(&v);
    si.addRows(static_cast<int>(rows.size()), pointers.data(), lower.data(), upper.data());
}

// A whole feasible point from a start: its integer values fixed (those it does not give at their
// lower bound), the rest by an LP. Empty when that LP has no solution. (CBC's own completion of a
// partial MIP start, computeCompleteSolution, crashes in 2.10 on some models: it is not used.)
std::vector<double> completed_start(const Model& m, std::span<const StartValue> start,
                                    const SolveOptions& o) {
    Model fixed = m;
    std::vector<char> given(m.num_vars(), 0);
    for (const StartValue& v : start) {
        if (v.var.index >= m.num_vars() || m.columns()[v.var.index].type == VarType::continuous) continue;
        const Column& c = m.columns()[v.var.index];
        const double value = std::min(std::max(std::round(v.value), c.lower), c.upper);
        fixed.set_bounds(v.var, value, value);
        given[v.var.index] = 1;
    }
    for (std::size_t c = 0; c < m.num_vars(); ++c) {
        const Column& col = m.columns()[c];
        if (col.type == VarType::continuous || given[c]) continue;
        if (!std::isfinite(col.lower)) return {};
        fixed.set_bounds(Var{static_cast<std::uint32_t>(c)}, col.lower, col.lower);
    }
    const Solution lp = solve_lp(fixed, o);
    if (lp.status != SolveStatus::optimal || !satisfies(m, lp.values.data())) return {};
    return lp.values;
}

Solution solve_mip(const Model& m, const SolveOptions& o, std::span<const StartValue> start) {
    OsiClpSolverInterface si;
    load(m, false, si);
    CbcModel model(si);
    CbcSolverUsefulData data;
    data.noPrinting_ = true;
    CbcMain0(model, data);
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    model.solver()->messageHandler()->setLogLevel(0);
    std::vector<double> start_x;
    if (o.warm_start && !start.empty()) start_x = completed_start(m, start, o);
    if (!start_x.empty())
        model.setBestSolution(start_x.data(), static_cast<int>(start_x.size()),
                              objective_of(m, start_x) - m.objective_constant());

    std::vector<std::string> args = {
        "evtwin", "-log", "0", "-slog", "0", "-ratioGap", std::to_string(o.relative_gap)};
    if (!o.feasibility_pump) args.insert(args.end(), {"-feas", "off"});
    if (has_time_limit(o)) {
        args.insert(args.end(), {"-seconds", std::to_string(o.time_limit_s)});
    }
    if (o.max_nodes >= 0) args.insert(args.end(), {"-maxNodes", std::to_string(o.max_nodes)});
    if (o.threads > 1) args.insert(args.end(), {"-threads", std::to_string(o.threads)});
    args.insert(args.end(), {"-solve", "-quit"});
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());
    const auto started = std::chrono::steady_clock::now();
    CbcMain1(
        static_cast<int>(argv.size()), argv.data(), model, [](CbcModel*, int) { return 0; }, data);
    const double elapsed_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    Solution s;
    // CBC keeps no solution count when preprocessing or the root solves the problem, so the
    // incumbent is checked against the model instead.
    const double* best = model.bestSolution();
    if (best != nullptr && !satisfies(m, best)) best = nullptr;
    // CBC cuts off whatever is no better than the start. Where the start is optimal CBC may find
    // nothing better, keep an incumbent of its preprocessed model that is no point of this one, and
    // even call the model infeasible (quickstart, mpc, seed 1, 2024-07-06 21:45 UTC): the start is
    // then the answer, and optimal where CBC proved that nothing is better.
    const bool from_start = best == nullptr && !start_x.empty();
    if (from_start) best = start_x.data();
    const bool has_solution = best != nullptr;
    const int secondary = model.secondaryStatus();
    const bool start_not_beaten = from_start && (model.isProvenInfeasible() || secondary == 1);
    if (has_solution && (model.isProvenOptimal() || start_not_beaten)) {
        s.status = SolveStatus::optimal;
    } else if (model.isContinuousUnbounded() || secondary == 7) {
        s.status = SolveStatus::unbounded;
    } else if (model.isProvenInfeasible() || secondary == 1) {
        // CBC's preprocessing may call an unbounded problem infeasible: the relaxation tells them apart.
        SolveOptions lp = o;
        lp.relax_integrality = true;
        s.status = solve_lp(m, lp).status == SolveStatus::unbounded ? SolveStatus::unbounded
                                                                    : SolveStatus::infeasible;
    } else if (model.status() == 1 && (secondary == 4 || secondary == 2 || secondary == 3 || secondary == 6 ||
                                       secondary == 8 || model.maximumSecondsReached())) {
        s.status = has_solution ? SolveStatus::time_limit_feasible : SolveStatus::time_limit_no_solution;
        // CBC's secondary status 4 says it stopped on time; maximumSecondsReached() of the model
        // CbcMain1 hands back does not always agree (seen when other processes shared the cores),
        // so the time limit having passed on the wall clock counts too.
        s.stopped_by_clock = secondary == 4 || model.maximumSecondsReached() ||
                             (has_time_limit(o) && elapsed_s >= o.time_limit_s);
    } else if (model.status() == 0 && has_solution) {
        s.status = SolveStatus::optimal;
    } else {
        s.status = SolveStatus::numerical_trouble;
    }
    if (s.status == SolveStatus::optimal || s.status == SolveStatus::time_limit_feasible) {
        s.values = tidy(m, best, false);
        s.objective = objective_of(m, s.values);
        s.best_bound = s.status == SolveStatus::optimal
                           ? std::min(s.objective, model.getBestPossibleObjValue() + m.objective_constant())
                           : model.getBestPossibleObjValue() + m.objective_constant();
    }
    return s;
}

}  // namespace

std::string_view to_string(SolveStatus status) {
    switch (status) {
        case SolveStatus::optimal:
            return "optimal";
        case SolveStatus::infeasible:
            return "infeasible";
        case SolveStatus::unbounded:
            return "unbounded";
        case SolveStatus::time_limit_feasible:
            return "time_limit_feasible";
        case SolveStatus::time_limit_no_solution:
            return "time_limit_no_solution";
        case SolveStatus::numerical_trouble:
            return "numerical_trouble";
    }
    return "unknown";
}

// The LP last solved, kept for solve_again (a MILP keeps nothing: its warm start comes with each
// solve, StartValue).
struct Solver::Impl {
    std::unique_ptr<OsiClpSolverInterface> lp;
    const Model* model = nullptr;
    std::size_t rows = 0, columns = 0;
    std::vector<double> objective;

    void forget() {
        lp.reset();
        model = nullptr;
    }
    Solution solve_lp(const Model& m, const SolveOptions& o) {
        lp = std::make_unique<OsiClpSolverInterface>();
        load(m, true, *lp);
        remember(m);
        return lp_solution(m, *lp, o, LpStart::scratch);
    }
    Solution solve_again(const Model& m, const SolveOptions& o) {
        append_rows(m, rows, *lp);
        const bool new_objective = objective != m.objective();
        if (new_objective) lp->setObjective(m.objective().data());
        remember(m);
        return lp_solution(m, *lp, o, new_objective ? LpStart::primal_from_basis : LpStart::dual_from_basis);
    }
    // A batch of more than a twentieth of the rows leaves the last basis far from the optimum: the
    // dual simplex then pivots once per broken row, which takes longer than a solve from scratch.
    bool many_rows_added(const Model& m) const { return 20 * (m.num_constraints() - rows) > rows; }
    bool holds_before_rows_of(const Model& m) const {
        return lp != nullptr && model == &m && columns == m.num_vars() && rows <= m.num_constraints();
    }

private:
    void remember(const Model& m) {
        model = &m;
        rows = m.num_constraints();
        columns = m.num_vars();
        objective = m.objective();
    }
};

Solver::Solver(SolveOptions options) : options_(options), impl_(std::make_unique<Impl>()) {
    // Each solve keeps to its caller's thread, LAPACK's calls included (blas_support/threads.hpp).
    static const bool one_blas_thread = (blas_support::set_openblas_threads(1), true);
    (void)one_blas_thread;
}
Solver::~Solver() = default;
Solver::Solver(Solver&&) noexcept = default;
Solver& Solver::operator=(Solver&&) noexcept = default;

Solution Solver::solve(const Model& model, std::span<const StartValue> start) {
    const auto t0 = std::chrono::steady_clock::now();
    Solution s;
    bool kept = false;
    if (model.num_vars() == 0) {
        s.status = SolveStatus::optimal;
        s.objective = s.best_bound = model.objective_constant();
        for (const Row& r : model.rows())
            if (r.lower > 0.0 || r.upper < 0.0) s.status = SolveStatus::infeasible;
    } else if (!solvable_numbers(model)) {
        s.status = SolveStatus::numerical_trouble;
    } else if (options_.relax_integrality || !model.has_integers()) {
        s = impl_->solve_lp(model, options_);
        kept = s.status == SolveStatus::optimal;
    } else {
        s = solve_mip(model, options_, start);
    }
    if (!kept) impl_->forget();
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return s;
}

Solution Solver::solve_again(const Model& model, std::span<const StartValue> start) {
    if (!impl_->holds_before_rows_of(model) || (model.has_integers() && !options_.relax_integrality) ||
        impl_->many_rows_added(model) || !solvable_numbers(model))
        return solve(model, start);
    const auto t0 = std::chrono::steady_clock::now();
    Solution s = impl_->solve_again(model, options_);
    if (s.status != SolveStatus::optimal) impl_->forget();
    // CLP from the last basis can report a model infeasible that is not (energy first's first
    // stage on the caltech_acn month did so): solved again from scratch.
    if (!s.has_values()) return solve(model, start);
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return s;
}

}  // namespace evtwin::milp
