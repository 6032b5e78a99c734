// EV2Gym's node and line CSVs as a three-phase network.
#include "data/ev2gym_feeder.hpp"

#include "data/csv.hpp"
#include "data/text_file.hpp"

#include <cmath>
#include <map>
#include <string>

namespace evtwin {
namespace {

constexpr double kShareTolerance = 1e-6;

// A whole number in a column (EV2Gym writes node numbers as integers, flags as 1 or 1.0).
long whole(const CsvTable& t, std::size_t row, std::size_t col) {
    const double v = t.number(row, col);
    if (v != std::floor(v))
        t.fail(row,
               "expected a whole number in column '" + t.header()[col] + "', got '" + t.text(row, col) + "'");
    return static_cast<long>(v);
}

grid::Terminal three_phases(int bus) {
    return grid::Terminal{bus, {1, 2, 3}};
}

grid::ComplexMatrix diagonal(std::complex<double> value) {
    grid::ComplexMatrix m(3, 3);
    for (int p = 0; p < 3; ++p) m(p, p) = value;
    return m;
}

void add_nodes(const CsvTable& t, const Ev2gymBase& base, grid::Network& network,
               std::map<long, int>& bus_of) {
    const std::size_t node = t.column("NODES"), type = t.column("Tb");
    const auto optional_column = [&t](const char* name) -> std::ptrdiff_t {
        for (std::size_t c = 0; c < t.header().size(); ++c)
            if (t.header()[c] == name) return static_cast<std::ptrdiff_t>(c);
        return -1;
    };
    const std::ptrdiff_t pd = optional_column("PD");
    const bool loads = pd >= 0;
    if (loads)
        for (const char* name : {"QD", "Pct", "Ict", "Zct"}) t.column(name);  // all or none
    bool source = false;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const long number = whole(t, r, node);
        const std::string name = std::to_string(number);
        if (bus_of.count(number)) t.fail(r, "node " + name + " is given twice");
        bus_of[number] = network.bus_named(name);
        const long kind = whole(t, r, type);
        if (kind != 0 && kind != 1)
            t.fail(r, "expected Tb 1 (the source) or 0, got '" + t.text(r, type) + "'");
        if (kind == 1) {
            if (source) t.fail(r, "a second source node (Tb 1): EV2Gym's networks have one");
            source = true;
            network.source = grid::Source{bus_of[number], base.kv, base.per_unit, 0.0};
        }
        if (!loads) continue;
        const double kw = t.number(r, static_cast<std::size_t>(pd)), kvar = t.number(r, t.column("QD"));
        const double shares[3] = {t.number(r, t.column("Pct")), t.number(r, t.column("Ict")),
                                  t.number(r, t.column("Zct"))};
        if (shares[0] < 0 || shares[1] < 0 || shares[2] < 0 ||
            std::abs(shares[0] + shares[1] + shares[2] - 1.0) > kShareTolerance)
            t.fail(r, "expected Pct, Ict and Zct of 0 to 1 adding up to 1");
        if (kind == 1 || (kw == 0.0 && kvar == 0.0)) continue;
        const grid::LoadModel models[3] = {grid::LoadModel::constant_power, grid::LoadModel::constant_current,
                                           grid::LoadModel::constant_impedance};
        const char* suffixes[3] = {"", "_i", "_z"};
        for (int m = 0; m < 3; ++m) {
            if (shares[m] == 0.0) continue;
            grid::Load load;
            load.name = "load" + name + suffixes[m];
            load.terminal = three_phases(bus_of[number]);
            load.model = models[m];
            load.kv = base.kv;
            load.kw = kw * shares[m];
            load.kvar = kvar * shares[m];
            network.loads.push_back(load);
        }
    }
    if (!source) throw DataError(t.file().string() + ": no source node (a node of Tb 1)");
}

void add_lines(const CsvTable& t, const Ev2gymBase& base, grid::Network& network,
               const std::map<long, int>& bus_of) {
    const std::size_t from = t.column("FROM"), to = t.column("TO"), r_col = t.column("R"),
                      x_col = t.column("X"), b_col = t.column("B"), status = t.column("STATUS"),
                      tap = t.column("TAP");
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const auto bus = [&](std::size_t col) {
            const long number = whole(t, r, col);
            const auto found = bus_of.find(number);
            if (found == bus_of.end())
                t.fail(r, "column '" + t.header()[col] + "': no node " + std::to_string(number) +
                              " in the nodes file");
            return found->second;
        };
        const int a = bus(from), b = bus(to);
        const long in_service = whole(t, r, status);
        if (in_service != 0 && in_service != 1) t.fail(r, "expected STATUS 1 (in service) or 0");
        if (t.number(r, tap) != 1.0)
            t.fail(r, "a TAP other than 1 is not read (EV2Gym's networks have none)");
        const double ohm_r = t.number(r, r_col), ohm_x = t.number(r, x_col), siemens = t.number(r, b_col);
        if (ohm_r < 0 || ohm_x < 0 || siemens < 0 || (ohm_r == 0 && ohm_x == 0))
            t.fail(r, "expected R and X of at least 0, not both 0, and B of at least 0");
        if (a == b) t.fail(r, "a line from a node to itself");
        if (!in_service) continue;
        grid::Line line;
        line.name = "line" + std::to_string(r + 1);
        line.from = three_phases(a);
        line.to = three_phases(b);
        line.series_impedance_ohm = diagonal({ohm_r, ohm_x});
        line.shunt_admittance_s = diagonal({0.0, siemens});
        line.normal_amps = base.normal_amps;
        network.lines.push_back(std::move(line));
    }
}

}  // namespace

grid::Network parse_ev2gym_feeder(const std::filesystem::path& nodes, std::string_view nodes_text,
                                  const std::filesystem::path& lines, std::string_view lines_text,
                                  const Ev2gymBase& base) {
    grid::Network network;
    network.name = nodes.parent_path().filename().string();
    network.frequency_hz = base.frequency_hz;
    network.voltage_bases_kv = {base.kv};
    std::map<long, int> bus_of;
    add_nodes(CsvTable::parse(nodes, nodes_text), base, network, bus_of);
    add_lines(CsvTable::parse(lines, lines_text), base, network, bus_of);
    return network;
}

grid::Network read_ev2gym_feeder(const std::filesystem::path& nodes, const std::filesystem::path& lines,
                                 const Ev2gymBase& base) {
    return parse_ev2gym_feeder(nodes, read_text_file(nodes), lines, read_text_file(lines), base);
}

}  // namespace evtwin
