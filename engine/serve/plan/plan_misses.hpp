#pragma once
// What a plan missed (docs/serve.md, RESULT's `misses`): how far the site's exchange with the grid
// went over its import and export limits, per step and in all, and the vehicles it left short.
#include "record/schema/records.hpp"
#include "serve/plan/step_average.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace evtwin::serve {

// The grid connection's limits (kW); infinite where there is none.
struct GridLimits {
    double import_kw = 0.0;
    double export_kw = 0.0;
};

// `rows`: the run's site series, each holding until the next (the last until `end`); `vehicles`:
// the RESULT's vehicles, whose `met` and `unmet_kwh` it lists.
nlohmann::json plan_misses(const std::vector<SiteRow>& rows, Time end, const StepGrid& grid,
                           const GridLimits& limits, const nlohmann::json& vehicles);

// One warning per grid limit the plan went over.
void add_miss_warnings(const nlohmann::json& misses, nlohmann::json& warnings);

}  // namespace evtwin::serve
