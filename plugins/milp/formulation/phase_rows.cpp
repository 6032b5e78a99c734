// The three-phase limits' polygon rows (formulation/charging_model.hpp): each side of the polygon
// inside a limit's circle, for the charging and the discharging apart, added up front or, with
// lazy_phase_rows, where a solution breaks it.
#include "plugins/milp/formulation/charging_model.hpp"

#include <cmath>
#include <numbers>

namespace evtwin::milp {

namespace {

std::size_t added_index(const ChargingModel& model, int t, int side, PhaseFlow flow) {
    return (static_cast<std::size_t>(t) * model.phase_sides + side) * 2 + static_cast<std::size_t>(flow);
}

}  // namespace

LinExpr ChargingModel::phase_projection(const PhaseLimit& limit, int t, double cr, double ci,
                                        PhaseFlow flow) const {
    LinExpr projection;
    for (const PhaseActive& active : phase_active[t]) {
        if (!limit.in[active.connector]) continue;
        const double coefficient = limit.re[active.connector] * cr + limit.im[active.connector] * ci;
        if (flow == PhaseFlow::charge)
            projection.add(active.charge, coefficient);
        else if (active.has_discharge)
            projection.add(active.discharge, -coefficient);
    }
    return projection;
}

std::pair<double, double> ChargingModel::phasor_sum(const PhaseLimit& limit, int t, PhaseFlow flow,
                                                    const Solution& solution) const {
    double re = 0.0, im = 0.0;
    for (const PhaseActive& active : phase_active[t]) {
        if (!limit.in[active.connector]) continue;
        double kw = 0.0;
        if (flow == PhaseFlow::charge)
            kw = solution.value(active.charge);
        else if (active.has_discharge)
            kw = -solution.value(active.discharge);
        re += limit.re[active.connector] * kw;
        im += limit.im[active.connector] * kw;
    }
    return {re, im};
}

void ChargingModel::add_phase_row(PhaseLimit& limit, int t, int side, PhaseFlow flow) {
    char& done = limit.added[added_index(*this, t, side, flow)];
    if (done) return;
    done = 1;
    const double theta = 2.0 * std::numbers::pi * side / phase_sides;
    model.add_le(phase_projection(limit, t, std::cos(theta), std::sin(theta), flow),
                 limit.limit_a * std::cos(std::numbers::pi / phase_sides));
}

int ChargingModel::add_phase_rows(const Solution& solution) {
    if (!solution.has_values()) return 0;
    int added = 0;
    const double bound_scale = std::cos(std::numbers::pi / phase_sides);
    // Adds the sides that the phasor sum (re, im) of one direction breaks: the side facing it is the
    // one it would break first, then its neighbours.
    const auto add_broken = [&](PhaseLimit& limit, int t, PhaseFlow flow, double re, double im) {
        double theta = std::atan2(im, re);
        if (theta < 0) theta += 2.0 * std::numbers::pi;
        const int near =
            static_cast<int>(std::lround(theta / (2.0 * std::numbers::pi / phase_sides))) % phase_sides;
        for (int side : {near, (near + 1) % phase_sides, (near + phase_sides - 1) % phase_sides}) {
            const double angle = 2.0 * std::numbers::pi * side / phase_sides;
            if (re * std::cos(angle) + im * std::sin(angle) >
                    limit.limit_a * bound_scale * (1.0 + 1e-7) + 1e-9 &&
                !limit.added[added_index(*this, t, side, flow)]) {
                add_phase_row(limit, t, side, flow);
                ++added;
            }
        }
    };
    for (PhaseLimit& limit : phase_limits)
        for (const int t : limit.slots) {
            const auto [charge_re, charge_im] = phasor_sum(limit, t, PhaseFlow::charge, solution);
            add_broken(limit, t, PhaseFlow::charge, charge_re, charge_im);
            const auto [discharge_re, discharge_im] = phasor_sum(limit, t, PhaseFlow::discharge, solution);
            add_broken(limit, t, PhaseFlow::discharge, discharge_re, discharge_im);
        }
    return added;
}

}  // namespace evtwin::milp
