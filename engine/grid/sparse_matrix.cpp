#include "grid/sparse_matrix.hpp"

#include <algorithm>

namespace evtwin::grid {

void SparseMatrix::add(int row, int col, Complex value) {
    std::vector<SparseEntry>& entries = rows_[row];
    const auto at = std::lower_bound(entries.begin(), entries.end(), col,
                                     [](const SparseEntry& e, int c) { return e.col < c; });
    if (at != entries.end() && at->col == col)
        at->value += value;
    else
        entries.insert(at, SparseEntry{col, value});
}

Complex SparseMatrix::at(int row, int col) const {
    const std::vector<SparseEntry>& entries = rows_[row];
    const auto found = std::lower_bound(entries.begin(), entries.end(), col,
                                        [](const SparseEntry& e, int c) { return e.col < c; });
    return found != entries.end() && found->col == col ? found->value : Complex{};
}

SparseMatrix SparseMatrix::trailing_block(int first) const {
    SparseMatrix block(rows_.size() - static_cast<std::size_t>(first));
    for (std::size_t r = first; r < rows_.size(); ++r)
        for (const SparseEntry& e : rows_[r])
            if (e.col >= first) block.rows_[r - first].push_back(SparseEntry{e.col - first, e.value});
    return block;
}

ComplexMatrix SparseMatrix::dense() const {
    ComplexMatrix m(rows_.size(), rows_.size());
    for (std::size_t r = 0; r < rows_.size(); ++r)
        for (const SparseEntry& e : rows_[r]) m(r, e.col) = e.value;
    return m;
}

}  // namespace evtwin::grid
