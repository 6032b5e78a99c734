#include "kpi/cost_gap.hpp"

#include "kpi/kpis.hpp"

#include <cmath>
#include <limits>

namespace evtwin {

double net_cost(const std::vector<Kpi>& run) {
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    double energy = kNaN, demand = kNaN, exported = kNaN;
    double curtailment = 0.0, ess_end_value = 0.0;  // absent where the scenario prices neither
    for (const Kpi& k : run) {
        if (k.name == "energy_cost") energy = k.value;
        if (k.name == "demand_charge") demand = k.value;
        if (k.name == "export_revenue") exported = k.value;
        if (k.name == kPvCurtailmentCostKpi) curtailment = k.value;
        if (k.name == kEssEndValueKpi) ess_end_value = k.value;
    }
    return energy + demand - exported + curtailment - ess_end_value;
}

CostGap cost_gap(const std::vector<Kpi>& run, const std::vector<Kpi>& optimum) {
    const double reference = net_cost(optimum);
    const double gap = net_cost(run) - reference;
    const double percent =
        reference != 0.0 ? 100.0 * gap / std::fabs(reference) : std::numeric_limits<double>::quiet_NaN();
    return {gap, percent};
}

}  // namespace evtwin
