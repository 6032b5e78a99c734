#pragma once
// A run's cost gap to the optimum's run on the same arrivals (evtwin compare's gap_to_optimum).
#include "record/schema/records.hpp"

#include <vector>

namespace evtwin {

// What the site pays the grid: energy_cost + demand_charge - export_revenue (NaN if one is missing).
double net_cost(const std::vector<Kpi>& run);

struct CostGap {
    double absolute;  // net cost minus the optimum's, in the tariff's currency
    double percent;   // in % of the magnitude of the optimum's net cost; NaN where that is 0
};

CostGap cost_gap(const std::vector<Kpi>& run, const std::vector<Kpi>& optimum);

}  // namespace evtwin
