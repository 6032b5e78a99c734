#pragma once
// What a strategy answers: a grid-side power setpoint per connector and one per stationary
// battery, and the most the site's PV may give. Positive charges, negative discharges (V2G, ESS
// discharge). A connector setpoint is the most the charger may draw (as an OCPP charging limit): a
// vehicle may take less.
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
    std::vector<double> ess_kw;        // one per battery, indexed as Observation::ess
    // The strategy's own estimate of what its plan costs over its horizon (energy bought minus
    // energy sold, demand charge, penalties), where it has one; NaN otherwise. Read by wrappers
    // such as `guarded`; the engine does not use it.
    double expected_cost = std::numeric_limits<double>::quiet_NaN();
    // Recorded as `strategy` events at the decision's instant, then cleared by the engine.
    std::vector<StrategyEvent> events;
    // The most the site's PV may give now, kW (an inverter's active power limit): its arrays share it
    // in proportion to what each could give, and what they could give beyond it is curtailed (at
    // EconomicsView::pv_curtailment_cost_per_kwh). Infinity: all they give, unless a node's export
    // limit curtails them. Only a decision for the whole site sets it (DecisionScope::site); a live
    // site has no inverter to send it to (docs/live.md).
    double pv_limit_kw = std::numeric_limits<double>::infinity();
};

}  // namespace evtwin
