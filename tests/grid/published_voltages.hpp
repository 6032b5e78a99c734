#pragma once
// A feeder's published bus voltages (tests/grid/data/<feeder>/published_voltages.csv: bus, phase,
// per-unit magnitude, angle in degrees; '#' lines name the source) and a solution held to them.
#include "grid/network.hpp"
#include "grid/power_flow.hpp"

#include <string>
#include <vector>

namespace evtwin::grid {

struct PublishedVoltage {
    std::string bus;
    int phase = 0;
    double magnitude_pu = 0.0;
    double angle_deg = 0.0;
};

std::vector<PublishedVoltage> read_published_voltages(const std::string& path);

// The largest differences of a solution from the published voltages.
struct LargestDifference {
    double magnitude_fraction = 0.0;  // |solved - published| / published
    double angle_deg = 0.0;
};

// Expects every published bus-phase in the solution within `magnitude_fraction` of its published
// magnitude and `angle_deg` of its angle, naming each that is not.
LargestDifference expect_published_voltages(const Network& network, const PowerFlowSolution& solution,
                                            const std::vector<PublishedVoltage>& published,
                                            double magnitude_fraction, double angle_deg);

}  // namespace evtwin::grid
