// EV2Gym's node and line files (data/ev2gym_feeder.hpp) as a three-phase network: read as EV2Gym
// reads them, solved to the voltages EV2Gym's per-phase equations give, and refused with the file,
// the line and what was expected.
#include "data/ev2gym_feeder.hpp"
#include "grid/power_flow.hpp"

#include <evtwin/errors.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <map>
#include <numbers>
#include <string>

namespace evtwin {
namespace {

using Complex = std::complex<double>;

const std::string kLinesHeader = "FROM,TO,R,X,B,STATUS,TAP\n";
const std::string kNodesHeader = "NODES,Tb,PD,QD,Pct,Ict,Zct\n";

grid::Network parsed(const std::string& nodes, const std::string& lines, Ev2gymBase base = {}) {
    return parse_ev2gym_feeder("node_3/Nodes.csv", nodes, "node_3/Lines.csv", lines, base);
}

std::string refusal(const std::string& nodes, const std::string& lines) {
    try {
        parsed(nodes, lines);
    } catch (const DataError& e) {
        return e.what();
    }
    return "(read)";
}

TEST(Ev2gymFeeder, AConstantImpedanceLoadIsTheDividerOfEv2gymsPerUnitCircuit) {
    // 11 kV, 1 + 2j ohm to node 2, 900 + 300j kVA of constant impedance there.
    const grid::Network network =
        parsed(kNodesHeader + "1,1,0,0,1,0,0\n2,0,900,300,0,0,1\n", kLinesHeader + "1,2,1,2,0,1,1\n");
    const grid::PowerFlowSolution solution = grid::solve_power_flow(network);
    ASSERT_TRUE(solution.converged);
    // EV2Gym's per-phase circuit in per unit of any base power S: the line 1 + 2j ohm over
    // 11^2 * 1000 / S, the load 1 / conj(0.9 + 0.3j MVA / S); the voltage divides between them, and
    // S drops out: V = z_load / (z_load + z_line).
    const double s_base_kva = 1000.0, z_base = 11.0 * 11.0 * 1000.0 / s_base_kva;
    const Complex z_line = Complex{1.0, 2.0} / z_base;
    const Complex z_load = 1.0 / std::conj(Complex{900.0, 300.0} / s_base_kva);
    const double expected_pu = std::abs(z_load / (z_load + z_line));
    const int bus = *network.find_bus("2");
    const double phase_base = 11000.0 / std::numbers::sqrt3;
    for (int phase = 1; phase <= 3; ++phase)
        EXPECT_NEAR(std::abs(*solution.volts(bus, phase)) / phase_base, expected_pu, 1e-9);
    // At S = 1000 kVA: z_line = (1 + 2j) / 121, z_load = 1 / (0.9 - 0.3j) = 1 + 0.3333j, and
    // |1 + 0.3333j| / |1.00826 + 0.34986j| = 1.05409 / 1.06724 = 0.98768.
    EXPECT_NEAR(expected_pu, 0.98768, 1e-5);
}

TEST(Ev2gymFeeder, ALoadsSharesBecomeThreeLoadsOfOneModelEach) {
    const grid::Network network = parsed(kNodesHeader + "1,1,0,0,1,0,0\n7,0,100,40,0.5,0.3,0.2\n",
                                         kLinesHeader + "1,7,0.1,0.05,2e-6,1,1\n");
    ASSERT_EQ(network.loads.size(), 3u);
    const std::map<grid::LoadModel, double> kw = {{network.loads[0].model, network.loads[0].kw},
                                                  {network.loads[1].model, network.loads[1].kw},
                                                  {network.loads[2].model, network.loads[2].kw}};
    EXPECT_DOUBLE_EQ(kw.at(grid::LoadModel::constant_power), 50.0);
    EXPECT_DOUBLE_EQ(kw.at(grid::LoadModel::constant_current), 30.0);
    EXPECT_DOUBLE_EQ(kw.at(grid::LoadModel::constant_impedance), 20.0);
    EXPECT_DOUBLE_EQ(network.loads[0].kvar + network.loads[1].kvar + network.loads[2].kvar, 40.0);
    for (const grid::Load& load : network.loads) EXPECT_EQ(load.terminal.conductors.size(), 3u);
    // Each phase R + jX with no coupling, B in siemens half at each end (the pi model).
    ASSERT_EQ(network.lines.size(), 1u);
    const grid::Line& line = network.lines[0];
    EXPECT_EQ(line.series_impedance_ohm(1, 1), (Complex{0.1, 0.05}));
    EXPECT_EQ(line.series_impedance_ohm(0, 1), Complex{});
    EXPECT_EQ(line.shunt_admittance_s(2, 2), (Complex{0.0, 2e-6}));
    EXPECT_EQ(network.source.bus, *network.find_bus("1"));
}

TEST(Ev2gymFeeder, ALineOutOfServiceIsLeftOutAndNodesWithoutLoadsAreRead) {
    const grid::Network network =
        parsed("NODES,Tb\n1,1\n2,0\n3,0\n", kLinesHeader + "1,2,0.1,0.05,0,1,1\n2,3,0.1,0.05,0,0.0,1\n");
    EXPECT_EQ(network.buses.size(), 3u);
    EXPECT_TRUE(network.loads.empty());
    EXPECT_EQ(network.lines.size(), 1u);
}

TEST(Ev2gymFeeder, BadFilesAreRefusedNamingTheFileLineAndExpectation) {
    const std::string source = "1,1,0,0,1,0,0\n";
    const std::string line = kLinesHeader + "1,2,0.1,0.05,0,1,1\n";
    EXPECT_NE(refusal("NODES,PD\n1,0\n", line).find("node_3/Nodes.csv"), std::string::npos);
    EXPECT_NE(refusal(kNodesHeader + source + "2,0,5,1,1,0,0\n", kLinesHeader + "1,9,0.1,0.05,0,1,1\n")
                  .find("node_3/Lines.csv:2: column 'TO': no node 9"),
              std::string::npos);
    EXPECT_NE(refusal(kNodesHeader + source + "2,1,5,1,1,0,0\n", line).find("Nodes.csv:3: a second source"),
              std::string::npos);
    EXPECT_NE(refusal(kNodesHeader + "2,0,5,1,1,0,0\n", line).find("no source node"), std::string::npos);
    EXPECT_NE(refusal(kNodesHeader + source + "2,0,5,1,0.5,0.2,0\n", line).find("adding up to 1"),
              std::string::npos);
    EXPECT_NE(refusal(kNodesHeader + source + "1,0,5,1,1,0,0\n", line).find("node 1 is given twice"),
              std::string::npos);
    EXPECT_NE(refusal(kNodesHeader + source + "2,0,5,1,1,0,0\n", kLinesHeader + "1,2,0.1,0.05,0,1,0.95\n")
                  .find("a TAP other than 1"),
              std::string::npos);
    EXPECT_NE(refusal(kNodesHeader + source + "2,0,5,1,1,0,0\n", kLinesHeader + "1,2,0,0,0,1,1\n")
                  .find("not both 0"),
              std::string::npos);
    EXPECT_NE(refusal(kNodesHeader + source + "2.5,0,5,1,1,0,0\n", line).find("expected a whole number"),
              std::string::npos);
    EXPECT_NE(refusal(kNodesHeader + source + "2,0,x,1,1,0,0\n", line).find("Nodes.csv:3"),
              std::string::npos);
}

// EV2Gym's per-phase equations solved here by a backward/forward sweep on the radial network: each
// node's constant-power load draws conj(S / V), each line carries what lies beyond it.
std::map<long, double> per_phase_sweep(const std::string& nodes_file, const std::string& lines_file) {
    const grid::Network read = read_ev2gym_feeder(nodes_file, lines_file, Ev2gymBase{});
    std::map<int, Complex> load_va;  // per phase
    for (const grid::Load& load : read.loads)
        load_va[load.terminal.bus] += Complex{load.kw, load.kvar} * 1000.0 / 3.0;
    const double phase_base = 11000.0 / std::numbers::sqrt3;
    std::vector<Complex> v(read.buses.size(), Complex{phase_base, 0.0});
    for (int iteration = 0; iteration < 200; ++iteration) {
        std::vector<Complex> current(read.buses.size());
        for (const auto& [bus, s] : load_va) current[bus] = std::conj(s / v[bus]);
        for (auto l = read.lines.rbegin(); l != read.lines.rend(); ++l)  // the files list lines root first
            current[l->from.bus] += current[l->to.bus];
        for (const grid::Line& l : read.lines)
            v[l.to.bus] = v[l.from.bus] - l.series_impedance_ohm(0, 0) * current[l.to.bus];
    }
    std::map<long, double> out;
    for (std::size_t b = 0; b < read.buses.size(); ++b)
        out[std::stol(read.buses[b].name)] = std::abs(v[b]) / phase_base;
    return out;
}

TEST(Ev2gymFeeder, Ev2gyms34NodeNetworkSolvesToItsPerPhaseEquations) {
    const std::string folder = std::string(EVTWIN_TEST_SOURCE_DIR) + "/tests/grid/data/ev2gym/node_34/";
    const grid::Network network =
        read_ev2gym_feeder(folder + "Nodes_34.csv", folder + "Lines_34.csv", Ev2gymBase{});
    EXPECT_EQ(network.buses.size(), 34u);
    EXPECT_EQ(network.lines.size(), 33u);
    const grid::PowerFlowSolution solution = grid::solve_power_flow(network);
    ASSERT_TRUE(solution.converged);
    const std::map<long, double> expected = per_phase_sweep(folder + "Nodes_34.csv", folder + "Lines_34.csv");
    const double phase_base = 11000.0 / std::numbers::sqrt3;
    double lowest = 2.0;
    for (std::size_t b = 0; b < network.buses.size(); ++b)
        for (int phase = 1; phase <= 3; ++phase) {
            const double pu = std::abs(*solution.volts(static_cast<int>(b), phase)) / phase_base;
            EXPECT_NEAR(pu, expected.at(std::stol(network.buses[b].name)), 1e-6) << network.buses[b].name;
            lowest = std::min(lowest, pu);
        }
    double expected_lowest = 2.0;
    for (const auto& [node, pu] : expected) expected_lowest = std::min(expected_lowest, pu);
    EXPECT_NEAR(lowest, expected_lowest, 1e-6);
}

}  // namespace
}  // namespace evtwin
