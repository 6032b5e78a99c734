#include "grid/complex_matrix.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace evtwin::grid {

ComplexLu::ComplexLu(ComplexMatrix a) : lu_(std::move(a)), pivot_(lu_.rows) {
    if (lu_.rows != lu_.cols) throw std::invalid_argument("LU of a non-square matrix");
    const std::size_t n = lu_.rows;
    double largest = 0.0;
    for (const Complex& v : lu_.values) largest = std::max(largest, std::abs(v));
    // A pivot this far below the matrix's largest entry is round-off of an exact zero.
    const double zero_pivot = largest * 1e-14;
    for (std::size_t k = 0; k < n; ++k) {
        std::size_t best = k;
        for (std::size_t r = k + 1; r < n; ++r)
            if (std::abs(lu_(r, k)) > std::abs(lu_(best, k))) best = r;
        if (std::abs(lu_(best, k)) <= zero_pivot)
            throw std::domain_error(singular_message + std::to_string(k));
        pivot_[k] = best;
        if (best != k)
            for (std::size_t c = 0; c < n; ++c) std::swap(lu_(k, c), lu_(best, c));
        const Complex inverse_pivot = 1.0 / lu_(k, k);
        for (std::size_t r = k + 1; r < n; ++r) {
            const Complex factor = lu_(r, k) * inverse_pivot;
            lu_(r, k) = factor;
            if (factor == Complex{}) continue;
            for (std::size_t c = k + 1; c < n; ++c) lu_(r, c) -= factor * lu_(k, c);
        }
    }
}

std::vector<Complex> ComplexLu::solve(const std::vector<Complex>& b) const {
    const std::size_t n = lu_.rows;
    std::vector<Complex> x = b;
    // The factorisation swapped whole rows, multipliers included: all swaps come before L.
    for (std::size_t k = 0; k < n; ++k)
        if (pivot_[k] != k) std::swap(x[k], x[pivot_[k]]);
    for (std::size_t k = 0; k < n; ++k)
        for (std::size_t r = k + 1; r < n; ++r) x[r] -= lu_(r, k) * x[k];
    for (std::size_t k = n; k-- > 0;) {
        for (std::size_t c = k + 1; c < n; ++c) x[k] -= lu_(k, c) * x[c];
        x[k] /= lu_(k, k);
    }
    return x;
}

ComplexMatrix inverse(const ComplexMatrix& a) {
    const ComplexLu lu(a);
    ComplexMatrix result(a.rows, a.cols);
    for (std::size_t c = 0; c < a.cols; ++c) {
        std::vector<Complex> unit(a.rows);
        unit[c] = 1.0;
        const std::vector<Complex> column = lu.solve(unit);
        for (std::size_t r = 0; r < a.rows; ++r) result(r, c) = column[r];
    }
    return result;
}

}  // namespace evtwin::grid
