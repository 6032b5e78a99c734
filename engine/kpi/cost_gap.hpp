#pragma once
// A run's cost gap to the optimum's run on the same arrivals (evtwin compare's gap_to_optimum).
#include "record/schema/records.hpp"

#include <vector>

namespace evtwin {

// What the run costs the site, as a plan's `cost` counts it: energy_cost + demand_charge -
// export_revenue (NaN if one is missing), + pv_curtailment_cost - ess_end_value where the run has
// them. The batteries' end value is in it so that a run that drains them does not look cheaper than
// one that keeps their energy; their shortfall of an end SoC (ess_end_short, in kWh) has no price
// here and stays a KPI of its own.
double net_cost(const std::vector<Kpi>& run);

struct CostGap {
    double absolute;  // net cost minus the optimum's, in the tariff's currency
    double percent;   // in % of the magnitude of the optimum's net cost; NaN where that is 0
};

CostGap cost_gap(const std::vector<Kpi>& run, const std::vector<Kpi>& optimum);

}  // namespace evtwin
