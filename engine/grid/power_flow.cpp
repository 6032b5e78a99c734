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
    if (across == Complex{}) return {};
    switch (model) {
        case LoadModel::constant_power:
            return std::conj(s_va / across);
        case LoadModel::constant_impedance:
            return std::conj(s_va) / (nominal * nominal) * across;
        case LoadModel::constant_current:
            return std::conj(s_va / across) * (std::abs(across) / nominal);
        case LoadModel::zip:  // zip_current splits its power over the three models above
            break;
    }
    return {};
}

// A ZIP load's current: its power's shares drawn by each of the three models.
Complex zip_current(const ZipShares& zip, Complex s_va, Complex across, double nominal) {
    const double p = s_va.real(), q = s_va.imag();
    return load_current(LoadModel::constant_impedance, {zip.z_p * p, zip.z_q * q}, across, nominal) +
           load_current(LoadModel::constant_current, {zip.i_p * p, zip.i_q * q}, across, nominal) +
           load_current(LoadModel::constant_power, {zip.p_p * p, zip.p_q * q}, across, nominal);
}

// The current injected into each node by the loads, and the power they take.
std::vector<Complex> load_injections(const std::vector<LoadPhases>& loads, const std::vector<Complex>& v,
                                     Complex* power_va) {
    std::vector<Complex> injection(v.size());
    Complex total;
    for (const LoadPhases& load : loads)
        for (const Branch& b : load.branches) {
            const Complex across = branch_voltage(v, b);
            const Complex i = load.model == LoadModel::zip
                                  ? zip_current(load.zip, load.phase_va, across, load.nominal_volts)
                                  : load_current(load.model, load.phase_va, across, load.nominal_volts);
            if (b.p >= 0) injection[b.p] -= i;
            if (b.q >= 0) injection[b.q] += i;
            total += across * std::conj(i);
        }
    if (power_va) *power_va = total;
    return injection;
}

// Factors Y_NN (sparse or dense); a vanishing pivot is a node with no path to the source, named.
template <typename Factors, typename Block>
Factors factor_free_nodes(const Network& network, const NodeIndex& nodes, Block y_nn) {
    const int s = nodes.source_nodes;
    try {
        return Factors(std::move(y_nn));
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
            branch_volts(l.kv, l.connection, l.phases), l.model, l.zip};
}

// A line's currents, flows and loading at the node voltages `v`; `series` is its Z^-1.
LineFlow line_flow(const Line& line, const ComplexMatrix& series, const NodeIndex& nodes,
                   const std::vector<Complex>& v) {
    auto at = [&](const Terminal& t, std::size_t k) {
        const int node = nodes.node(t, k);
        return node >= 0 ? v[node] : Complex{};
    };
    const std::size_t m = series.rows;
    std::array<Complex, 3> v_from{}, v_to{};
    for (std::size_t k = 0; k < m; ++k) v_from[k] = at(line.from, k), v_to[k] = at(line.to, k);
    LineFlow flow;
    Complex out_va;
    double largest_current_squared = 0.0;
    for (std::size_t i = 0; i < m; ++i) {
        Complex i_from, i_to;
        for (std::size_t j = 0; j < m; ++j) {
            const Complex shunt =
                line.shunt_admittance_s.rows == m ? 0.5 * line.shunt_admittance_s(i, j) : 0.0;
            const Complex drop = v_from[j] - v_to[j];
            i_from += series(i, j) * drop + shunt * v_from[j];
            i_to += -series(i, j) * drop + shunt * v_to[j];
        }
        flow.current_a[i] = i_from;
        largest_current_squared = std::max(largest_current_squared, std::norm(i_from));
        flow.power_in_kva += v_from[i] * std::conj(i_from) / 1000.0;
        out_va += v_to[i] * std::conj(i_to) / 1000.0;
    }
    flow.loading = std::sqrt(largest_current_squared) / line.normal_amps;
    flow.loss_kva = flow.power_in_kva + out_va;
    return flow;
}

}  // namespace

PowerFlow::PowerFlow(const Network& network, Factorization factorization)
    : network_(network),
      nodes_(index_nodes(network)),
      line_series_(line_series_admittances(network)),
      y_(nodal_admittance(network, nodes_, line_series_)) {
    SparseMatrix y_nn = y_.trailing_block(nodes_.source_nodes);
    if (factorization == Factorization::sparse)
        sparse_factors_.emplace(factor_free_nodes<SparseLu>(network, nodes_, std::move(y_nn)));
    else
        dense_factors_.emplace(factor_free_nodes<ComplexLu>(network, nodes_, y_nn.dense()));
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
        for (const SparseEntry& e : y_.row(static_cast<int>(r) + nodes_.source_nodes))
            if (e.col < nodes_.source_nodes) source_term_[r] -= e.value * v_[e.col];
    // The no-load voltages start the first iteration and scale the tolerance per node.
    const std::vector<Complex> no_load = free_node_volts(std::vector<Complex>(nodes_.count));
    for (std::size_t r = 0; r < no_load.size(); ++r) {
        v_[r + nodes_.source_nodes] = no_load[r];
        no_load_squared_.push_back(std::max(std::norm(no_load[r]), 1.0));
    }
    no_load_ = no_load;
    bus_base_kv_ln_ = bus_base_kv_ln(network, nodes_, v_);
}

void PowerFlow::set_load_power(std::size_t load, double kw, double kvar) {
    if (load >= loads_.size())
        throw std::out_of_range("PowerFlow::set_load_power: no load " + std::to_string(load));
    loads_[load].phase_va = phase_va(load, kw, kvar);
}

Complex PowerFlow::phase_va(std::size_t load, double kw, double kvar) const {
    return Complex{kw, kvar} * 1000.0 / static_cast<double>(network_.loads[load].phases);
}

std::vector<Complex> PowerFlow::free_node_volts(const std::vector<Complex>& injection) const {
    const int s = nodes_.source_nodes;
    const int n = nodes_.count - s;
    std::vector<Complex> rhs(n);
    for (int r = 0; r < n; ++r) rhs[r] = injection[r + s] + source_term_[r];
    return sparse_factors_ ? sparse_factors_->solve(rhs) : dense_factors_->solve(rhs);
}

PowerFlow::Iteration PowerFlow::iterate(const std::vector<LoadPhases>& loads, std::vector<Complex>& v,
                                        const PowerFlowOptions& options) const {
    const int s = nodes_.source_nodes;
    Iteration result;
    for (result.iterations = 1; result.iterations <= options.max_iterations; ++result.iterations) {
        const std::vector<Complex> next = free_node_volts(load_injections(loads, v, nullptr));
        // Squared, to spare a square root per node: the largest (change / no-load magnitude)^2.
        double change_squared = 0.0;
        for (std::size_t r = 0; r < next.size(); ++r) {
            const double moved = std::norm(next[r] - v[r + s]) / no_load_squared_[r];
            // A non-finite voltage never counts as converged.
            if (!std::isfinite(moved))
                change_squared = std::numeric_limits<double>::infinity();
            else if (load_node_[r])
                change_squared = std::max(change_squared, moved);
            v[r + s] = next[r];
        }
        result.change = std::sqrt(change_squared);
        if (result.change <= options.tolerance_pu) {
            result.converged = true;
            break;
        }
    }
    result.iterations = std::min(result.iterations, options.max_iterations);
    return result;
}

PowerFlowSolution PowerFlow::solve(const PowerFlowOptions& options) {
    const Iteration it = iterate(loads_, v_, options);
    PowerFlowSolution solution = results(it.converged, it.iterations, it.change);
    if (!it.converged) std::copy(no_load_.begin(), no_load_.end(), v_.begin() + nodes_.source_nodes);
    return solution;
}

std::optional<std::vector<Complex>> PowerFlow::volts_with_load_powers(std::span<const LoadPower> changed,
                                                                      const PowerFlowOptions& options) const {
    std::vector<LoadPhases> loads = loads_;
    for (const LoadPower& c : changed) {
        if (c.load >= loads.size())
            throw std::out_of_range("PowerFlow::volts_with_load_powers: no load " + std::to_string(c.load));
        loads[c.load].phase_va = phase_va(c.load, c.kw, c.kvar);
    }
    std::vector<Complex> v = v_;
    if (!iterate(loads, v, options).converged) return std::nullopt;
    return v;
}

double PowerFlow::branch_loading(std::size_t branch, const std::vector<Complex>& v) const {
    const std::size_t lines = network_.lines.size();
    if (branch < lines) return line_flow(network_.lines[branch], line_series_[branch], nodes_, v).loading;
    if (branch - lines >= network_.transformers.size())
        throw std::out_of_range("PowerFlow::branch_loading: no branch " + std::to_string(branch));
    return transformer_flow(network_.transformers[branch - lines], nodes_, v).loading;
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
        for (const SparseEntry& e : y_.row(k)) injected += e.value * v_[e.col];
        source_va += v_[k] * std::conj(injected);
    }
    solution.lines.reserve(network_.lines.size());
    solution.transformers.reserve(network_.transformers.size());
    for (std::size_t l = 0; l < network_.lines.size(); ++l)
        solution.lines.push_back(line_flow(network_.lines[l], line_series_[l], nodes_, v_));
    for (const Transformer& t : network_.transformers)
        solution.transformers.push_back(transformer_flow(t, nodes_, v_));
    solution.node_of_bus = nodes_.of_bus;
    solution.node_volts = v_;
    solution.bus_base_kv_ln = bus_base_kv_ln_;
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
