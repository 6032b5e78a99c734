#pragma once
// A plan's stationary batteries (docs/serve.md, RESULT's `ess`): each one's power per step and what
// it holds at the plan's end against what the site wants of it then (site.ess's end_soc and
// end_value_per_kwh), from the engine's series of that battery.
#include "record/schema/records.hpp"
#include "serve/plan/plan_request.hpp"
#include "serve/plan/step_average.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace evtwin::serve {

struct BatteryEnd {
    std::string name;
    double capacity_kwh = 0.0;
    double stored_kwh = 0.0;  // at the plan's end
    double value = 0.0;       // end_value_per_kwh × the kWh stored since the start
    double short_kwh = 0.0;   // of end_soc × capacity_kwh (0 without end_soc)
    std::optional<double> end_soc_wanted;
    double soc() const { return stored_kwh / capacity_kwh; }
};

// One per site.ess battery, in its order. `rows`: the run's ess_series, by battery then time, each
// row holding until the next of its battery (the last until `end`).
std::vector<BatteryEnd> battery_ends(const std::vector<EssRequest>& ess, const std::vector<EssRow>& rows,
                                     Time end);

// RESULT's `ess`: per battery, its name, power per step (grid side, + charging), SoC and value at
// the end.
nlohmann::json batteries_json(const std::vector<BatteryEnd>& ends, const std::vector<EssRow>& rows,
                              const StepGrid& grid, Time end);

// RESULT's `misses.ess`: the batteries with an end_soc, each with the SoC reached and the kWh short.
nlohmann::json battery_misses(const std::vector<BatteryEnd>& ends);

}  // namespace evtwin::serve
