// The IEEE 123 Node Test Feeder, read from EPRI's OpenDSS definition (data/ieee123/IEEE123Master.dss
// and the files it redirects to) and solved, against Kersting's published voltages
// (data/ieee123/published_voltages.csv, source named there): every bus-phase within 0.5 % of the
// published per-unit magnitude (and 0.5 degree of its angle), at the report's taps.
#include "grid/dss_reader.hpp"
#include "grid/power_flow.hpp"
#include "grid/regulator_relay.hpp"
#include "grid/tap_control.hpp"
#include "published_voltages.hpp"
#include "regulator_band.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <string>
#include <vector>

namespace evtwin::grid {
namespace {

const std::string ieee123_folder = std::string(EVTWIN_TEST_SOURCE_DIR) + "/tests/grid/data/ieee123";

// The report's taps, in steps of 0.625 % (published_voltages.csv names them).
const std::map<std::string, int> ieee123_published_taps = {
    {"reg1a", 7}, {"reg2a", -1}, {"reg3a", 0}, {"reg3c", -1}, {"reg4a", 8}, {"reg4b", 1}, {"reg4c", 5}};

// Sets the report's taps, as the validation against the report's voltages needs: the solver is
// given them, it does not find them.
Network ieee123_at_published_taps() {
    Network network = read_dss_file(ieee123_folder + "/IEEE123Master.dss");
    for (Transformer& t : network.transformers) {
        const auto steps = ieee123_published_taps.find(t.name);
        if (steps != ieee123_published_taps.end()) t.windings[1].tap = 1.0 + 0.00625 * steps->second;
    }
    return network;
}

Complex phasor(double magnitude, double angle_deg) {
    return std::polar(magnitude, angle_deg * std::numbers::pi / 180.0);
}

// Bus 610 is the secondary of a delta-delta bank: it has no ground, and its line-to-ground voltages
// are a matter of reference (the report repeats bus 61's; here the antifloat reactances put its
// neutral at the centroid). Its line-to-line voltages are what the two agree on.
void expect_line_to_line_at_610(const Network& network, const PowerFlowSolution& solution,
                                const std::vector<PublishedVoltage>& published) {
    const int bus = *network.find_bus("610");
    Complex reported[3], solved[3];
    for (const PublishedVoltage& row : published)
        if (row.bus == "610") reported[row.phase - 1] = phasor(row.magnitude_pu, row.angle_deg);
    for (int k = 0; k < 3; ++k)
        solved[k] = phasor(solution.per_unit(bus, k + 1)->real(), solution.per_unit(bus, k + 1)->imag());
    for (int k = 0; k < 3; ++k) {
        const double expected = std::abs(reported[k] - reported[(k + 1) % 3]);
        EXPECT_NEAR(std::abs(solved[k] - solved[(k + 1) % 3]), expected, 0.005 * expected)
            << "610 phases " << k + 1;
    }
}

TEST(Ieee123Validation, AtThePublishedTapsEveryBusPhaseWithinHalfAPercent) {
    const Network network = ieee123_at_published_taps();
    const PowerFlowSolution solution = solve_power_flow(network);
    ASSERT_TRUE(solution.converged) << "last change " << solution.last_change_pu;
    std::vector<PublishedVoltage> published =
        read_published_voltages(ieee123_folder + "/published_voltages.csv");
    ASSERT_EQ(published.size(), 274u);
    expect_line_to_line_at_610(network, solution, published);
    std::erase_if(published, [](const PublishedVoltage& row) { return row.bus == "610"; });
    expect_published_voltages(network, solution, published, 0.005, 0.5);
}

// From the file's neutral taps every regulator ends within its band, at 7, -2, 1, -1, 8, 1, 4 steps
// where the report has 7, -1, 0, -1, 8, 1, 5 (EPRI's Run_IEEE123Bus.DSS: its own control is
// "generally one off from the presently posted solution").
TEST(Ieee123Validation, TapControlHoldsEveryRegulatorWithinItsBand) {
    Network network = read_dss_file(ieee123_folder + "/IEEE123Master.dss");
    const TapControlOutcome outcome = solve_with_tap_control(network);
    ASSERT_TRUE(outcome.settled);
    const std::vector<int> steps = expect_regulators_in_band(network, outcome.solution);
    EXPECT_EQ(steps, (std::vector<int>{7, -2, 1, -1, 8, 1, 4}));
}

}  // namespace
}  // namespace evtwin::grid
