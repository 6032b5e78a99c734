#pragma once
// Turns a planning request into the run the engine simulates: the site (inline, or a scenario the
// server loaded) over the plan's horizon and step, with the request's vehicles as its sessions.
#include "model/scenario_spec.hpp"
#include "serve/plan/plan_request.hpp"

#include <map>
#include <string>

namespace evtwin::serve {

// The scenarios the server was started with, by name.
using KnownScenarios = std::map<std::string, ScenarioSpec>;

// Session i of the spec is vehicle `vehicle_of_session[i]` of the request (sessions are sorted by
// arrival).
struct PlanRun {
    ScenarioSpec spec;
    std::map<SessionId, std::size_t> vehicle_of_session;
};

// Throws ApiError 422 naming the field for what only the site can check (an unknown charger, a
// V2G vehicle on a charger that cannot discharge).
PlanRun plan_run(const PlanRequest& request, const KnownScenarios& scenarios);

}  // namespace evtwin::serve
