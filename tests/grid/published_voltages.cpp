#include "published_voltages.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace evtwin::grid {

std::vector<PublishedVoltage> read_published_voltages(const std::string& path) {
    std::ifstream in(path);
    EXPECT_TRUE(in) << path;
    std::vector<PublishedVoltage> rows;
    std::string line;
    bool header_seen = false;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (!header_seen) {
            header_seen = true;
            continue;
        }
        std::istringstream fields(line);
        PublishedVoltage row;
        std::string phase, magnitude, angle;
        std::getline(fields, row.bus, ',');
        std::getline(fields, phase, ',');
        std::getline(fields, magnitude, ',');
        std::getline(fields, angle, ',');
        row.phase = std::stoi(phase);
        row.magnitude_pu = std::stod(magnitude);
        row.angle_deg = std::stod(angle);
        rows.push_back(row);
    }
    return rows;
}

LargestDifference expect_published_voltages(const Network& network, const PowerFlowSolution& solution,
                                            const std::vector<PublishedVoltage>& published,
                                            double magnitude_fraction, double angle_deg) {
    LargestDifference largest;
    for (const PublishedVoltage& row : published) {
        const std::string where = row.bus + "." + std::to_string(row.phase);
        const auto bus = network.find_bus(row.bus);
        const auto pu = bus ? solution.per_unit(*bus, row.phase) : std::nullopt;
        if (!pu) {
            ADD_FAILURE() << where << " is not in the solution";
            continue;
        }
        EXPECT_NEAR(pu->real(), row.magnitude_pu, magnitude_fraction * row.magnitude_pu) << where;
        EXPECT_NEAR(pu->imag(), row.angle_deg, angle_deg) << where;
        largest.magnitude_fraction =
            std::max(largest.magnitude_fraction, std::abs(pu->real() - row.magnitude_pu) / row.magnitude_pu);
        largest.angle_deg = std::max(largest.angle_deg, std::abs(pu->imag() - row.angle_deg));
    }
    return largest;
}

}  // namespace evtwin::grid
