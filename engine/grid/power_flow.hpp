#pragma once
// Unbalanced three-phase power flow by fixed-point current injection (docs/grid.md): the linear
// elements in one nodal admittance matrix, factored once; the loads as currents that depend on the
// voltages, iterated until no node's voltage moves by more than the tolerance.
#include "grid/network.hpp"

#include <array>
#include <optional>
#include <vector>

namespace evtwin::grid {

struct PowerFlowOptions {
    double tolerance_pu = 1e-9;  // the largest change of a node's voltage between two iterations
    int max_iterations = 100;
};

struct LineFlow {
    std::vector<Complex> current_a;  // per phase, into the line at its from end
    Complex power_in_kva;            // into the line at its from end
    Complex loss_kva;
};

struct PowerFlowSolution {
    bool converged = false;
    int iterations = 0;
    double last_change_pu = 0.0;
    std::vector<std::array<int, 4>> node_of_bus;  // [bus][conductor 1..3]; -1 where none
    std::vector<Complex> node_volts;
    std::vector<double> bus_base_kv_ln;  // 0 where the network gives no voltage bases
    std::vector<LineFlow> lines;         // as Network::lines
    Complex source_power_kva;
    Complex load_power_kva;
    double loss_kw = 0.0;

    std::optional<Complex> volts(int bus, int conductor) const;
    // |V| over the bus's base, and the angle in degrees; nullopt where the bus lacks the phase.
    std::optional<Complex> per_unit(int bus, int conductor) const;
};

// Throws DataError when an element is ill-formed or a node has no path to the source.
PowerFlowSolution solve_power_flow(const Network& network, const PowerFlowOptions& options = {});

}  // namespace evtwin::grid
