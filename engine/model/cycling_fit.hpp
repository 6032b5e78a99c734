#pragma once
// Least-squares fit of a cycling-fade law to a cell's measured capacity per cycle (docs/battery.md,
// "Calibration against the NASA cells"): capacity(EFC) = c0 - rated * b * EFC^p, where EFC is the
// throughput before the measurement in nominal capacities (the capacities discharged before it / rated)
// and c0 the cell's own initial capacity. Points of the regeneration bumps after rests are excluded.
#include <cstddef>
#include <span>
#include <vector>

namespace evtwin {

struct CyclingFitOptions {
    double rated_ah = 2.0;
    // A point is a regeneration bump when its capacity exceeds the lowest capacity of every earlier
    // point by more than this fraction of the rated capacity.
    double regeneration_threshold = 0.01;
};

struct CyclingFit {
    double initial_ah = 0.0;  // c0
    double b = 0.0;           // loss fraction of rated capacity after 1 EFC
    double p = 1.0;           // exponent
    std::vector<double> efc;
    std::vector<bool> kept;
    std::size_t excluded = 0;
    double rmse_all_pct = 0.0;   // of rated capacity, over every point
    double rmse_kept_pct = 0.0;  // over the points kept
    bool converged = false;

    double capacity_at(double efc, double rated_ah) const;
};

// EFC before each measurement: the capacities measured before it, summed, over the rated capacity.
std::vector<double> throughput_efc(std::span<const double> capacity_ah, double rated_ah);

// Which points to keep (true) under the regeneration rule above.
std::vector<bool> regeneration_mask(std::span<const double> capacity_ah, double threshold_ah);

// Levenberg-Marquardt on (c0, b, p) over the kept points (at least 3); throws std::invalid_argument
// for fewer.
CyclingFit fit_cycling(std::span<const double> capacity_ah, const CyclingFitOptions& options = {});

}  // namespace evtwin
