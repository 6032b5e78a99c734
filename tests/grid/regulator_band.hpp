#pragma once
// The validation tests' check of a feeder's regulators against their controllers' bands.
#include "grid/network.hpp"
#include "grid/power_flow.hpp"
#include "grid/regulator_relay.hpp"
#include "grid/tap_control.hpp"

#include <gtest/gtest.h>

#include <complex>
#include <vector>

namespace evtwin::grid {

// Expects each regulator's compensated voltage in `solution` within its band (vreg ± band/2 on its
// 120 V scale), naming each that is not; returns their taps in steps from neutral, in order.
inline std::vector<int> expect_regulators_in_band(const Network& network, const PowerFlowSolution& solution) {
    std::vector<int> steps;
    for (const RegulatorControl& regulator : network.regulators) {
        const double relay = std::abs(regulator_relay_volts(network, solution, regulator));
        EXPECT_GE(relay, regulator.vreg - regulator.band / 2) << regulator.name;
        EXPECT_LE(relay, regulator.vreg + regulator.band / 2) << regulator.name;
        steps.push_back(tap_position(network, regulator));
    }
    return steps;
}

}  // namespace evtwin::grid
