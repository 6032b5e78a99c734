// Small networks whose solutions are worked by hand (or by the equation the solution must satisfy).
#include "grid/power_flow.hpp"
#include "grid/dss_reader.hpp"
#include "grid/nodal_admittance.hpp"

#include <evtwin/errors.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

namespace evtwin::grid {
namespace {

// A 12.47 kV source, 1 + 2j ohm per phase without mutual coupling to bus b, and `loads`.
Network one_line_feeder(const std::string& loads) {
    return read_dss_text(
        "New Circuit.f basekv=12.47 bus1=s\n"
        "New Line.l bus1=s bus2=b rmatrix=(1|0 1|0 0 1) xmatrix=(2|0 2|0 0 2) cmatrix=(0|0 0|0 0 0)\n" +
            loads + "\nSet VoltageBases=[12.47]\n",
        "one_line.dss");
}

const double source_phase_volts = 12470.0 / std::numbers::sqrt3;
const Complex line_z{1.0, 2.0};

Complex source_phase(int k) {
    return std::polar(source_phase_volts, -2.0 * std::numbers::pi / 3.0 * k);
}

TEST(PowerFlow, ConstantImpedanceWyeLoadIsAVoltageDivider) {
    const Network network = one_line_feeder("New Load.z bus1=b kv=12.47 kw=900 kvar=300 model=2");
    const PowerFlowSolution solution = solve_power_flow(network);
    ASSERT_TRUE(solution.converged);
    const int b = *network.find_bus("b");
    // Per phase 300 + 100j kVA at 7.2 kV: Z = V^2 / conj(S).
    const Complex load_z = source_phase_volts * source_phase_volts / std::conj(Complex{300e3, 100e3});
    for (int k = 0; k < 3; ++k) {
        const Complex expected = source_phase(k) * load_z / (load_z + line_z);
        EXPECT_NEAR(std::abs(*solution.volts(b, k + 1) - expected), 0.0, 1e-6);
    }
}

TEST(PowerFlow, ConstantPowerAndCurrentLoadsSatisfyTheirEquations) {
    const Network network = one_line_feeder(
        "New Load.p bus1=b.1 phases=1 kv=7.2 kw=500 kvar=200 model=1\n"
        "New Load.i bus1=b.2 phases=1 kv=7.2 kw=400 kvar=-100 model=5");
    const PowerFlowSolution solution = solve_power_flow(network);
    ASSERT_TRUE(solution.converged);
    const int b = *network.find_bus("b");
    const Complex va = *solution.volts(b, 1);
    const Complex vb = *solution.volts(b, 2);
    const Complex ia = std::conj(Complex{500e3, 200e3} / va);
    EXPECT_NEAR(std::abs(source_phase(0) - line_z * ia - va), 0.0, 1e-4);
    // Constant current: |I| = |S| / V nominal, at the power factor's angle from the voltage.
    const Complex s_i{400e3, -100e3};
    const Complex ib = std::polar(std::abs(s_i) / 7200.0, std::arg(vb) - std::arg(s_i));
    EXPECT_NEAR(std::abs(source_phase(1) - line_z * ib - vb), 0.0, 1e-4);
    EXPECT_NEAR(std::abs(*solution.volts(b, 3) - source_phase(2)), 0.0, 1e-6);  // unloaded
    // Power balance: the source gives the loads and the line's I^2 R.
    const double line_loss_w = (std::norm(ia) + std::norm(ib)) * line_z.real();
    EXPECT_NEAR(solution.loss_kw, line_loss_w / 1000.0, 1e-6);
    EXPECT_NEAR(solution.lines[0].loss_kva.real(), line_loss_w / 1000.0, 1e-6);
    EXPECT_NEAR(solution.lines[0].loading, std::max(std::abs(ia), std::abs(ib)) / 400.0,
                1e-9);  // the default rating
    EXPECT_NEAR(solution.source_power_kva.real(), solution.load_power_kva.real() + solution.loss_kw, 1e-9);
}

// A ZIP load (model 8) draws its power's shares as the three models do: the same voltages as three
// loads of those models sharing its power, and at its bus S(V) = P·(Zp·r² + Ip·r + Pp) +
// jQ·(Zq·r² + Iq·r + Pq), r = |V| / V nominal; all-Z shares are model 2.
TEST(PowerFlow, AZipLoadDrawsItsSharesAsTheThreeModels) {
    const Network zip = one_line_feeder(
        "New Load.zip bus1=b.1 phases=1 kv=7.2 kw=600 kvar=200 model=8 zipv=[0.5 0.3 0.2 0.1 0.2 0.7 0.6]");
    const Network split = one_line_feeder(
        "New Load.z bus1=b.1 phases=1 kv=7.2 kw=300 kvar=20 model=2\n"
        "New Load.i bus1=b.1 phases=1 kv=7.2 kw=180 kvar=40 model=5\n"
        "New Load.p bus1=b.1 phases=1 kv=7.2 kw=120 kvar=140 model=1");
    const PowerFlowSolution a = solve_power_flow(zip);
    const PowerFlowSolution b = solve_power_flow(split);
    ASSERT_TRUE(a.converged);
    ASSERT_TRUE(b.converged);
    const int bus = *zip.find_bus("b");
    const Complex v = *a.volts(bus, 1);
    EXPECT_NEAR(std::abs(v - *b.volts(*split.find_bus("b"), 1)), 0.0, 1e-6);
    const double r = std::abs(v) / 7200.0;
    const Complex s{600e3 * (0.5 * r * r + 0.3 * r + 0.2), 200e3 * (0.1 * r * r + 0.2 * r + 0.7)};
    EXPECT_NEAR(std::abs(source_phase(0) - line_z * std::conj(s / v) - v), 0.0, 1e-4);
    EXPECT_NEAR(a.load_power_kva.real(), s.real() / 1000.0, 1e-6);
    EXPECT_LT(r, 1.0);  // the drop makes its Z and I parts draw less than their nominal share

    const Network all_z =
        one_line_feeder("New Load.z bus1=b kv=12.47 kw=900 kvar=300 model=8 zipv=[1 0 0 1 0 0 0]");
    const Network model_2 = one_line_feeder("New Load.z bus1=b kv=12.47 kw=900 kvar=300 model=2");
    const PowerFlowSolution z8 = solve_power_flow(all_z), z2 = solve_power_flow(model_2);
    for (int k = 1; k <= 3; ++k)
        EXPECT_NEAR(std::abs(*z8.volts(*all_z.find_bus("b"), k) - *z2.volts(*model_2.find_bus("b"), k)), 0.0,
                    1e-9);
}

TEST(PowerFlow, DeltaLoadDrawsTheSameCurrentFromBothPhases) {
    const Network network =
        one_line_feeder("New Load.d bus1=b.1.2 phases=1 conn=delta kv=12.47 kw=600 kvar=0 model=2");
    const PowerFlowSolution solution = solve_power_flow(network);
    const int b = *network.find_bus("b");
    const Complex v1 = *solution.volts(b, 1), v2 = *solution.volts(b, 2);
    const Complex i = (v1 - v2) * (600e3 / (12470.0 * 12470.0));
    EXPECT_NEAR(std::abs(source_phase(0) - line_z * i - v1), 0.0, 1e-5);
    EXPECT_NEAR(std::abs(source_phase(1) + line_z * i - v2), 0.0, 1e-5);
}

// ppm=0: no antifloat reactance on the delta winding, so that the no-load voltages are exact.
TEST(PowerFlow, TransformerTurnsAndDeltaWyeShift) {
    const Network network = read_dss_text(R"(
New Circuit.t basekv=115 angle=30 bus1=s
New Transformer.sub phases=3 windings=2 xhl=8 ppm=0
~ wdg=1 bus=s conn=delta kv=115 kva=5000 %r=0.5
~ wdg=2 bus=lv conn=wye kv=4.16 kva=5000 %r=0.5
New Transformer.step phases=1 buses=[lv.1 out.1] kvs=[2.4 0.24] kvas=[50 50] xhl=2 taps=[1 1.05]
Set VoltageBases=[115 4.16 0.416]
)",
                                          "t.dss");
    const PowerFlowSolution solution = solve_power_flow(network);
    ASSERT_TRUE(solution.converged);
    const int lv = *network.find_bus("lv");
    const int out = *network.find_bus("out");
    // No load: the low side is the high side's ratio, lagging it by 30 degrees (ANSI).
    for (int k = 1; k <= 3; ++k) {
        EXPECT_NEAR(solution.per_unit(lv, k)->real(), 1.0, 1e-9);
        EXPECT_NEAR(solution.per_unit(lv, k)->imag(), std::remainder(30.0 - 30.0 - 120.0 * (k - 1), 360.0),
                    1e-9);
    }
    // A tap of 1.05 on winding 2 gives 1.05 of 2.4 kV over 240 V... per turn: 4.16/sqrt(3)/10 * 1.05.
    EXPECT_NEAR(std::abs(*solution.volts(out, 1)), 4160.0 / std::numbers::sqrt3 * 0.24 / 2.4 * 1.05, 1e-6);
}

TEST(PowerFlow, ANodeWithoutAPathToTheSourceIsNamed) {
    const Network network = one_line_feeder("New Load.far bus1=island.1 phases=1 kv=7.2 kw=1 kvar=0");
    try {
        solve_power_flow(network);
        FAIL() << "expected a DataError";
    } catch (const DataError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "the network's node island.1 has no path to the source (singular admittance matrix)");
    }
}

std::string power_flow_error_of(const std::string& text) {
    try {
        solve_power_flow(read_dss_text(text, "bad.dss"));
    } catch (const DataError& e) {
        return e.what();
    }
    return "no error";
}

TEST(PowerFlow, IllFormedElementsAreNamed) {
    EXPECT_EQ(power_flow_error_of("New Circuit.c bus1=s\nNew Line.zero bus1=s bus2=b r1=0 x1=0 r0=0 x0=0"),
              "Line.zero: its series impedance matrix is singular");
    EXPECT_EQ(power_flow_error_of(
                  "New Circuit.c bus1=s\nNew Transformer.t phases=1 buses=[s.1 b.1] %rs=[0 0] xhl=0"),
              "Transformer.t: its leakage impedance (%r and xhl) must not be zero");
    EXPECT_EQ(power_flow_error_of(
                  "New Circuit.c bus1=s\nNew Transformer.t phases=1 conns=[delta wye] buses=[s.1 b.1]"),
              "Transformer.t: bus s gives 1 conductors, expected 2");
    // A network built in code may give a line any matrix; one of more phases than its buses' three
    // conductors is refused (the flows keep at most three currents per line).
    Network four_phases = read_dss_text("New Circuit.c bus1=s\nNew Line.l bus1=s bus2=b", "four.dss");
    four_phases.lines[0].series_impedance_ohm = ComplexMatrix(4, 4);
    for (std::size_t k = 0; k < 4; ++k) four_phases.lines[0].series_impedance_ohm(k, k) = 1.0;
    try {
        solve_power_flow(four_phases);
        FAIL() << "expected a DataError";
    } catch (const DataError& e) {
        EXPECT_EQ(std::string(e.what()), "Line.l: bus s gives 3 conductors, expected 4");
    }
}

TEST(PowerFlow, ALoadChangedAfterASolveGivesTheSolutionOfTheChangedNetwork) {
    const std::string ieee13 =
        std::string(EVTWIN_TEST_SOURCE_DIR) + "/tests/grid/data/ieee13/IEEE13Nodeckt.dss";
    const Network network = read_dss_file(ieee13);
    PowerFlow solver(network);
    const PowerFlowSolution before = solver.solve();
    std::size_t load_675a = 0;
    while (network.loads[load_675a].name != "675a") ++load_675a;
    solver.set_load_power(load_675a, 800.0, 300.0);
    const PowerFlowSolution warm = solver.solve();
    Network changed = network;
    changed.loads[load_675a].kw = 800.0;
    changed.loads[load_675a].kvar = 300.0;
    const PowerFlowSolution scratch = solve_power_flow(changed);
    ASSERT_TRUE(warm.converged);
    ASSERT_TRUE(scratch.converged);
    EXPECT_LE(warm.iterations, scratch.iterations);
    const int bus_675 = *network.find_bus("675");
    EXPECT_LT(warm.per_unit(bus_675, 1)->real(), before.per_unit(bus_675, 1)->real() - 0.005);
    for (std::size_t node = 0; node < warm.node_volts.size(); ++node)
        EXPECT_LT(std::abs(warm.node_volts[node] - scratch.node_volts[node]), 1e-5) << node;
    EXPECT_THROW(solver.set_load_power(network.loads.size(), 1.0, 0.0), std::out_of_range);
}

TEST(PowerFlow, Ieee13BalancesPowerAndConvergesInFewIterations) {
    const Network network =
        read_dss_file(std::string(EVTWIN_TEST_SOURCE_DIR) + "/tests/grid/data/ieee13/IEEE13Nodeckt.dss");
    const PowerFlowSolution solution = solve_power_flow(network);
    ASSERT_TRUE(solution.converged);
    EXPECT_LE(solution.iterations, 20);
    double line_losses_kw = 0.0;
    for (const LineFlow& flow : solution.lines) line_losses_kw += flow.loss_kva.real();
    // The rest of the losses are the transformers' (XFM-1's the most): positive and smaller.
    EXPECT_GT(line_losses_kw, 0.0);
    EXPECT_GT(solution.loss_kw, line_losses_kw);
    EXPECT_LT(solution.loss_kw - line_losses_kw, 0.1 * solution.loss_kw);
    EXPECT_NEAR(solution.source_power_kva.real(), solution.load_power_kva.real() + solution.loss_kw, 1e-9);
    // The transformers' losses are the rest, to the iteration's last change (1e-9 per unit of voltage).
    double transformer_losses_kw = 0.0;
    for (const TransformerFlow& flow : solution.transformers) transformer_losses_kw += flow.loss_kva().real();
    EXPECT_NEAR(line_losses_kw + transformer_losses_kw, solution.loss_kw, 1e-6 * solution.loss_kw);
}

// Kirchhoff's current law at every node but the source's: what the linear elements take from a node
// (the row of Y times V) is what its loads give it, to the iteration's tolerance.
TEST(PowerFlow, Ieee13SolutionHoldsKirchhoffsCurrentLaw) {
    const Network network =
        read_dss_file(std::string(EVTWIN_TEST_SOURCE_DIR) + "/tests/grid/data/ieee13/IEEE13Nodeckt.dss");
    const PowerFlowSolution solution = solve_power_flow(network);
    const NodeIndex nodes = index_nodes(network);
    const SparseMatrix y = nodal_admittance(network, nodes);
    std::vector<Complex> load_injection(nodes.count);
    for (const Load& load : network.loads) {
        const auto branches = element_branches(nodes, load.terminal, load.connection, load.phases, false);
        const double nominal = branch_volts(load.kv, load.connection, load.phases);
        const Complex phase_va = Complex{load.kw, load.kvar} * 1000.0 / static_cast<double>(load.phases);
        for (const Branch& b : branches) {
            const Complex across = (b.p >= 0 ? solution.node_volts[b.p] : Complex{}) -
                                   (b.q >= 0 ? solution.node_volts[b.q] : Complex{});
            Complex current = std::conj(phase_va / across);
            if (load.model == LoadModel::constant_impedance)
                current = std::conj(phase_va) / (nominal * nominal) * across;
            if (load.model == LoadModel::constant_current) current *= std::abs(across) / nominal;
            if (b.p >= 0) load_injection[b.p] -= current;
            if (b.q >= 0) load_injection[b.q] += current;
        }
    }
    for (int node = nodes.source_nodes; node < nodes.count; ++node) {
        Complex taken;
        for (const SparseEntry& e : y.row(node)) taken += e.value * solution.node_volts[e.col];
        // A milliampere, against load currents of tens to hundreds of amperes.
        EXPECT_LT(std::abs(taken - load_injection[node]), 1e-3) << node;
    }
}

TEST(PowerFlow, TransformerFlowsAndBusUnbalance) {
    const Network network =
        read_dss_file(std::string(EVTWIN_TEST_SOURCE_DIR) + "/tests/grid/data/ieee13/IEEE13Nodeckt.dss");
    const PowerFlowSolution solution = solve_power_flow(network);
    // XFM-1 (index 4) feeds the loads of 634 alone: 400 kW and 290 kvar at constant power.
    const TransformerFlow& xfm1 = solution.transformers[4];
    EXPECT_NEAR(xfm1.power_out_kva.real(), 400.0, 1e-6);
    EXPECT_NEAR(xfm1.power_out_kva.imag(), 290.0, 1e-6);
    EXPECT_GT(xfm1.loss_kva().real(), 0.0);
    EXPECT_NEAR(xfm1.loading, std::abs(xfm1.power_in_kva) / 500.0, 1e-12);
    // Bus 671: |V| of 0.9900, 1.0529 and 0.9778 per unit published, a 4.1 % unbalance.
    const auto unbalance = solution.voltage_unbalance(*network.find_bus("671"));
    ASSERT_TRUE(unbalance);
    EXPECT_NEAR(*unbalance, (1.0529 - (0.9900 + 1.0529 + 0.9778) / 3.0) / ((0.9900 + 1.0529 + 0.9778) / 3.0),
                2e-4);
    EXPECT_FALSE(solution.voltage_unbalance(*network.find_bus("684")));
}

// A delta-delta bank's secondary has no ground: its antifloat reactances (ppm) give it a reference,
// and its line-to-line voltages are the primary's over the turns ratio. Without them (ppm=0) its
// nodes have no path to the source.
TEST(PowerFlow, ADeltaDeltaSecondaryTakesItsReferenceFromTheAntifloatReactances) {
    const std::string bank = R"(
New Circuit.d basekv=4.16 bus1=s
New Transformer.dd phases=3 windings=2 xhl=2.72
~ wdg=1 bus=s conn=delta kv=4.16 kva=150 %r=0.635
~ wdg=2 bus=lv conn=delta kv=0.48 kva=150 %r=0.635
Set VoltageBases=[4.16 0.48]
)";
    const Network network = read_dss_text(bank, "dd.dss");
    const PowerFlowSolution solution = solve_power_flow(network);
    ASSERT_TRUE(solution.converged);
    const int lv = *network.find_bus("lv");
    for (int k = 1; k <= 3; ++k) {
        const Complex line_to_line = *solution.volts(lv, k) - *solution.volts(lv, k % 3 + 1);
        EXPECT_NEAR(std::abs(line_to_line), 480.0, 1e-3);
        // Equal reactances to ground put the floating winding's neutral at the centroid; it is held
        // by a millionth of the winding's admittance, so to round-off amplified a million times.
        EXPECT_NEAR(solution.per_unit(lv, k)->real(), 1.0, 1e-6);
    }
    try {
        solve_power_flow(read_dss_text(bank + "Transformer.dd.ppm=0\n", "dd.dss"));
        ADD_FAILURE() << "a floating secondary solved";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("no path to the source"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace evtwin::grid
