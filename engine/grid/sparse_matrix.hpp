#pragma once
// A square complex matrix by its nonzero entries: the nodal admittance matrix, whose rows have a
// handful of entries each (a node's own conductors and its neighbours' across lines and windings).
#include "grid/complex_matrix.hpp"

#include <cstddef>
#include <vector>

namespace evtwin::grid {

struct SparseEntry {
    int col = 0;
    Complex value;
};

class SparseMatrix {
public:
    explicit SparseMatrix(std::size_t size = 0) : rows_(size) {}

    // Adds to the entry (row, col), making it when it is new.
    void add(int row, int col, Complex value);
    Complex at(int row, int col) const;  // zero where there is no entry
    const std::vector<SparseEntry>& row(int r) const { return rows_[r]; }
    std::size_t size() const { return rows_.size(); }

    // The block of rows and columns from `first` on, renumbered from 0.
    SparseMatrix trailing_block(int first) const;
    ComplexMatrix dense() const;

private:
    std::vector<std::vector<SparseEntry>> rows_;  // each by ascending column
};

}  // namespace evtwin::grid
