#pragma once
// Unbalanced three-phase power flow by fixed-point current injection (docs/grid.md): the linear
// elements in one nodal admittance matrix, factored once; the loads as currents that depend on the
// voltages, iterated until no node's voltage moves by more than the tolerance.
#include "grid/complex_matrix.hpp"
#include "grid/network.hpp"
#include "grid/nodal_admittance.hpp"
#include "grid/sparse_lu.hpp"
#include "grid/transformer_flow.hpp"

#include <array>
#include <optional>
#include <span>
#include <vector>

namespace evtwin::grid {

struct PowerFlowOptions {
    double tolerance_pu = 1e-9;  // the largest change of a load's voltage between two iterations
    int max_iterations = 100;
};

struct LineFlow {
    // Per phase, into the line at its from end (a line has at most three: index_nodes refuses more
    // than its buses' conductors).
    std::array<Complex, 3> current_a{};
    Complex power_in_kva;  // into the line at its from end
    Complex loss_kva;
    double loading = 0.0;  // the largest phase current over the line's normal rating
};

struct PowerFlowSolution {
    bool converged = false;
    int iterations = 0;
    double last_change_pu = 0.0;
    std::vector<std::array<int, 4>> node_of_bus;  // [bus][conductor 1..3]; -1 where none
    std::vector<Complex> node_volts;
    std::vector<double> bus_base_kv_ln;         // 0 where the network gives no voltage bases
    std::vector<LineFlow> lines;                // as Network::lines
    std::vector<TransformerFlow> transformers;  // as Network::transformers
    Complex source_power_kva;
    Complex load_power_kva;
    double loss_kw = 0.0;

    std::optional<Complex> volts(int bus, int conductor) const;
    // |V| over the bus's base, and the angle in degrees; nullopt where the bus lacks the phase.
    std::optional<Complex> per_unit(int bus, int conductor) const;
    // The largest deviation of a phase's |V| from the mean of the bus's three, over that mean (NEMA's
    // voltage unbalance); nullopt for a bus without three phases.
    std::optional<double> voltage_unbalance(int bus) const;
};

// A load's phases as the iteration uses them.
struct LoadPhases {
    std::vector<Branch> branches;
    Complex phase_va;
    double nominal_volts = 0.0;
    LoadModel model = LoadModel::constant_power;
    ZipShares zip{};
};

// The power flow of one network, kept between solves: the nodal admittance matrix is built and
// factored once, so that a change of the loads' powers costs only the iterations from the last
// voltages. The network must outlive it and keep its elements (only loads' powers change, through
// set_load_power).
class PowerFlow {
public:
    // How Y_NN is factored: sparse, or dense to compare with (bench/grid_power_flow_bench.cpp).
    enum class Factorization { sparse, dense };

    // Throws DataError when an element is ill-formed or a node has no path to the source.
    explicit PowerFlow(const Network& network, Factorization factorization = Factorization::sparse);
    explicit PowerFlow(Network&&, Factorization = Factorization::sparse) = delete;  // it keeps a reference

    // The load's power at its nominal voltage (as Load::kw, Load::kvar); the next solve starts from
    // the last solution's voltages (from the no-load voltages after a solve that did not converge).
    void set_load_power(std::size_t load, double kw, double kvar);
    PowerFlowSolution solve(const PowerFlowOptions& options = {});
    // Every node's voltage (as PowerFlowSolution::node_volts) were `changed` loads at the powers
    // given, the others as set: iterated from the last solution's voltages, which it leaves as they
    // are; nullopt when it does not converge. For sensitivities around the last solution.
    struct LoadPower {
        std::size_t load = 0;
        double kw = 0.0, kvar = 0.0;
    };
    std::optional<std::vector<Complex>> volts_with_load_powers(std::span<const LoadPower> changed,
                                                               const PowerFlowOptions& options) const;

    // The loading of a branch (the network's lines, then its transformers: PowerFlowSolution's lines
    // and transformers in one numbering) at node voltages `v` (as node_volts, e.g. from
    // volts_with_load_powers).
    double branch_loading(std::size_t branch, const std::vector<Complex>& v) const;

private:
    struct Iteration {
        bool converged = false;
        int iterations = 0;
        double change = 0.0;  // the last iteration's largest change of a load's voltage, per unit
    };
    // A load's power per phase (VA) at its nominal voltage, from its kW and kvar.
    Complex phase_va(std::size_t load, double kw, double kvar) const;
    // Iterates the loads' currents from `v` (all nodes) until converged or out of iterations.
    Iteration iterate(const std::vector<LoadPhases>& loads, std::vector<Complex>& v,
                      const PowerFlowOptions& options) const;
    std::vector<Complex> free_node_volts(const std::vector<Complex>& injection) const;
    PowerFlowSolution results(bool converged, int iterations, double last_change) const;

    const Network& network_;
    NodeIndex nodes_;
    std::vector<ComplexMatrix> line_series_;  // each line's Z^-1
    SparseMatrix y_;
    std::optional<SparseLu> sparse_factors_;
    std::optional<ComplexLu> dense_factors_;
    std::vector<LoadPhases> loads_;
    std::vector<Complex> no_load_;         // per free node: where a solve starts after a failed one
    std::vector<double> no_load_squared_;  // per free node: the tolerance's scale, |V no load|^2
    // Per free node: a load connects to it. Only these voltages feed the iteration, so only their
    // changes decide convergence (a delta-delta bank's floating secondary jitters in round-off).
    std::vector<bool> load_node_;
    std::vector<Complex> v_;              // all nodes, the source's first
    std::vector<Complex> source_term_;    // per free node: -Y_NS V_S, the same at every iteration
    std::vector<double> bus_base_kv_ln_;  // from the no-load voltages, as OpenDSS's CalcVoltageBases
};

// Each bus's line-to-neutral base in kV: the entry of the network's voltage bases nearest (by ratio)
// the mean magnitude of its phases at `v` (the power flow gives its no-load voltages); 0 where the
// network gives none.
std::vector<double> bus_base_kv_ln(const Network& network, const NodeIndex& nodes,
                                   const std::vector<Complex>& v);

// One solve from scratch: PowerFlow(network).solve(options).
PowerFlowSolution solve_power_flow(const Network& network, const PowerFlowOptions& options = {});

}  // namespace evtwin::grid
