// A charge curve held exactly (formulation/charge_taper.hpp): the inlet energy a battery takes in a
// period, from the SoC the period starts at, is concave in that SoC, so its tangent at any SoC keeps
// every plan the battery can follow. Each round adds, where a solution asks a vehicle more in a
// period than the battery takes from the planned SoC at the period's start, the tangent there,
// which cuts the solution off; the line rows stay, and the cuts refine them only where plans go.
#include "plugins/milp/formulation/charging_model.hpp"

namespace evtwin::milp {

int ChargingModel::add_taper_cuts(const Solution& solution) {
    if (!solution.has_values()) return 0;
    int added = 0;
    for (const TaperPeriod& period : taper_periods) {
        const double stored = solution.value(period.before);
        const double soc = period.soc + period.soc_per_kwh * stored;
        const TaperEnergy most =
            taper_energy(taper_curves[period.curve], period.cap_kw, period.soc_per_kwh, soc, period.hours);
        const double asked = solution.value(period.charge) * period.efficiency * period.hours;
        if (asked <= most.kwh + kTaperTolerance) continue;
        // taken <= most + per_soc · soc_per_kwh · (e − ê), e the net inlet energy by the period's start.
        const double slope = most.per_soc * period.soc_per_kwh;
        LinExpr taken = LinExpr(period.charge) * (period.efficiency * period.hours);
        taken.add(period.before, -slope);
        model.add_le(taken, most.kwh - slope * stored);
        ++added;
    }
    return added;
}

}  // namespace evtwin::milp
