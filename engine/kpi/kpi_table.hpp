#pragma once
// KPIs as an aligned text table (name, value, unit), as `evtwin run` prints them.
#include "record/schema/records.hpp"

#include <string>
#include <vector>

namespace evtwin {

// Counts print as integers, percentages with one decimal, cycles and milliseconds with three,
// everything else (kWh, kW, money) with two; NaN prints "n/a". Values that are not
// reproducible (wall-clock) are marked with '*' and explained under the table.
std::string format_kpi_table(const std::vector<Kpi>& kpis);

}  // namespace evtwin
