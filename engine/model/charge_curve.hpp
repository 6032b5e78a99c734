#pragma once
// A vehicle's maximum charging power against SoC, as a staircase the engine can integrate exactly.
// The piecewise-linear curve (constant then tapering) is cut into stairs at its own breakpoints and,
// where it slopes, every `max_step_soc`; each stair takes the curve's lowest value over its SoC
// range, so the staircase never exceeds the curve. Power is then constant between stair edges, and
// the simulator schedules an event when the SoC reaches the next edge.
#include "model/vehicle_spec.hpp"

#include <vector>

namespace evtwin {

class ChargeStaircase {
public:
    ChargeStaircase() = default;
    // `rated_kw` scales the curve's fractions; throws std::invalid_argument for a malformed curve.
    ChargeStaircase(const std::vector<ChargeCurvePoint>& curve, double rated_kw, double max_step_soc = 0.01);

    // Max inlet power at `soc`, and the SoC where the next stair starts (> soc; 1.0 at the top).
    double max_kw(double soc) const { return stairs_[index(soc)].kw; }
    double next_edge(double soc) const;
    std::size_t stairs() const { return stairs_.size(); }

private:
    struct Stair {
        double soc_start;
        double kw;
    };
    std::size_t index(double soc) const;
    std::vector<Stair> stairs_;
};

}  // namespace evtwin
