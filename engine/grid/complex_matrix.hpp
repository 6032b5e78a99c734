#pragma once
// Small dense complex matrices: a line's 3x3 impedance, and LU factors with partial pivoting (the
// power flow's dense factors, kept to compare with its sparse ones, grid/sparse_lu.hpp).
#include <complex>
#include <cstddef>
#include <vector>

namespace evtwin::grid {

using Complex = std::complex<double>;

struct ComplexMatrix {
    ComplexMatrix() = default;
    ComplexMatrix(std::size_t rows, std::size_t cols) : rows(rows), cols(cols), values(rows * cols) {}

    Complex& operator()(std::size_t r, std::size_t c) { return values[r * cols + c]; }
    const Complex& operator()(std::size_t r, std::size_t c) const { return values[r * cols + c]; }

    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<Complex> values;
};

// LU factors with partial pivoting of a square matrix; solve() answers A x = b.
class ComplexLu {
public:
    // Throws std::domain_error when a pivot is zero (a singular matrix: a node with no path to
    // the source).
    explicit ComplexLu(ComplexMatrix a);

    std::vector<Complex> solve(const std::vector<Complex>& b) const;
    std::size_t size() const { return lu_.rows; }
    // The row of the original matrix whose pivot vanished, as reported by the exception.
    static constexpr const char* singular_message = "singular matrix at row ";

private:
    ComplexMatrix lu_;
    std::vector<std::size_t> pivot_;
};

// The inverse of a small square matrix (a line's impedance to its series admittance).
ComplexMatrix inverse(const ComplexMatrix& a);

}  // namespace evtwin::grid
