#pragma once
// Rainflow cycle counting (ASTM E1049-85, three-point method) over a series, e.g. a battery's SoC.
#include <span>
#include <vector>

namespace evtwin {

struct RainflowCycle {
    double range;       // |peak - valley|
    double mean;        // (peak + valley) / 2
    double count;       // 1 for a full cycle, 0.5 for a half cycle (the residue)
    std::size_t start;  // index in the series of the cycle's first turning point
    std::size_t end;    // and of its last
};

// The series' turning points (local extrema, with the first and last sample), as indices.
std::vector<std::size_t> turning_points(std::span<const double> series);

// Full cycles as the three-point method extracts them, then the residue's half cycles; cycles of zero
// range are left out.
std::vector<RainflowCycle> rainflow(std::span<const double> series);

}  // namespace evtwin
