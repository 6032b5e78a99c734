#pragma once
// What the engine had to clip of a decision to keep it within the physics and the limits: recorded,
// never silently dropped (the power flow and the decision check make them, a RunSink records them).
#include <evtwin/ids.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace evtwin {

struct Violation {
    std::string kind;  // e.g. "node_limit", "charger_max", "v2g_not_allowed", "no_vehicle"
    NodeIndex node = kNone;
    ConnectorIndex connector = kNone;
    double requested_kw = 0.0;
    double applied_kw = 0.0;
    std::uint32_t phase_constraint = kNone;  // index into ScenarioSpec::phase_constraints (phase_limit)
    std::uint32_t ess = kNone;               // index into ScenarioSpec::ess (the ESS kinds)
};

// Whether the record is of power the engine took from a decision (requested_kw cut to applied_kw).
// The *_unresolved and *_unenforced kinds record instead an excess left in place, in kW or A.
inline bool clips_power(const Violation& v) {
    const auto ends_with = [&](std::string_view tail) {
        return v.kind.size() >= tail.size() &&
               v.kind.compare(v.kind.size() - tail.size(), tail.size(), tail) == 0;
    };
    return !ends_with("_unresolved") && !ends_with("_unenforced");
}

}  // namespace evtwin
