// The sparse factors against the dense ones: the same solutions of small matrices worked in both,
// of the IEEE 123-node feeder's power flow, and the same refusal of a singular matrix.
#include "grid/sparse_lu.hpp"
#include "grid/dss_reader.hpp"
#include "grid/power_flow.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace evtwin::grid {
namespace {

// A ladder of n nodes, each tied to ground and to its neighbours, with a cross-tie from the first to
// the last: a pattern whose elimination makes fill.
SparseMatrix ladder(int n) {
    SparseMatrix a(n);
    for (int r = 0; r < n; ++r) {
        a.add(r, r, Complex{3.0 + 0.1 * r, -2.0 + 0.05 * r});
        if (r + 1 < n) {
            a.add(r, r + 1, Complex{-1.0, 0.5});
            a.add(r + 1, r, Complex{-1.0, 0.5});
        }
    }
    a.add(0, n - 1, Complex{-0.5, 0.25});
    a.add(n - 1, 0, Complex{-0.5, 0.25});
    return a;
}

TEST(SparseLu, SolvesAsTheDenseFactorsDo) {
    const SparseMatrix a = ladder(12);
    std::vector<Complex> b;
    for (int r = 0; r < 12; ++r) b.push_back(Complex{1.0 * r, 1.0 - r});
    const std::vector<Complex> sparse = SparseLu(a).solve(b);
    const std::vector<Complex> dense = ComplexLu(a.dense()).solve(b);
    for (int r = 0; r < 12; ++r) EXPECT_LT(std::abs(sparse[r] - dense[r]), 1e-12) << r;
    // A x = b, row by row.
    for (int r = 0; r < 12; ++r) {
        Complex ax;
        for (const SparseEntry& e : a.row(r)) ax += e.value * sparse[e.col];
        EXPECT_LT(std::abs(ax - b[r]), 1e-12) << r;
    }
}

TEST(SparseLu, AZeroPivotNamesItsOriginalRow) {
    SparseMatrix a = ladder(5);
    SparseMatrix singular(6);
    for (int r = 0; r < 5; ++r)
        for (const SparseEntry& e : a.row(r)) singular.add(r, e.col, e.value);
    try {
        SparseLu lu(singular);  // row 5 has no entries at all
        FAIL() << "a singular matrix factored";
    } catch (const std::domain_error& e) {
        EXPECT_EQ(std::string(e.what()), std::string(ComplexLu::singular_message) + "5");
    }
}

TEST(SparseLu, TheIeee123PowerFlowIsTheDenseOnes) {
    const Network network =
        read_dss_file(std::string(EVTWIN_TEST_SOURCE_DIR) + "/tests/grid/data/ieee123/IEEE123Master.dss");
    PowerFlow sparse(network, PowerFlow::Factorization::sparse);
    PowerFlow dense(network, PowerFlow::Factorization::dense);
    const PowerFlowSolution s = sparse.solve();
    const PowerFlowSolution d = dense.solve();
    ASSERT_TRUE(s.converged);
    ASSERT_TRUE(d.converged);
    ASSERT_EQ(s.node_volts.size(), d.node_volts.size());
    for (std::size_t node = 0; node < s.node_volts.size(); ++node)
        EXPECT_LT(std::abs(s.node_volts[node] - d.node_volts[node]), 1e-6 * std::abs(d.node_volts[node]))
            << node;
}

}  // namespace
}  // namespace evtwin::grid
