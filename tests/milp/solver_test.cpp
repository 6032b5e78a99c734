// Solving with CLP and CBC: tiny LPs and MILPs whose optimum is worked out by hand in the comments,
// infeasible and unbounded problems, integrality, the LP relaxation and the time limit.
#include "plugins/milp/model/solver.hpp"
#include <support/test_support.hpp>

#include <gtest/gtest.h>
#include <CoinMpsIO.hpp>

#include <cstdint>
#include <fstream>

namespace evtwin::milp {
namespace {

constexpr double kSolverTol = 1e-6;

// min -x - y  s.t.  x + 2y <= 4,  3x + y <= 6,  x, y >= 0.
// Vertices: (0,0) -> 0, (2,0) -> -2, (0,2) -> -2, and x + 2y = 4 with 3x + y = 6: y = 6 - 3x,
// x + 12 - 6x = 4, x = 1.6, y = 1.2 -> -2.8, the optimum.
TEST(MilpSolver, TwoVariableLpAtTheCrossingVertex) {
    Model m;
    const Var x = m.add_continuous(0, kInf, "x");
    const Var y = m.add_continuous(0, kInf, "y");
    m.add_le(LinExpr(x) + 2.0 * LinExpr(y), 4);
    m.add_le(3.0 * LinExpr(x) + y, 6);
    m.minimise(-LinExpr(x) - y);
    const Solution s = solve(m);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(s.value(x), 1.6, kSolverTol);
    EXPECT_NEAR(s.value(y), 1.2, kSolverTol);
    EXPECT_NEAR(s.objective, -2.8, kSolverTol);
    EXPECT_NEAR(s.value(LinExpr(x) + 2.0 * LinExpr(y)), 4.0, kSolverTol);  // the binding row
}

// min 2x + 3y + 1  s.t.  x + y == 10,  x <= 6 (a row),  y >= 0: x is the cheaper, so x = 6, y = 4,
// objective 12 + 12 + 1 = 25.
TEST(MilpSolver, EqualityAndObjectiveConstant) {
    Model m;
    const Var x = m.add_continuous(-kInf, kInf, "x");
    const Var y = m.add_continuous(0, kInf, "y");
    m.add_eq(LinExpr(x) + y, 10);
    m.add_le(LinExpr(x), 6);
    m.minimise(2.0 * LinExpr(x) + 3.0 * LinExpr(y) + 1.0);
    const Solution s = solve(m);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(s.value(x), 6.0, kSolverTol);
    EXPECT_NEAR(s.value(y), 4.0, kSolverTol);
    EXPECT_NEAR(s.objective, 25.0, kSolverTol);
}

// min -2x - 3y  s.t.  x + 2y <= 4,  3x + y <= 6,  x, y >= 0 integer.
// The relaxation's vertices: (1.6,1.2) -> -6.8 (its optimum), (0,2) -> -6, (2,0) -> -4.
// Integer points: (0,2) -> -6, (1,1) -> -5, (2,0) -> -4, (0,1), (1,0), (0,0) worse; (2,1) and
// (1,2) break a row. Rounding the relaxation gives (2,1) (infeasible) or (1,1) (-5): the integer
// optimum is (0,2) with -6.
TEST(MilpSolver, IntegerOptimumIsNotTheRoundedRelaxation) {
    Model m;
    const Var x = m.add_integer(0, kInf, "x");
    const Var y = m.add_integer(0, kInf, "y");
    m.add_le(LinExpr(x) + 2.0 * LinExpr(y), 4);
    m.add_le(3.0 * LinExpr(x) + y, 6);
    m.minimise(-2.0 * LinExpr(x) - 3.0 * LinExpr(y));

    const Solution mip = solve(m);
    ASSERT_EQ(mip.status, SolveStatus::optimal);
    EXPECT_DOUBLE_EQ(mip.value(x), 0.0);
    EXPECT_DOUBLE_EQ(mip.value(y), 2.0);
    EXPECT_NEAR(mip.objective, -6.0, kSolverTol);

    const Solution lp = solve(m, {.relax_integrality = true});
    ASSERT_EQ(lp.status, SolveStatus::optimal);
    EXPECT_NEAR(lp.value(x), 1.6, kSolverTol);
    EXPECT_NEAR(lp.value(y), 1.2, kSolverTol);
    EXPECT_NEAR(lp.objective, -6.8, kSolverTol);
}

// Knapsack: max 10a + 13b + 7c  s.t.  4a + 6b + 3c <= 9, binary. Subsets within 9: {a,c} weight 7
// value 17, {b,c} weight 9 value 20, singles less; {a,b} weighs 10. Optimum {b,c} = 20.
// Relaxation by value per weight (a 2.5, c 2.33, b 2.17): a and c whole (7), then 2/6 of b:
// 17 + 13/3 = 21.333...
TEST(MilpSolver, BinaryKnapsackAndItsRelaxation) {
    Model m;
    const Var a = m.add_binary("a");
    const Var b = m.add_binary("b");
    const Var c = m.add_binary("c");
    m.add_le(4.0 * LinExpr(a) + 6.0 * LinExpr(b) + 3.0 * LinExpr(c), 9);
    m.minimise(-(10.0 * LinExpr(a) + 13.0 * LinExpr(b) + 7.0 * LinExpr(c)));

    const Solution mip = solve(m);
    ASSERT_EQ(mip.status, SolveStatus::optimal);
    EXPECT_EQ(mip.value(a), 0.0);
    EXPECT_EQ(mip.value(b), 1.0);
    EXPECT_EQ(mip.value(c), 1.0);
    EXPECT_NEAR(mip.objective, -20.0, kSolverTol);

    const Solution lp = solve(m, {.relax_integrality = true});
    ASSERT_EQ(lp.status, SolveStatus::optimal);
    EXPECT_NEAR(lp.value(a), 1.0, kSolverTol);
    EXPECT_NEAR(lp.value(b), 1.0 / 3.0, kSolverTol);
    EXPECT_NEAR(lp.value(c), 1.0, kSolverTol);
    EXPECT_NEAR(lp.objective, -(17.0 + 13.0 / 3.0), kSolverTol);
}

// A charger's minimum power when on: p in {0} U [4, 10], and the vehicle needs p >= 2. With
// on binary: 4·on <= p <= 10·on. Minimising p: on = 1, p = 4. The relaxation may take on = 0.2,
// p = 2. MILP and LP agree again once the need is 5 (then p = 5 either way, on = 0.5 in the LP
// can hold 4·0.5 <= 5 <= 10·0.5, so the LP finds 5 too).
TEST(MilpSolver, MinimumPowerWhenOnNeedsTheBinary) {
    for (const double need : {2.0, 5.0}) {
        Model m;
        const Var p = m.add_continuous(0, 10, "p");
        const Var on = m.add_binary("on");
        m.add_ge(LinExpr(p) - 4.0 * LinExpr(on), 0);
        m.add_le(LinExpr(p) - 10.0 * LinExpr(on), 0);
        m.add_ge(LinExpr(p), need);
        m.minimise(LinExpr(p));
        const Solution mip = solve(m);
        const Solution lp = solve(m, {.relax_integrality = true});
        ASSERT_EQ(mip.status, SolveStatus::optimal);
        ASSERT_EQ(lp.status, SolveStatus::optimal);
        EXPECT_NEAR(mip.value(p), std::max(4.0, need), kSolverTol) << need;
        EXPECT_EQ(mip.value(on), 1.0);
        EXPECT_NEAR(lp.value(p), need, kSolverTol) << need;
    }
}

// max x  s.t.  2x <= 7, x integer -> x = 3 (the relaxation: 3.5).
TEST(MilpSolver, GeneralIntegerRoundsDown) {
    Model m;
    const Var x = m.add_integer(0, 100, "x");
    m.add_le(2.0 * LinExpr(x), 7);
    m.minimise(-LinExpr(x));
    const Solution s = solve(m);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_EQ(s.value(x), 3.0);
    EXPECT_NEAR(solve(m, {.relax_integrality = true}).value(x), 3.5, kSolverTol);
}

// x + y >= 5 with x, y <= 2 has no point, as an LP and as a MILP.
TEST(MilpSolver, InfeasibleIsReportedWithoutValues) {
    for (const VarType type : {VarType::continuous, VarType::integer}) {
        Model m;
        const Var x = m.add_var(0, 2, type, "x");
        const Var y = m.add_var(0, 2, type, "y");
        m.add_ge(LinExpr(x) + y, 5);
        m.minimise(LinExpr(x) + y);
        const Solution s = solve(m);
        EXPECT_EQ(s.status, SolveStatus::infeasible) << to_string(s.status);
        EXPECT_FALSE(s.has_values());
    }
}

// min -x  s.t.  x - y <= 1, x, y >= 0: x = y + 1 grows without bound.
TEST(MilpSolver, UnboundedIsReported) {
    for (const VarType type : {VarType::continuous, VarType::integer}) {
        Model m;
        const Var x = m.add_var(0, kInf, type, "x");
        const Var y = m.add_var(0, kInf, type, "y");
        m.add_le(LinExpr(x) - y, 1);
        m.minimise(-LinExpr(x));
        const Solution s = solve(m);
        EXPECT_EQ(s.status, SolveStatus::unbounded) << to_string(s.status);
        EXPECT_FALSE(s.has_values());
    }
}

// A finite number no site gives (a PV array of 1e300 kWp made CLP abort the process): numerical
// trouble, not a solve, for LPs and MILPs alike. (Model refuses NaN and infinite coefficients.)
TEST(MilpSolver, NumbersOutOfRangeAreNumericalTroubleWithoutASolve) {
    const auto status = [](VarType type, double column_upper, double coefficient, double row_upper,
                           double cost) {
        Model m;
        const Var x = m.add_var(0, column_upper, type, "x");
        const Var y = m.add_var(0, 10, type, "y");
        m.add_le(coefficient * LinExpr(x) + y, row_upper);
        m.minimise(cost * LinExpr(x) - y);
        const Solution s = solve(m);
        EXPECT_FALSE(s.has_values() && s.status == SolveStatus::numerical_trouble);
        return s.status;
    };
    for (const VarType type : {VarType::continuous, VarType::integer}) {
        EXPECT_EQ(status(type, kInf, 1, 8, 1), SolveStatus::optimal);
        EXPECT_EQ(status(type, 1e6, 1e6, 1e6, -1e6), SolveStatus::optimal);
        for (const double huge : {1e20, -1e300}) {
            EXPECT_EQ(status(type, kInf, huge, 8, 1), SolveStatus::numerical_trouble) << huge;
            EXPECT_EQ(status(type, kInf, 1, 8, huge), SolveStatus::numerical_trouble) << huge;
            EXPECT_EQ(status(type, kInf, 1, huge, 1), SolveStatus::numerical_trouble) << huge;
        }
        EXPECT_EQ(status(type, 1e300, 1, 8, 1), SolveStatus::numerical_trouble);
    }
}

TEST(MilpSolver, ModelWithoutRowsOrVariables) {
    Model empty;
    empty.minimise(LinExpr(4.0));
    const Solution e = solve(empty);
    EXPECT_EQ(e.status, SolveStatus::optimal);
    EXPECT_DOUBLE_EQ(e.objective, 4.0);

    Model bounds_only;  // min 3x - 2y over the box [1,5] x [0,2] (integers): x = 1, y = 2 -> -1
    const Var x = bounds_only.add_integer(1, 5);
    const Var y = bounds_only.add_integer(0, 2);
    bounds_only.minimise(3.0 * LinExpr(x) - 2.0 * LinExpr(y));
    const Solution s = solve(bounds_only);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_EQ(s.value(x), 1.0);
    EXPECT_EQ(s.value(y), 2.0);
    EXPECT_NEAR(s.objective, -1.0, kSolverTol);
}

// Market split (Cornuéjols and Dawande): sum_j a_ij x_j = b_i with b_i half the row sum, x binary,
// is notoriously hard for branch and bound. With a slack on each row (minimise its size) every x
// is feasible, so a heuristic finds a solution at once while the proof takes far longer than the
// time limit. Coefficients come from a fixed LCG, so the instance is the same every run.
Model market_split(int rows, int cols, bool with_slack) {
    std::uint64_t state = 12345;
    auto next = [&state] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<int>((state >> 33) % 100);
    };
    Model m;
    std::vector<Var> x;
    for (int j = 0; j < cols; ++j) x.push_back(m.add_binary());
    LinExpr objective;
    for (int i = 0; i < rows; ++i) {
        LinExpr row;
        int sum = 0;
        for (int j = 0; j < cols; ++j) {
            const int a = next();
            sum += a;
            row.add(x[j], a);
        }
        if (with_slack) {
            const Var over = m.add_continuous(0, kInf);
            const Var under = m.add_continuous(0, kInf);
            row.add(over, -1.0).add(under, 1.0);
            objective.add(over, 1.0).add(under, 1.0);
        }
        m.add_eq(row, sum / 2);
    }
    m.minimise(objective);
    return m;
}

TEST(MilpSolver, TimeLimitWithAFeasibleSolution) {
    const Model m = market_split(6, 50, true);
    const Solution s = solve(m, {.time_limit_s = 0.3});
    ASSERT_EQ(s.status, SolveStatus::time_limit_feasible) << to_string(s.status);
    ASSERT_TRUE(s.has_values());
    // The values satisfy every row and the bound is below the incumbent.
    for (const Row& r : m.rows()) {
        double sum = 0;
        for (const auto& [c, a] : r.terms) sum += a * s.values[c];
        EXPECT_NEAR(sum, r.lower, 1e-6);
    }
    EXPECT_LE(s.best_bound, s.objective + kSolverTol);
    EXPECT_GE(s.objective, 0.0);
    EXPECT_TRUE(s.stopped_by_clock);
}

// A node limit stops the search where a time limit would, but at the same point every time.
TEST(MilpSolver, NodeLimitStopsTheSameWayEveryTime) {
    const Model m = market_split(6, 50, true);
    const Solution a = solve(m, {.time_limit_s = 60.0, .max_nodes = 5});
    const Solution b = solve(m, {.time_limit_s = 60.0, .max_nodes = 5});
    ASSERT_EQ(a.status, SolveStatus::time_limit_feasible) << to_string(a.status);
    EXPECT_EQ(a.values, b.values);
    EXPECT_EQ(a.objective, b.objective);
    EXPECT_FALSE(a.stopped_by_clock);
}

TEST(MilpSolver, TimeLimitWithoutASolution) {
    const Model m = market_split(6, 50, false);
    const Solution s = solve(m, {.time_limit_s = 0.3});
    EXPECT_EQ(s.status, SolveStatus::time_limit_no_solution) << to_string(s.status);
    EXPECT_FALSE(s.has_values());
    EXPECT_TRUE(s.stopped_by_clock);
}

// Market split rows whose right-hand sides come from a known binary point: the point is feasible,
// yet branch and bound does not find it (or any other) within the time limit on its own.
Model market_split_through(const std::vector<int>& point, int rows) {
    std::uint64_t state = 777;
    Model m;
    std::vector<Var> x;
    for (std::size_t j = 0; j < point.size(); ++j) x.push_back(m.add_binary());
    for (int i = 0; i < rows; ++i) {
        LinExpr row;
        int rhs = 0;
        for (std::size_t j = 0; j < point.size(); ++j) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            const int a = static_cast<int>((state >> 33) % 100);
            row.add(x[j], a);
            rhs += a * point[j];
        }
        m.add_eq(row, rhs);
    }
    m.minimise(LinExpr(x[0]));
    return m;
}

TEST(MilpSolver, WarmStartGivesTheSearchAFeasiblePoint) {
    std::vector<int> point(50);
    for (std::size_t j = 0; j < point.size(); ++j) point[j] = (j * 7 + 3) % 5 < 2 ? 1 : 0;
    const Model m = market_split_through(point, 6);
    std::vector<StartValue> start;
    for (std::size_t j = 0; j < point.size(); ++j)
        start.push_back({Var{static_cast<std::uint32_t>(j)}, double(point[j])});

    const Solution cold = solve(m, {.time_limit_s = 0.3});
    EXPECT_FALSE(cold.has_values()) << to_string(cold.status);

    const Solution warm = Solver({.time_limit_s = 0.3}).solve(m, start);
    ASSERT_TRUE(warm.has_values()) << to_string(warm.status);
    for (const Row& r : m.rows()) {
        double sum = 0;
        for (const auto& [c, a] : r.terms) sum += a * warm.values[c];
        EXPECT_NEAR(sum, r.lower, 1e-6);
    }

    const Solution ignored = Solver({.time_limit_s = 0.3, .warm_start = false}).solve(m, start);
    EXPECT_FALSE(ignored.has_values()) << "warm_start = false must ignore the start";
}

// A start that breaks a row is dropped, not an error: the knapsack max 5a + 4b + 3c, 2a + 3b + c
// <= 4 has its optimum a = c = 1 (8); the start a = b = c = 1 weighs 6.
TEST(MilpSolver, InfeasibleWarmStartIsDropped) {
    Model m;
    const Var a = m.add_binary("a"), b = m.add_binary("b"), c = m.add_binary("c");
    m.add_le(2.0 * LinExpr(a) + 3.0 * LinExpr(b) + c, 4);
    m.minimise(-5.0 * LinExpr(a) - 4.0 * LinExpr(b) - 3.0 * LinExpr(c));
    const std::vector<StartValue> start = {{a, 1.0}, {b, 1.0}, {c, 1.0}};
    const Solution s = Solver().solve(m, start);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(s.objective, -8.0, kSolverTol);
    EXPECT_EQ(s.value(b), 0.0);
}

// A model written by COIN as MPS (rows each one-sided or an equality, as the formulation makes them).
Model read_mps(const std::filesystem::path& file) {
    CoinMpsIO mps;
    mps.messageHandler()->setLogLevel(0);
    if (mps.readMps(file.c_str(), "") != 0) throw std::runtime_error("cannot read " + file.string());
    Model m;
    for (int c = 0; c < mps.getNumCols(); ++c) {
        const double lower = mps.getColLower()[c], upper = mps.getColUpper()[c];
        const VarType type = !mps.isInteger(c)              ? VarType::continuous
                             : lower == 0.0 && upper == 1.0 ? VarType::binary
                                                            : VarType::integer;
        m.add_var(lower <= -mps.getInfinity() ? -kInf : lower, upper >= mps.getInfinity() ? kInf : upper,
                  type);
    }
    const CoinPackedMatrix& by_row = *mps.getMatrixByRow();
    for (int r = 0; r < mps.getNumRows(); ++r) {
        LinExpr row;
        const CoinShallowPackedVector terms = by_row.getVector(r);
        for (int k = 0; k < terms.getNumElements(); ++k)
            row.add(Var{static_cast<std::uint32_t>(terms.getIndices()[k])}, terms.getElements()[k]);
        const double lower = mps.getRowLower()[r], upper = mps.getRowUpper()[r];
        if (lower == upper)
            m.add_eq(row, lower);
        else if (lower > -mps.getInfinity())
            m.add_ge(row, lower);
        else
            m.add_le(row, upper);
    }
    LinExpr objective(-mps.objectiveOffset());
    for (int c = 0; c < mps.getNumCols(); ++c)
        if (mps.getObjCoefficients()[c] != 0.0)
            objective.add(Var{static_cast<std::uint32_t>(c)}, mps.getObjCoefficients()[c]);
    m.minimise(objective);
    return m;
}

// A decision of mpc on quickstart (seed 1, 2024-07-06 21:45 UTC; tests/milp/data/optimal_start.*)
// with the start the receding horizon carried from the plan before, which is optimal here. CBC cuts
// off whatever is no better than the start, finds nothing, and reports the model infeasible, keeping
// an incumbent of its preprocessed model that is no point of this one: the start is the optimum.
TEST(MilpSolver, AnOptimalStartIsTheAnswerWhenCbcFindsNothingBetter) {
    const Model m = read_mps(test::source_file("tests/milp/data/optimal_start.mps.gz"));
    std::vector<StartValue> start;
    std::ifstream values(test::source_file("tests/milp/data/optimal_start.start"));
    std::uint32_t column = 0;
    double value = 0.0;
    while (values >> column >> value) start.push_back({Var{column}, value});
    ASSERT_FALSE(start.empty());
    const Solution cold = Solver().solve(m);
    ASSERT_EQ(cold.status, SolveStatus::optimal) << to_string(cold.status);
    const Solution warm = Solver().solve(m, start);
    ASSERT_EQ(warm.status, SolveStatus::optimal) << to_string(warm.status);
    EXPECT_NEAR(warm.objective, cold.objective, 1e-6 * std::abs(cold.objective));
}

}  // namespace
}  // namespace evtwin::milp
