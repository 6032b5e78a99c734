#pragma once
// What the engine had to clip of a decision to keep it within the physics and the limits: recorded,
// never silently dropped (the power flow and the decision check make them, a RunSink records them).
#include <evtwin/ids.hpp>

#include <cstdint>
#include <string>

namespace evtwin {

struct Violation {
    std::string kind;  // e.g. "node_limit", "charger_max", "v2g_not_allowed", "no_vehicle"
    NodeIndex node = kNone;
    ConnectorIndex connector = kNone;
    double requested_kw = 0.0;
    double applied_kw = 0.0;
    std::uint32_t phase_constraint = kNone;  // index into ScenarioSpec::phase_constraints (phase_limit)
};

}  // namespace evtwin
