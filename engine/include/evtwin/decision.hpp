#pragma once
// What a strategy answers: a grid-side power setpoint per connector and one for the stationary
// battery. Positive charges, negative discharges (V2G, ESS discharge). A connector setpoint is the
// most the charger may draw (as an OCPP charging limit): a vehicle may take less.
#include <limits>
#include <string>
#include <vector>

namespace evtwin {

// Something a strategy wants on the run's record, e.g. {"solver_fallback", "time limit after 5 s"}.
struct StrategyEvent {
    std::string kind;
    std::string detail;
};

struct Decision {
    std::vector<double> connector_kw;  // one per connector, indexed by ConnectorIndex
    double ess_kw = 0.0;
    // The strategy's own estimate of what its plan costs over its horizon (energy bought minus
    // energy sold, demand charge, penalties), where it has one; NaN otherwise. Read by wrappers
    // such as `guarded`; the engine does not use it.
    double expected_cost = std::numeric_limits<double>::quiet_NaN();
    // Recorded as `strategy` events at the decision's instant, then cleared by the engine.
    std::vector<StrategyEvent> events;
};

}  // namespace evtwin
