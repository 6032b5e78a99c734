#pragma once
// What a step voltage regulator's controller measures: the regulated winding's voltage through the
// potential transformer, less the line-drop compensator's drop (R + jX volts at the CT's primary
// rating), on the controller's 120 V scale. A tap controller moves the taps until this is within
// vreg +- band/2 (grid/tap_control.hpp). A three-phase (ganged) regulator is measured on its
// first phase, OpenDSS's default PT phase, and all its phases move together.
#include "grid/network.hpp"
#include "grid/power_flow.hpp"

namespace evtwin::grid {

// Throws DataError when the regulator's transformer or winding is not in the network, or its
// winding 2 is not wye.
Complex regulator_relay_volts(const Network& network, const PowerFlowSolution& solution,
                              const RegulatorControl& regulator);

}  // namespace evtwin::grid
