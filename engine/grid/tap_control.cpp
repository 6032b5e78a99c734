#include "grid/tap_control.hpp"

#include "grid/regulator_relay.hpp"

#include <evtwin/errors.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace evtwin::grid {
namespace {

// The relay's scale: a step of the tap moves the measured voltage by about tap_step of it.
constexpr double relay_scale_volts = 120.0;

// The index of the transformer the regulator moves; its winding `regulator.winding` is the one.
std::size_t regulated_transformer(const Network& network, const RegulatorControl& regulator) {
    for (std::size_t t = 0; t < network.transformers.size(); ++t)
        if (network.transformers[t].name == regulator.transformer && regulator.winding >= 1 &&
            static_cast<std::size_t>(regulator.winding) <= network.transformers[t].windings.size())
            return t;
    throw DataError("RegControl." + regulator.name + ": no Transformer named '" + regulator.transformer +
                    "' with winding " + std::to_string(regulator.winding));
}

Winding& regulated_winding(Network& network, const RegulatorControl& regulator) {
    return network.transformers[regulated_transformer(network, regulator)].windings[regulator.winding - 1];
}

double tap_on_its_steps(const RegulatorControl& regulator, double tap) {
    const double steps = std::round((tap - 1.0) / regulator.tap_step);
    return std::clamp(1.0 + steps * regulator.tap_step, regulator.min_tap, regulator.max_tap);
}

}  // namespace

int tap_steps_into_band(const RegulatorControl& regulator, double relay_volts) {
    if (std::abs(regulator.vreg - relay_volts) <= regulator.band / 2.0) return 0;
    const double needed =
        std::round((regulator.vreg - relay_volts) / (regulator.tap_step * relay_scale_volts));
    const double steps = std::max(1.0, std::abs(needed));
    return static_cast<int>(relay_volts < regulator.vreg ? steps : -steps);
}

int tap_position(const Network& network, const RegulatorControl& regulator) {
    const Winding& winding =
        network.transformers[regulated_transformer(network, regulator)].windings[regulator.winding - 1];
    return static_cast<int>(std::lround((winding.tap - 1.0) / regulator.tap_step));
}

TapControlOutcome solve_with_tap_control(Network& network, const TapControlOptions& options) {
    TapControlOutcome outcome;
    for (const RegulatorControl& regulator : network.regulators) {
        if (!(regulator.tap_step > 0.0) || !(regulator.min_tap <= 1.0 && 1.0 <= regulator.max_tap))
            throw DataError("RegControl." + regulator.name +
                            ": its tap step must be positive and its range include 1.0");
        Winding& winding = regulated_winding(network, regulator);
        winding.tap = tap_on_its_steps(regulator, winding.tap);
    }
    for (int iteration = 1; iteration <= options.max_control_iterations; ++iteration) {
        outcome.solution = solve_power_flow(network, options.power_flow);
        outcome.control_iterations = iteration;
        if (!outcome.solution.converged) return outcome;
        // Every regulator decides on the same solution, as OpenDSS's control pass does.
        std::vector<double> taps;
        for (const RegulatorControl& regulator : network.regulators) {
            const double relay = std::abs(regulator_relay_volts(network, outcome.solution, regulator));
            const double tap = regulated_winding(network, regulator).tap;
            taps.push_back(tap_on_its_steps(
                regulator, tap + tap_steps_into_band(regulator, relay) * regulator.tap_step));
        }
        bool moved = false;
        for (std::size_t r = 0; r < network.regulators.size(); ++r) {
            Winding& winding = regulated_winding(network, network.regulators[r]);
            moved = moved || taps[r] != winding.tap;
            winding.tap = taps[r];
        }
        if (!moved) {
            outcome.settled = true;
            return outcome;
        }
    }
    return outcome;
}

}  // namespace evtwin::grid
