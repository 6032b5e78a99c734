#include "core/simulator_impl.hpp"

namespace evtwin {

// The simulator's use of decisions of subtrees (core/subtree_decisions.hpp): when they are asked
// for, and how their parts become the decision in force.

void Simulator::Impl::enable_subtree_decisions() {
    if (!strategy || strategy->scope() != DecisionScope::subtree) return;
    if (spec.decision_period_mode || spec.acn_compatible || !spec.ess.empty() ||
        !site.phase_constraints().empty() || foresight.horizon.ms() > 0)
        return;
    subtree_decisions.emplace(
        spec, site, views, connectors, limits, forecast, demand, *strategy,
        [this](ConnectorIndex c) -> const SessionView& { return current_session_view(c); });
    reset_subtree_state();
}

void Simulator::Impl::reset_subtree_state() {
    subtree_decisions->reset(previous);
    full_decision_due = false;
}

bool Simulator::Impl::decide_subtrees(Time t) {
    if (full_decision_due || fixed_flows_changed) return false;
    refresh_changed_views();
    if (!subtree_decisions->decide(t, previous)) return false;
    double seconds = 0.0;
    for (SubtreeDecisions::Part& part : subtree_decisions->parts()) {
        const std::span<const ConnectorIndex> part_connectors = subtree_decisions->connectors_of(part);
        for (std::size_t k = 0; k < part_connectors.size(); ++k) {
            const ConnectorIndex c = part_connectors[k];
            const double kw = part.decision.connector_kw[k];
            note_setpoint(c, kw);
            decision.connector_kw[c] = kw;
            if (kw == previous.connector_kw[c]) continue;
            subtree_decisions->regrant(c, previous.connector_kw[c], kw);
            previous.connector_kw[c] = kw;
        }
        violations.insert(violations.end(), part.violations.begin(), part.violations.end());
        record_strategy_events(t, part.decision);
        seconds += part.seconds;
    }
    subtree_decisions->decided();
    count_decision(t, seconds);
    return true;
}

}  // namespace evtwin
