#pragma once
// LU factors of a sparse matrix whose pattern is symmetric (a nodal admittance matrix's is): the
// rows and columns eliminated in a minimum-degree order, which keeps the factors about as sparse as
// the matrix on a radial feeder, and without pivoting (docs/grid.md says why that is safe here).
#include "grid/sparse_matrix.hpp"

#include <cstddef>
#include <vector>

namespace evtwin::grid {

class SparseLu {
public:
    // Throws std::domain_error (ComplexLu::singular_message and the original row) when a pivot is
    // zero: a node with no path to the source.
    explicit SparseLu(const SparseMatrix& a);

    std::vector<Complex> solve(const std::vector<Complex>& b) const;
    std::size_t size() const { return order_.size(); }
    // The entries of L and U together, the diagonal once: the matrix's own and the fill.
    std::size_t factor_entries() const { return l_values_.size() + u_values_.size(); }

private:
    std::vector<int> order_;     // order_[k]: the original row and column eliminated k-th
    std::vector<int> position_;  // its inverse
    // Row k of the factors in elimination order: L's columns below k (its diagonal is 1) and U's
    // from k on, the diagonal first.
    std::vector<std::size_t> l_start_, u_start_;
    std::vector<int> l_cols_, u_cols_;
    std::vector<Complex> l_values_, u_values_;
    std::vector<Complex> inverse_pivots_;  // 1 / U's diagonal: a complex division costs many products
};

}  // namespace evtwin::grid
