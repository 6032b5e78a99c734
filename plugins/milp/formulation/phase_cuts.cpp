// The three-phase limits held exactly (formulation/charging_model.hpp, exact_phase): a limit's
// circle |Σ phasors| <= limit_a is convex, so the tangent at any point of it keeps every point of
// the circle. Each round adds, where a solution's phasor sum is outside by more than the tolerance,
// the tangent in that sum's direction, which cuts the solution off; the rows are an outer polygon
// refined only where solutions go, and the last solution is within the tolerance of the circle and
// at least as good as the exact optimum. A plan made after another (a receding horizon, a re-plan)
// starts with the earlier plan's cuts that held its solution at the limit.
#include "plugins/milp/formulation/charging_model.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin::milp {

int ChargingModel::add_phase_cuts(const Solution& solution) {
    if (!solution.has_values()) return 0;
    int added = 0;
    for (std::size_t l = 0; l < phase_limits.size(); ++l) {
        const PhaseLimit& limit = phase_limits[l];
        for (const int t : limit.slots)
            for (const PhaseFlow flow : {PhaseFlow::charge, PhaseFlow::discharge}) {
                const auto [re, im] = phasor_sum(limit, t, flow, solution);
                const double amps = std::hypot(re, im);
                if (amps <= limit.limit_a * (1.0 + phase_tolerance)) continue;
                add_phase_cut({l, t, flow, re / amps, im / amps});
                ++added;
            }
    }
    return added;
}

int ChargingModel::carry_phase_cuts(const ChargingModel& earlier, const Solution& solution) {
    if (!exact_phase || !solution.has_values() || earlier.phase_limits.size() != phase_limits.size())
        return 0;
    int carried = 0;
    for (const PhaseCut& cut : earlier.phase_cuts) {
        if (earlier.bounds[cut.period + 1] <= start) continue;  // over before this plan
        const auto [re, im] =
            earlier.phasor_sum(earlier.phase_limits[cut.limit], cut.period, cut.flow, solution);
        const double limit_a = phase_limits[cut.limit].limit_a;
        if (re * cut.cr + im * cut.ci < limit_a * (1.0 - 1e-6)) continue;  // not at the limit there
        const int t = std::max(0, period_at(earlier.bounds[cut.period]));
        if (t >= periods) continue;
        if (add_phase_cut({cut.limit, t, cut.flow, cut.cr, cut.ci})) ++carried;
    }
    return carried;
}

bool ChargingModel::add_phase_cut(const PhaseCut& cut) {
    LinExpr projection = phase_projection(phase_limits[cut.limit], cut.period, cut.cr, cut.ci, cut.flow);
    if (projection.terms().empty()) return false;
    model.add_le(std::move(projection), phase_limits[cut.limit].limit_a);
    phase_cuts.push_back(cut);
    return true;
}

}  // namespace evtwin::milp
