#pragma once
// The network's nodes (a bus's conductors) and its nodal admittance matrix: the linear elements
// (lines, switches, transformers, capacitors) stamped as in docs/grid.md.
#include "grid/complex_matrix.hpp"
#include "grid/network.hpp"
#include "grid/sparse_matrix.hpp"

#include <array>
#include <vector>

namespace evtwin::grid {

constexpr int ground_node = -1;

struct NodeIndex {
    std::vector<std::array<int, 4>> of_bus;  // [bus][conductor 1..3]; -1 where the bus has none
    int count = 0;
    int source_nodes = 3;  // nodes 0..2 are the source bus's phases

    int node(const Terminal& terminal, std::size_t k) const;  // ground_node for conductor 0
};

// Nodes numbered the source bus's three phases first. Throws DataError naming an element whose
// terminal names a conductor outside 0..3 or has too few conductors.
NodeIndex index_nodes(const Network& network);

// A two-terminal branch of an element's phase: from node p to node q (ground_node for ground).
struct Branch {
    int p = ground_node;
    int q = ground_node;
};

// The branches of a wye or delta element of `phases` phases. A delta load or capacitor's phase k
// is across conductors k and k+1; a transformer's delta winding k across k and k-1, which makes a
// delta-wye bank's low side lag its high side by 30 degrees (the ANSI convention).
std::vector<Branch> element_branches(const NodeIndex& nodes, const Terminal& terminal, Connection connection,
                                     int phases, bool transformer_winding);

// The conductors a wye or delta element of `phases` phases connects to: a single-phase delta
// element spans two.
inline std::size_t conductors_needed(Connection connection, int phases) {
    return connection == Connection::delta && phases == 1 ? 2 : static_cast<std::size_t>(phases);
}

// The nominal voltage across each of an element's branches, in volts.
double branch_volts(double kv, Connection connection, int phases);

// Each line's series admittance Z^-1. Throws DataError naming a line whose Z is singular.
std::vector<ComplexMatrix> line_series_admittances(const Network& network);

SparseMatrix nodal_admittance(const Network& network, const NodeIndex& nodes);
// The same with the lines' series admittances given (the power flow keeps them for the lines' flows).
SparseMatrix nodal_admittance(const Network& network, const NodeIndex& nodes,
                              const std::vector<ComplexMatrix>& line_series);

}  // namespace evtwin::grid
