#pragma once
// A vehicle's maximum charging power against SoC, as a staircase the engine can integrate exactly.
// The piecewise-linear curve (constant then tapering) is cut into stairs at its own breakpoints and,
// where it slopes, every `max_step_soc`; each stair takes the curve's lowest value over its SoC
// range, so the staircase never exceeds the curve. Power is then constant between stair edges, and
// the simulator schedules an event when the SoC reaches the next edge.
//
// In decision-period mode the engine instead integrates the curve itself exactly over a period
// (soc_after_charging) and holds the period's average power, as ACN-Sim does.
#include "model/vehicle_spec.hpp"

#include <algorithm>
#include <span>
#include <vector>

namespace evtwin {

// Whether a curve takes less than its rated power at some SoC (an empty one never does).
inline bool curve_tapers(std::span<const ChargeCurvePoint> curve) {
    return std::any_of(curve.begin(), curve.end(),
                       [](const ChargeCurvePoint& p) { return p.fraction < 1.0; });
}

class ChargeStaircase {
public:
    ChargeStaircase() = default;
    // `rated_kw` scales the curve's fractions; throws std::invalid_argument for a malformed curve.
    ChargeStaircase(const std::vector<ChargeCurvePoint>& curve, double rated_kw, double max_step_soc = 0.01);

    // Max inlet power at `soc`, and the SoC where the next stair starts (> soc; 1.0 at the top).
    double max_kw(double soc) const { return stairs_[index(soc)].kw; }
    double next_edge(double soc) const { return edge_after(index(soc)); }
    std::size_t stairs() const { return stairs_.size(); }

    // The stair `soc` is on, as max_kw and next_edge find it; `hint` (the stair found last) is tried
    // first, then the one after it: while charging the SoC only moves up, usually within a stair.
    std::size_t stair_of(double soc, std::size_t hint) const {
        // Stair i holds soc when it is the last one whose start is not above soc + tolerance:
        // index()'s upper_bound with the same comparison, so the answer is the same for every soc.
        const double x = soc + kSocTolerance;
        const std::size_t n = stairs_.size();
        const auto holds = [&](std::size_t i) {
            return (i == 0 || !(x < stairs_[i].soc_start)) && (i + 1 == n || x < stairs_[i + 1].soc_start);
        };
        if (hint < n && holds(hint)) return hint;
        if (hint + 1 < n && holds(hint + 1)) return hint + 1;
        return index(soc);
    }
    double stair_kw(std::size_t stair) const { return stairs_[stair].kw; }
    // The curve's points from SoC 0 to 1, and the inlet power its fraction 1 is.
    std::span<const ChargeCurvePoint> points() const { return points_; }
    double rated_kw() const { return rated_kw_; }
    bool tapers() const { return curve_tapers(points_); }
    // The most any stair up to this one takes: what the vehicle takes again below its SoC.
    double most_kw_up_to(std::size_t stair) const { return stairs_[stair].most_kw_up_to; }
    // The SoC range [lo, hi) in which stair_of(soc, stair) keeps `stair`, compared as
    // lo <= soc + kSocTolerance < hi (unbounded below the first stair and above the last).
    double stair_lo(std::size_t stair) const {
        return stair == 0 ? -kUnboundedSoc : stairs_[stair].soc_start;
    }
    double stair_hi(std::size_t stair) const {
        return stair + 1 < stairs_.size() ? stairs_[stair + 1].soc_start : kUnboundedSoc;
    }

    // SoC values this close to a stair edge count as on it: integration rounding must not leave the
    // battery one femto-SoC short of an edge it has crossed.
    static constexpr double kSocTolerance = 1e-12;
    double edge_after(std::size_t stair) const {
        return stair + 1 < stairs_.size() ? stairs_[stair + 1].soc_start : 1.0;
    }

    // The SoC reached after charging for `hours` from `soc` with the inlet power held at
    // min(inlet_cap_kw, curve), never beyond stop_soc: exact along the piecewise-linear curve.
    // With a flat-then-linear-to-zero curve this is ACN-Sim's continuous two-stage battery.
    double soc_after_charging(double soc, double inlet_cap_kw, double hours, double capacity_kwh,
                              double efficiency, double stop_soc) const;

private:
    static constexpr double kUnboundedSoc = 1e300;

    struct Stair {
        double soc_start;
        double kw;
        double most_kw_up_to;
    };
    std::size_t index(double soc) const;
    std::vector<Stair> stairs_;
    std::vector<ChargeCurvePoint> points_;  // the curve, from soc 0 to 1
    double rated_kw_ = 0.0;
};

}  // namespace evtwin
