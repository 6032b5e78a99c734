#pragma once
// Step voltage regulators acting, as OpenDSS's static control mode has them: solve, let each
// RegControl whose measured voltage (grid/regulator_relay.hpp) is outside its band move its
// winding's tap toward its setpoint, solve again, until no tap moves. docs/grid.md states the rule
// and its limits.
#include "grid/network.hpp"
#include "grid/power_flow.hpp"

namespace evtwin::grid {

struct TapControlOptions {
    PowerFlowOptions power_flow;
    int max_control_iterations = 30;  // solves, each after the taps moved
};

struct TapControlOutcome {
    PowerFlowSolution solution;  // at the taps the network has on return
    int control_iterations = 0;
    bool settled = false;  // the last solve converged and moved no tap
};

// The steps (positive raises the regulated voltage) a regulator makes at a measured relay voltage:
// none inside its band vreg +- band/2, else the whole number nearest to (vreg - relay) over a
// step's share of the controller's 120 V scale, at least one.
int tap_steps_into_band(const RegulatorControl& regulator, double relay_volts);

// The regulator's tap position in steps from neutral (tap 1.0).
int tap_position(const Network& network, const RegulatorControl& regulator);

// Moves the regulators' taps (the network's transformers change) until each regulator's relay voltage
// is within its band or its tap at a limit. Throws DataError when a RegControl's transformer is not
// in the network or is not one regulator_relay_volts reads.
TapControlOutcome solve_with_tap_control(Network& network, const TapControlOptions& options = {});

}  // namespace evtwin::grid
