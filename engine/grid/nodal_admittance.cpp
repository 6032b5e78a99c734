#include "grid/nodal_admittance.hpp"

#include <evtwin/errors.hpp>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace evtwin::grid {
namespace {

void check_terminal(const Network& network, const Terminal& terminal, std::size_t needed,
                    const std::string& element) {
    if (terminal.bus < 0 || static_cast<std::size_t>(terminal.bus) >= network.buses.size())
        throw DataError(element + ": no bus");
    if (terminal.conductors.size() < needed)
        throw DataError(element + ": bus " + network.buses[terminal.bus].name + " gives " +
                        std::to_string(terminal.conductors.size()) + " conductors, expected " +
                        std::to_string(needed));
    for (int c : terminal.conductors)
        if (c < 0 || c > 3)
            throw DataError(element + ": conductor " + std::to_string(c) + " of bus " +
                            network.buses[terminal.bus].name + ", expected 0 (ground) to 3");
}

void add_conductors(NodeIndex& index, const Terminal& terminal) {
    for (int c : terminal.conductors)
        if (c > 0 && index.of_bus[terminal.bus][c] < 0) index.of_bus[terminal.bus][c] = index.count++;
}

void stamp(SparseMatrix& y, const Branch& a, const Branch& b, Complex value) {
    const int a_nodes[2] = {a.p, a.q};
    const int b_nodes[2] = {b.p, b.q};
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) {
            if (a_nodes[i] < 0 || b_nodes[j] < 0) continue;
            const double sign = (i == j) ? 1.0 : -1.0;
            y.add(a_nodes[i], b_nodes[j], sign * value);
        }
}

void stamp_line(SparseMatrix& y, const NodeIndex& nodes, const Line& line, const ComplexMatrix& series) {
    const std::size_t n = line.series_impedance_ohm.rows;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            const int fi = nodes.node(line.from, i), fj = nodes.node(line.from, j);
            const int ti = nodes.node(line.to, i), tj = nodes.node(line.to, j);
            const Complex shunt_half =
                line.shunt_admittance_s.rows == n ? 0.5 * line.shunt_admittance_s(i, j) : 0.0;
            if (fi >= 0 && fj >= 0) y.add(fi, fj, series(i, j) + shunt_half);
            if (ti >= 0 && tj >= 0) y.add(ti, tj, series(i, j) + shunt_half);
            if (fi >= 0 && tj >= 0) y.add(fi, tj, -series(i, j));
            if (ti >= 0 && fj >= 0) y.add(ti, fj, -series(i, j));
        }
}

// Each phase is a single-phase two-winding unit: an ideal transformer of turns ratio n = v1/v2 with
// the leakage impedance z on winding 2's side, so i2 = (v2 - v1/n)/z and i1 = -i2/n.
void stamp_transformer(SparseMatrix& y, const NodeIndex& nodes, const Transformer& t) {
    const Winding& w1 = t.windings[0];
    const Winding& w2 = t.windings[1];
    const auto b1 = element_branches(nodes, w1.terminal, w1.connection, t.phases, true);
    const auto b2 = element_branches(nodes, w2.terminal, w2.connection, t.phases, true);
    const double v1 = branch_volts(w1.kv, w1.connection, t.phases) * w1.tap;
    const double v2_rated = branch_volts(w2.kv, w2.connection, t.phases);
    const double v2 = v2_rated * w2.tap;
    const double unit_va = w2.kva * 1000.0 / t.phases;
    const Complex z_pu{(w1.percent_r + w2.percent_r) / 100.0, t.percent_x / 100.0};
    const Complex z = z_pu * v2_rated * v2_rated / unit_va;
    if (!(std::abs(z) > 0.0) || !std::isfinite(std::abs(z)))
        throw DataError("Transformer." + t.name + ": its leakage impedance (%r and xhl) must not be zero");
    const Complex yz = 1.0 / z;
    const double n = v1 / v2;
    for (int k = 0; k < t.phases; ++k) {
        stamp(y, b1[k], b1[k], yz / (n * n));
        stamp(y, b1[k], b2[k], -yz / n);
        stamp(y, b2[k], b1[k], -yz / n);
        stamp(y, b2[k], b2[k], yz);
    }
    // A delta winding has no ground of its own: a delta-delta bank's secondary needs this reference.
    for (const Winding& w : t.windings) {
        if (w.connection != Connection::delta) continue;
        const double volts = branch_volts(w.kv, w.connection, t.phases);
        const Complex antifloat{0.0, -t.antifloat_ppm * 1e-6 * unit_va / (volts * volts)};
        for (std::size_t k = 0; k < conductors_needed(w.connection, t.phases); ++k) {
            const int node = nodes.node(w.terminal, k);
            if (node >= 0) y.add(node, node, antifloat);
        }
    }
}

}  // namespace

int NodeIndex::node(const Terminal& terminal, std::size_t k) const {
    const int c = terminal.conductors[k];
    return c == 0 ? ground_node : of_bus[terminal.bus][c];
}

NodeIndex index_nodes(const Network& network) {
    NodeIndex index;
    index.of_bus.assign(network.buses.size(), {-1, -1, -1, -1});
    if (network.source.bus < 0) throw DataError("the network has no source (a Circuit)");
    add_conductors(index, Terminal{network.source.bus, {1, 2, 3}});
    for (const Line& l : network.lines) {
        const std::size_t n = l.series_impedance_ohm.rows;
        check_terminal(network, l.from, n, "Line." + l.name);
        check_terminal(network, l.to, n, "Line." + l.name);
        add_conductors(index, l.from);
        add_conductors(index, l.to);
    }
    for (const Transformer& t : network.transformers)
        for (const Winding& w : t.windings) {
            check_terminal(network, w.terminal, conductors_needed(w.connection, t.phases),
                           "Transformer." + t.name);
            add_conductors(index, w.terminal);
        }
    for (const Load& l : network.loads) {
        check_terminal(network, l.terminal, conductors_needed(l.connection, l.phases), "Load." + l.name);
        add_conductors(index, l.terminal);
    }
    for (const Capacitor& c : network.capacitors) {
        check_terminal(network, c.terminal, conductors_needed(c.connection, c.phases), "Capacitor." + c.name);
        add_conductors(index, c.terminal);
    }
    return index;
}

std::vector<Branch> element_branches(const NodeIndex& nodes, const Terminal& terminal, Connection connection,
                                     int phases, bool transformer_winding) {
    std::vector<Branch> branches;
    if (connection == Connection::wye) {
        for (int k = 0; k < phases; ++k) branches.push_back({nodes.node(terminal, k), ground_node});
    } else if (phases == 1) {
        branches.push_back({nodes.node(terminal, 0), nodes.node(terminal, 1)});
    } else {
        for (int k = 0; k < phases; ++k) {
            const int other = transformer_winding ? (k + phases - 1) % phases : (k + 1) % phases;
            branches.push_back({nodes.node(terminal, k), nodes.node(terminal, other)});
        }
    }
    return branches;
}

double branch_volts(double kv, Connection connection, int phases) {
    if (connection == Connection::wye && phases > 1) return kv * 1000.0 / std::numbers::sqrt3;
    return kv * 1000.0;
}

std::vector<ComplexMatrix> line_series_admittances(const Network& network) {
    std::vector<ComplexMatrix> series;
    for (const Line& line : network.lines) {
        try {
            series.push_back(inverse(line.series_impedance_ohm));
        } catch (const std::domain_error&) {
            throw DataError("Line." + line.name + ": its series impedance matrix is singular");
        }
    }
    return series;
}

SparseMatrix nodal_admittance(const Network& network, const NodeIndex& nodes) {
    return nodal_admittance(network, nodes, line_series_admittances(network));
}

SparseMatrix nodal_admittance(const Network& network, const NodeIndex& nodes,
                              const std::vector<ComplexMatrix>& line_series) {
    SparseMatrix y(nodes.count);
    for (std::size_t l = 0; l < network.lines.size(); ++l)
        stamp_line(y, nodes, network.lines[l], line_series[l]);
    for (const Transformer& t : network.transformers) stamp_transformer(y, nodes, t);
    for (const Capacitor& c : network.capacitors) {
        const double volts = branch_volts(c.kv, c.connection, c.phases);
        const Complex admittance{0.0, c.kvar * 1000.0 / c.phases / (volts * volts)};
        for (const Branch& b : element_branches(nodes, c.terminal, c.connection, c.phases, false))
            stamp(y, b, b, admittance);
    }
    return y;
}

}  // namespace evtwin::grid
