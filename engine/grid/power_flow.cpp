#include "grid/power_flow.hpp"

#include <evtwin/errors.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace evtwin::grid {
namespace {

std::vector<Complex> source_volts(const Source& source) {
    const double magnitude = source.per_unit * source.kv * 1000.0 / std::numbers::sqrt3;
    std::vector<Complex> v;
    for (int k = 0; k < 3; ++k)
        v.push_back(std::polar(magnitude, (source.angle_deg - 120.0 * k) * std::numbers::pi / 180.0));
    return v;
}

Complex branch_voltage(const std::vector<Complex>& v, const Branch& b) {
    return (b.p >= 0 ? v[b.p] : Complex{}) - (b.q >= 0 ? v[b.q] : Complex{});
}

// The current a load's phase draws at branch voltage `across`, for a phase power `s_va` at
// nominal branch voltage `nominal`.
Complex load_current(LoadModel model, Complex s_va, Complex across, double nominal) {
    if (std::abs(across) == 0.0) return {};
    switch (model) {
        case LoadModel::constant_power:
            return std::conj(s_va / across);
        case LoadModel::constant_impedance:
            return std::conj(s_va) / (nominal * nominal) * across;
        case LoadModel::constant_current:
            return std::conj(s_va / across) * (std::abs(across) / nominal);
    }
    return {};
}

// The current injected into each node by the loads, and the power they take.
std::vector<Complex> load_injections(const std::vector<LoadPhases>& loads, const std::vector<Complex>& v,
                                     Complex* power_va) {
    std::vector<Complex> injection(v.size());
    Complex total;
    for (const LoadPhases& load : loads)
        for (const Branch& b : load.branches) {
            const Complex across = branch_voltage(v, b);
            const Complex i = load_current(load.model, load.phase_va, across, load.nominal_volts);
            if (b.p >= 0) injection[b.p] -= i;
            if (b.q >= 0) injection[b.q] += i;
            total += across * std::conj(i);
        }
    if (power_va) *power_va = total;
    return injection;
}

ComplexLu factor_free_nodes(const Network& network, const NodeIndex& nodes, const ComplexMatrix& y) {
    const int s = nodes.source_nodes;
    const int n = nodes.count - s;
    ComplexMatrix y_nn(n, n);
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c) y_nn(r, c) = y(r + s, c + s);
    try {
        return ComplexLu(std::move(y_nn));
    } catch (const std::domain_error& e) {
        std::string where = "a node";
        const std::string message = e.what();
        const int row = std::stoi(message.substr(message.rfind(' ') + 1)) + s;
        for (std::size_t bus = 0; bus < nodes.of_bus.size(); ++bus)
            for (int c = 1; c <= 3; ++c)
                if (nodes.of_bus[bus][c] == row) where = network.buses[bus].name + "." + std::to_string(c);
        throw DataError("the network's node " + where +
                        " has no path to the source (singular admittance matrix)");
    }
}

LoadPhases load_phases(const NodeIndex& nodes, const Load& l) {
    return {element_branches(nodes, l.terminal, l.connection, l.phases, false),
            Complex{l.kw, l.kvar} * 1000.0 / static_cast<double>(l.phases),
            branch_volts(l.kv, l.connection, l.phases), l.model};
}

}  // namespace

PowerFlow::PowerFlow(const Network& network)
    : network_(network), nodes_(index_nodes(network)), y_(nodal_admittance(network, nodes_)) {
    lu_.emplace(factor_free_nodes(network, nodes_, y_));
    for (const Line& line : network.lines) line_series_.push_back(inverse(line.series_impedance_ohm));
    for (const Load& l : network.loads) loads_.push_back(load_phases(nodes_, l));
    load_node_.assign(nodes_.count - nodes_.source_nodes, false);
    for (const LoadPhases& load : loads_)
        for (const Branch& b : load.branches)
            for (const int node : {b.p, b.q})
                if (node >= nodes_.source_nodes) load_node_[node - nodes_.source_nodes] = true;
    v_.assign(nodes_.count, Complex{});
    const std::vector<Complex> vs = source_volts(network.source);
    for (int k = 0; k < nodes_.source_nodes; ++k) v_[k] = vs[k];
    source_term_.assign(nodes_.count - nodes_.source_nodes, Complex{});
    for (std::size_t r = 0; r < source_term_.size(); ++r)
        for (int k = 0; k < nodes_.source_nodes; ++k)
            source_term_[r] -= y_(r + nodes_.source_nodes, k) * v_[k];
    // The no-load voltages start the first iteration and scale the tolerance per node.
    const std::vector<Complex> no_load = free_node_volts(std::vector<Complex>(nodes_.count));
    for (std::size_t r = 0; r < no_load.size(); ++r) {
        v_[r + nodes_.source_nodes] = no_load[r];
        no_load_magnitude_.push_back(std::max(std::abs(no_load[r]), 1.0));
    }
    no_load_ = no_load;
}

void PowerFlow::set_load_power(std::size_t load, double kw, double kvar) {
    if (load >= loads_.size())
        throw std::out_of_range("PowerFlow::set_load_power: no load " + std::to_string(load));
    loads_[load].phase_va = Complex{kw, kvar} * 1000.0 / static_cast<double>(network_.loads[load].phases);
}

std::vector<Complex> PowerFlow::free_node_volts(const std::vector<Complex>& injection) const {
    const int s = nodes_.source_nodes;
    const int n = nodes_.count - s;
    std::vector<Complex> rhs(n);
    for (int r = 0; r < n; ++r) rhs[r] = injection[r + s] + source_term_[r];
    return lu_->solve(rhs);
}

PowerFlowSolution PowerFlow::solve(const PowerFlowOptions& options) {
    const int s = nodes_.source_nodes;
    double change = 0.0;
    int iteration = 1;
    bool converged = false;
    for (; iteration <= options.max_iterations; ++iteration) {
        const std::vector<Complex> next = free_node_volts(load_injections(loads_, v_, nullptr));
        change = 0.0;
        for (std::size_t r = 0; r < next.size(); ++r) {
            const double moved = std::abs(next[r] - v_[r + s]) / no_load_magnitude_[r];
            // A non-finite voltage never counts as converged.
            if (!std::isfinite(moved))
                change = std::numeric_limits<double>::infinity();
            else if (load_node_[r])
                change = std::max(change, moved);
            v_[r + s] = next[r];
        }
        if (change <= options.tolerance_pu) {
            converged = true;
            break;
        }
    }
    PowerFlowSolution solution = results(converged, std::min(iteration, options.max_iterations), change);
    if (!converged) std::copy(no_load_.begin(), no_load_.end(), v_.begin() + s);
    return solution;
}

PowerFlowSolution solve_power_flow(const Network& network, const PowerFlowOptions& options) {
    return PowerFlow(network).solve(options);
}

PowerFlowSolution PowerFlow::results(bool converged, int iterations, double last_change) const {
    PowerFlowSolution solution;
    solution.converged = converged;
    solution.iterations = iterations;
    solution.last_change_pu = last_change;
    Complex load_va;
    load_injections(loads_, v_, &load_va);
    Complex source_va;
    for (int k = 0; k < nodes_.source_nodes; ++k) {
        Complex injected;
        for (int c = 0; c < nodes_.count; ++c) injected += y_(k, c) * v_[c];
        source_va += v_[k] * std::conj(injected);
    }
    auto at = [&](const Terminal& t, std::size_t k) {
        const int node = nodes_.node(t, k);
        return node >= 0 ? v_[node] : Complex{};
    };
    for (std::size_t l = 0; l < network_.lines.size(); ++l) {
        const Line& line = network_.lines[l];
        const ComplexMatrix& series = line_series_[l];
        const std::size_t m = series.rows;
        LineFlow flow;
        Complex out_va;
        for (std::size_t i = 0; i < m; ++i) {
            Complex i_from, i_to;
            for (std::size_t j = 0; j < m; ++j) {
                const Complex shunt =
                    line.shunt_admittance_s.rows == m ? 0.5 * line.shunt_admittance_s(i, j) : 0.0;
                const Complex drop = at(line.from, j) - at(line.to, j);
                i_from += series(i, j) * drop + shunt * at(line.from, j);
                i_to += -series(i, j) * drop + shunt * at(line.to, j);
            }
            flow.current_a.push_back(i_from);
            flow.loading = std::max(flow.loading, std::abs(i_from) / line.normal_amps);
            flow.power_in_kva += at(line.from, i) * std::conj(i_from) / 1000.0;
            out_va += at(line.to, i) * std::conj(i_to) / 1000.0;
        }
        flow.loss_kva = flow.power_in_kva + out_va;
        solution.lines.push_back(std::move(flow));
    }
    for (const Transformer& t : network_.transformers)
        solution.transformers.push_back(transformer_flow(t, nodes_, v_));
    solution.node_of_bus = nodes_.of_bus;
    solution.node_volts = v_;
    solution.bus_base_kv_ln = bus_base_kv_ln(network_, nodes_, v_);
    solution.source_power_kva = source_va / 1000.0;
    solution.load_power_kva = load_va / 1000.0;
    solution.loss_kw = solution.source_power_kva.real() - solution.load_power_kva.real();
    return solution;
}

std::optional<Complex> PowerFlowSolution::volts(int bus, int conductor) const {
    if (bus < 0 || static_cast<std::size_t>(bus) >= node_of_bus.size() || conductor < 1 || conductor > 3)
        return std::nullopt;
    const int node = node_of_bus[bus][conductor];
    if (node < 0) return std::nullopt;
    return node_volts[node];
}

std::optional<Complex> PowerFlowSolution::per_unit(int bus, int conductor) const {
    const auto v = volts(bus, conductor);
    if (!v || bus_base_kv_ln[bus] <= 0.0) return std::nullopt;
    return Complex{std::abs(*v) / (bus_base_kv_ln[bus] * 1000.0), std::arg(*v) * 180.0 / std::numbers::pi};
}

std::optional<double> PowerFlowSolution::voltage_unbalance(int bus) const {
    double magnitude[3] = {};
    for (int c = 1; c <= 3; ++c) {
        const auto v = volts(bus, c);
        if (!v) return std::nullopt;
        magnitude[c - 1] = std::abs(*v);
    }
    const double mean = (magnitude[0] + magnitude[1] + magnitude[2]) / 3.0;
    if (!(mean > 0.0)) return std::nullopt;
    double largest = 0.0;
    for (double m : magnitude) largest = std::max(largest, std::abs(m - mean));
    return largest / mean;
}

std::vector<double> bus_base_kv_ln(const Network& network, const NodeIndex& nodes,
                                   const std::vector<Complex>& v) {
    std::vector<double> bases(network.buses.size(), 0.0);
    if (network.voltage_bases_kv.empty()) return bases;
    for (std::size_t bus = 0; bus < network.buses.size(); ++bus) {
        double sum = 0.0;
        int count = 0;
        for (int c = 1; c <= 3; ++c)
            if (nodes.of_bus[bus][c] >= 0) sum += std::abs(v[nodes.of_bus[bus][c]]), ++count;
        if (count == 0) continue;
        const double mean_kv = sum / count / 1000.0;
        double best = 0.0;
        for (double base_ll : network.voltage_bases_kv) {
            const double base_ln = base_ll / std::numbers::sqrt3;
            if (best == 0.0 || std::abs(std::log(mean_kv / base_ln)) < std::abs(std::log(mean_kv / best)))
                best = base_ln;
        }
        bases[bus] = best;
    }
    return bases;
}

}  // namespace evtwin::grid
