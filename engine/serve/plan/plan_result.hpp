#pragma once
// One strategy's plan read back from the results database it was run into: KPIs, the site's power
// per step, per vehicle its power per step, energy and OCPP charging schedule, and what it missed
// (docs/serve.md, RESULT).
#include "record/reader/run_reader.hpp"
#include "serve/plan/plan_request.hpp"
#include "serve/plan/plan_site.hpp"

#include <nlohmann/json.hpp>

namespace evtwin::serve {

// The plan's cost: what the grid bill charges (energy + demand charge − export revenue).
double plan_cost(const nlohmann::json& result);

nlohmann::json plan_result(const RunReader& reader, RunId run, const PlanRequest& request,
                           const PlanRun& plan_run);

}  // namespace evtwin::serve
