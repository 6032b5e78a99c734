#pragma once
// KPI deltas between two runs (compare mode): matched by name, in the first run's order.
#include "record/schema/records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace evtwin::viewer {

struct KpiDelta {
    std::string name;
    std::string unit;
    std::optional<double> a;  // empty: missing in that run, or undefined (NaN)
    std::optional<double> b;
    std::optional<double> delta;     // b - a
    std::optional<double> relative;  // (b - a) / |a|, when a != 0
};

std::vector<KpiDelta> kpi_deltas(const std::vector<Kpi>& a, const std::vector<Kpi>& b);

}  // namespace evtwin::viewer
