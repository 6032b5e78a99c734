// The three-phase limits held exactly (formulation/charging_model.hpp, exact_phase): a limit's
// circle |Σ phasors| <= limit_a is convex, so the tangent at any point of it keeps every point of
// the circle. Each round adds, where a solution's phasor sum is outside by more than the tolerance,
// the tangent in that sum's direction, which cuts the solution off; the rows are an outer polygon
// refined only where solutions go, and the last solution is within the tolerance of the circle and
// at least as good as the exact optimum.
#include "plugins/milp/formulation/charging_model.hpp"

#include <cmath>

namespace evtwin::milp {

int ChargingModel::add_phase_cuts(const Solution& solution) {
    if (!solution.has_values()) return 0;
    int added = 0;
    for (PhaseLimit& limit : phase_limits)
        for (const int t : limit.slots)
            for (const PhaseFlow flow : {PhaseFlow::charge, PhaseFlow::discharge}) {
                const auto [re, im] = phasor_sum(limit, t, flow, solution);
                const double amps = std::hypot(re, im);
                if (amps <= limit.limit_a * (1.0 + phase_tolerance)) continue;
                model.add_le(phase_projection(limit, t, re / amps, im / amps, flow), limit.limit_a);
                ++added;
            }
    return added;
}

}  // namespace evtwin::milp
