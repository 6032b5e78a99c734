#pragma once
// The engine's check of a strategy's decision against the chargers and vehicles, before any power
// flows: setpoints a charger cannot hold are clipped to the nearest one it can, and every clip is
// reported as a violation. Node limits are checked afterwards, on the actual powers (PowerFlow).
#include "core/run_sink.hpp"
#include "model/scenario_spec.hpp"

#include <evtwin/decision.hpp>

#include <optional>
#include <span>
#include <vector>

namespace evtwin {

// What the check needs to know of one connector now.
struct ConnectorLimits {
    const ChargerSpec* charger = nullptr;
    bool occupied = false;
    bool vehicle_v2g = false;
    // A cap on the session's power either way (kW, grid side) that an operator or a smart-charging
    // service set for it (live mode's OCPI charging profiles); a setpoint above it is clipped to it
    // and recorded as a `session_cap` violation.
    double cap_kw = kUnlimited;
};

// The largest setpoint <= kw (kw >= 0) that the charger can hold.
double round_down_setpoint(const ChargerSpec& charger, double kw);

// Clips connector c's setpoint `kw` in place; appends a violation if it clipped.
void check_setpoint(double& kw, const ConnectorLimits& limits, ConnectorIndex c,
                    std::vector<Violation>& violations);

// Battery b's cut to its grid permission (evtwin/ess_grid_permissions.hpp): `asked` kW, `applied` kW
// kept; ess_grid_charge for a charge, ess_grid_discharge for a discharge.
Violation grid_permission_cut(std::span<const EssSpec> ess, std::size_t b, double asked, double applied);

// Clips `decision` in place; appends one violation per clip.
void check_decision(Decision& decision, const std::vector<ConnectorLimits>& connectors,
                    std::span<const EssSpec> ess, std::vector<Violation>& violations);

}  // namespace evtwin
