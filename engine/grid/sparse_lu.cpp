#include "grid/sparse_lu.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <stdexcept>
#include <string>
#include <utility>

namespace evtwin::grid {
namespace {

// Each row's off-diagonal columns, the pattern made symmetric.
std::vector<std::vector<int>> symmetric_pattern(const SparseMatrix& a) {
    std::vector<std::vector<int>> adjacent(a.size());
    for (std::size_t r = 0; r < a.size(); ++r)
        for (const SparseEntry& e : a.row(static_cast<int>(r)))
            if (static_cast<std::size_t>(e.col) != r) {
                adjacent[r].push_back(e.col);
                adjacent[e.col].push_back(static_cast<int>(r));
            }
    for (std::vector<int>& row : adjacent) {
        std::sort(row.begin(), row.end());
        row.erase(std::unique(row.begin(), row.end()), row.end());
    }
    return adjacent;
}

// Eliminates the graph's vertices one by one, each time the one with the fewest neighbours left,
// joining its neighbours to each other (the fill). Gives the order and, per step, the neighbours the
// eliminated vertex had then: U's row pattern at that step.
void minimum_degree(std::vector<std::vector<int>> adjacent, std::vector<int>& order,
                    std::vector<std::vector<int>>& neighbours_when_eliminated) {
    const std::size_t n = adjacent.size();
    // The vertices by degree, fewest first (then the lowest number); an entry whose degree has
    // changed since it was queued is stale and skipped.
    using Queued = std::pair<std::size_t, int>;
    std::priority_queue<Queued, std::vector<Queued>, std::greater<>> by_degree;
    std::vector<bool> eliminated(n, false);
    for (std::size_t v = 0; v < n; ++v) by_degree.emplace(adjacent[v].size(), static_cast<int>(v));
    while (!by_degree.empty()) {
        const auto [degree, best] = by_degree.top();
        by_degree.pop();
        if (eliminated[best] || degree != adjacent[best].size()) continue;
        eliminated[best] = true;
        std::vector<int> clique = std::move(adjacent[best]);
        for (const int u : clique) {
            std::vector<int>& row = adjacent[u];
            row.erase(std::lower_bound(row.begin(), row.end(), best));
            for (const int w : clique) {
                const auto at = std::lower_bound(row.begin(), row.end(), w);
                if (w != u && (at == row.end() || *at != w)) row.insert(at, w);
            }
            by_degree.emplace(row.size(), u);
        }
        order.push_back(best);
        neighbours_when_eliminated.push_back(std::move(clique));
    }
}

}  // namespace

SparseLu::SparseLu(const SparseMatrix& a) {
    const std::size_t n = a.size();
    std::vector<std::vector<int>> neighbours;
    minimum_degree(symmetric_pattern(a), order_, neighbours);
    position_.assign(n, 0);
    for (std::size_t k = 0; k < n; ++k) position_[order_[k]] = static_cast<int>(k);

    // The filled pattern in elimination order: U's row k is k and its neighbours when eliminated, all
    // eliminated later; L's row i has the k whose U row holds i, met in ascending k.
    std::vector<std::vector<int>> u_pattern(n), l_pattern(n);
    for (std::size_t k = 0; k < n; ++k) {
        u_pattern[k].push_back(static_cast<int>(k));
        for (const int v : neighbours[k]) u_pattern[k].push_back(position_[v]);
        std::sort(u_pattern[k].begin() + 1, u_pattern[k].end());
        for (std::size_t j = 1; j < u_pattern[k].size(); ++j)
            l_pattern[u_pattern[k][j]].push_back(static_cast<int>(k));
    }

    // Squared magnitudes (std::norm) throughout: no square roots.
    double largest = 0.0;
    for (std::size_t r = 0; r < n; ++r)
        for (const SparseEntry& e : a.row(static_cast<int>(r)))
            largest = std::max(largest, std::norm(e.value));
    // A pivot this far below the matrix's largest entry is round-off of an exact zero.
    const double zero_pivot = largest * 1e-28;

    // Row by row: the row of A scattered into a work row, the earlier rows of U subtracted in
    // ascending order (each leaves its multiplier in L), what is left gathered into U.
    std::vector<Complex> work(n);
    for (std::size_t i = 0; i < n; ++i) {
        for (const SparseEntry& e : a.row(order_[i])) work[position_[e.col]] += e.value;
        l_start_.push_back(l_cols_.size());
        for (const int k : l_pattern[i]) {
            const Complex multiplier = work[k] * inverse_pivots_[k];
            work[k] = Complex{};
            l_cols_.push_back(k);
            l_values_.push_back(multiplier);
            for (std::size_t e = u_start_[k] + 1; e < u_start_[k] + u_pattern[k].size(); ++e)
                work[u_cols_[e]] -= multiplier * u_values_[e];
        }
        if (!(std::norm(work[i]) > zero_pivot))
            throw std::domain_error(ComplexLu::singular_message + std::to_string(order_[i]));
        inverse_pivots_.push_back(1.0 / work[i]);
        u_start_.push_back(u_cols_.size());
        for (const int j : u_pattern[i]) {
            u_cols_.push_back(j);
            u_values_.push_back(work[j]);
            work[j] = Complex{};
        }
    }
    l_start_.push_back(l_cols_.size());
    u_start_.push_back(u_cols_.size());
}

std::vector<Complex> SparseLu::solve(const std::vector<Complex>& b) const {
    const std::size_t n = order_.size();
    std::vector<Complex> y(n);
    for (std::size_t k = 0; k < n; ++k) y[k] = b[order_[k]];
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t e = l_start_[i]; e < l_start_[i + 1]; ++e) y[i] -= l_values_[e] * y[l_cols_[e]];
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t e = u_start_[i] + 1; e < u_start_[i + 1]; ++e) y[i] -= u_values_[e] * y[u_cols_[e]];
        y[i] *= inverse_pivots_[i];
    }
    std::vector<Complex> x(n);
    for (std::size_t k = 0; k < n; ++k) x[order_[k]] = y[k];
    return x;
}

}  // namespace evtwin::grid
