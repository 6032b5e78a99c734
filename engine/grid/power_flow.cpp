#include "grid/power_flow.hpp"

#include "grid/nodal_admittance.hpp"

#include <evtwin/errors.hpp>

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

struct LoadPhases {
    std::vector<Branch> branches;
    Complex phase_va;
    double nominal_volts = 0.0;
    LoadModel model = LoadModel::constant_power;
};

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

std::vector<double> bus_bases(const Network& network, const NodeIndex& nodes, const std::vector<Complex>& v) {
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

}  // namespace

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

PowerFlowSolution solve_power_flow(const Network& network, const PowerFlowOptions& options) {
    const NodeIndex nodes = index_nodes(network);
    const ComplexMatrix y = nodal_admittance(network, nodes);
    const int s = nodes.source_nodes;
    const int n = nodes.count - s;
    ComplexMatrix y_nn(n, n);
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c) y_nn(r, c) = y(r + s, c + s);
    std::optional<ComplexLu> lu;
    try {
        lu.emplace(std::move(y_nn));
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

    std::vector<LoadPhases> loads;
    for (const Load& l : network.loads) {
        const double nominal = branch_volts(l.kv, l.connection, l.phases);
        loads.push_back({element_branches(nodes, l.terminal, l.connection, l.phases, false),
                         Complex{l.kw, l.kvar} * 1000.0 / static_cast<double>(l.phases), nominal, l.model});
    }

    std::vector<Complex> v(nodes.count);
    const std::vector<Complex> vs = source_volts(network.source);
    for (int k = 0; k < s; ++k) v[k] = vs[k];
    auto solve_free_nodes = [&](const std::vector<Complex>& injection) {
        std::vector<Complex> rhs(n);
        for (int r = 0; r < n; ++r) {
            rhs[r] = injection[r + s];
            for (int k = 0; k < s; ++k) rhs[r] -= y(r + s, k) * v[k];
        }
        return lu->solve(rhs);
    };
    // The no-load voltages start the iteration and scale its tolerance per node.
    const std::vector<Complex> no_load = solve_free_nodes(std::vector<Complex>(nodes.count));
    for (int r = 0; r < n; ++r) v[r + s] = no_load[r];

    PowerFlowSolution solution;
    for (solution.iterations = 1; solution.iterations <= options.max_iterations; ++solution.iterations) {
        const std::vector<Complex> next = solve_free_nodes(load_injections(loads, v, nullptr));
        double change = 0.0;
        for (int r = 0; r < n; ++r) {
            const double scale = std::max(std::abs(no_load[r]), 1.0);
            const double moved = std::abs(next[r] - v[r + s]) / scale;
            // A non-finite voltage never counts as converged.
            change = std::isfinite(moved) ? std::max(change, moved) : std::numeric_limits<double>::infinity();
            v[r + s] = next[r];
        }
        solution.last_change_pu = change;
        if (change <= options.tolerance_pu) {
            solution.converged = true;
            break;
        }
    }
    solution.iterations = std::min(solution.iterations, options.max_iterations);

    Complex load_va;
    load_injections(loads, v, &load_va);
    Complex source_va;
    for (int k = 0; k < s; ++k) {
        Complex injected;
        for (int c = 0; c < nodes.count; ++c) injected += y(k, c) * v[c];
        source_va += v[k] * std::conj(injected);
    }
    for (const Line& line : network.lines) {
        LineFlow flow;
        const std::size_t m = line.series_impedance_ohm.rows;
        const ComplexMatrix series = inverse(line.series_impedance_ohm);
        auto at = [&](const Terminal& t, std::size_t k) {
            const int node = nodes.node(t, k);
            return node >= 0 ? v[node] : Complex{};
        };
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
            flow.power_in_kva += at(line.from, i) * std::conj(i_from) / 1000.0;
            out_va += at(line.to, i) * std::conj(i_to) / 1000.0;
        }
        flow.loss_kva = flow.power_in_kva + out_va;
        solution.lines.push_back(std::move(flow));
    }
    solution.node_of_bus = nodes.of_bus;
    solution.bus_base_kv_ln = bus_bases(network, nodes, v);
    solution.node_volts = std::move(v);
    solution.source_power_kva = source_va / 1000.0;
    solution.load_power_kva = load_va / 1000.0;
    solution.loss_kw = solution.source_power_kva.real() - solution.load_power_kva.real();
    return solution;
}

}  // namespace evtwin::grid
