#include "core/simulator_impl.hpp"

namespace evtwin {

// Decisions of subtrees. Under a DecisionScope::subtree strategy, a vehicle that comes, goes or
// changes what it takes is decided in the smallest subtree that holds it and every node that may
// limit its grants; the other connectors keep their setpoints. strategy.hpp says why that is the
// decision of the whole site.

namespace {

// The sums of grants below a node are kept as running sums: a little more room than a grant can
// take, so that their rounding never counts a limiting node as slack.
constexpr double kSlackMarginKw = 1e-6;

double increase(double kw) {
    return std::max(kw, 0.0);
}
double decrease(double kw) {
    return std::max(-kw, 0.0);
}

}  // namespace

void Simulator::Impl::enable_subtree_decisions() {
    if (!strategy || strategy->scope() != DecisionScope::subtree) return;
    if (spec.decision_period_mode || spec.acn_compatible || spec.ess || !site.phase_constraints().empty() ||
        foresight.horizon.ms() > 0)
        return;
    subtree_decisions = true;
    subtrees.emplace(site);
    const std::size_t nodes = site.nodes().size();
    redecide_flag.assign(connectors.size(), 0);
    max_charge_below.assign(nodes, 0.0);
    max_discharge_below.assign(nodes, 0.0);
    for (std::size_t c = 0; c < connectors.size(); ++c) {
        const ChargerSpec& ch = *charger_of(static_cast<ConnectorIndex>(c));
        for (NodeIndex n = site.connectors()[c].node; n != kNone; n = site.nodes()[n].parent) {
            max_charge_below[n] = std::max(max_charge_below[n], ch.max_kw);
            if (ch.v2g_capable) max_discharge_below[n] = std::max(max_discharge_below[n], ch.max_kw);
        }
    }
    up_delta.assign(nodes, 0.0);
    down_delta.assign(nodes, 0.0);
    delta_touched.assign(nodes, 0);
    reset_subtree_state();
}

void Simulator::Impl::reset_subtree_state() {
    granted_up_below.assign(site.nodes().size(), 0.0);
    granted_down_below.assign(site.nodes().size(), 0.0);
    for (std::size_t c = 0; c < connectors.size(); ++c)
        if (previous.connector_kw[c] != 0.0)
            change_grants_below(static_cast<ConnectorIndex>(c), 0.0, previous.connector_kw[c]);
    for (const ConnectorIndex c : redecide) redecide_flag[c] = 0;
    redecide.clear();
    full_decision_due = false;
}

void Simulator::Impl::change_grants_below(ConnectorIndex c, double old_kw, double kw) {
    for (NodeIndex n = site.connectors()[c].node; n != kNone; n = site.nodes()[n].parent) {
        granted_up_below[n] += increase(kw) - increase(old_kw);
        granted_down_below[n] += decrease(kw) - decrease(old_kw);
    }
}

bool Simulator::Impl::slack(NodeIndex n, double more_kw, double less_kw) const {
    // Whatever the order of the grants, the flow stays between these two.
    const NodeView& v = views.nodes()[n];
    const double highest = v.fixed_flow_kw + granted_up_below[n] + more_kw;
    const double lowest = v.fixed_flow_kw - granted_down_below[n] - less_kw;
    return (max_charge_below[n] == 0.0 ||
            v.import_limit_kw - highest >= max_charge_below[n] + kSlackMarginKw) &&
           (max_discharge_below[n] == 0.0 ||
            lowest + v.export_limit_kw >= max_discharge_below[n] + kSlackMarginKw);
}

NodeIndex Simulator::Impl::subtree_top(ConnectorIndex c) const {
    NodeIndex top = site.connectors()[c].charger;
    for (NodeIndex n = top; n != kNone; n = site.nodes()[n].parent)
        if (!slack(n, 0.0, 0.0)) top = n;
    return top;
}

void Simulator::Impl::keep_outermost_tops() {
    std::sort(tops.begin(), tops.end());
    tops.erase(std::unique(tops.begin(), tops.end()), tops.end());
    const auto inside_another = [this](NodeIndex top) {
        for (NodeIndex n = site.nodes()[top].parent; n != kNone; n = site.nodes()[n].parent)
            if (std::binary_search(tops.begin(), tops.end(), n)) return true;
        return false;
    };
    std::vector<NodeIndex> kept;
    for (const NodeIndex top : tops)
        if (!inside_another(top)) kept.push_back(top);
    tops.swap(kept);
}

bool Simulator::Impl::decide_subtree(Time t, SubtreeDecision& part) {
    const Subtree& s = subtrees->of(part.top);
    part_nodes.resize(s.nodes.size());
    for (std::size_t k = 0; k < s.nodes.size(); ++k) {
        part_nodes[k] = views.nodes()[s.nodes[k]];
        part_nodes[k].parent = s.parent[k];
    }
    const std::size_t n = s.connectors.size();
    part_connectors.resize(n);
    part_sessions.clear();
    part_previous.connector_kw.resize(n);
    part_previous.ess_kw = previous.ess_kw;
    for (std::size_t k = 0; k < n; ++k) {
        const ConnectorIndex c = s.connectors[k];
        std::uint32_t session = kNone;
        if (connectors[c].vehicle) {
            session = static_cast<std::uint32_t>(part_sessions.size());
            part_sessions.push_back(current_session_view(c));
            part_sessions.back().connector = static_cast<ConnectorIndex>(k);
        }
        ConnectorView& view = part_connectors[k];
        view = views.connector(c);
        view.node = s.connector_node[k];
        view.charger = s.connector_charger[k];
        view.session = session;
        part_previous.connector_kw[k] = previous.connector_kw[c];
    }
    ObservationInputs in;
    in.now = t;
    in.mode = RunMode::event;
    in.forecast = &forecast;
    in.previous = &part_previous;
    in.demand = demand.view(t);
    const Observation obs = views.build_part(in, part_nodes, part_connectors, part_sessions);

    Decision& d = part.decision;
    d.connector_kw.assign(n, 0.0);
    d.ess_kw = 0.0;
    d.expected_cost = NAN;
    d.events.clear();
    const auto started_at = std::chrono::steady_clock::now();
    strategy->decide(obs, d);
    part.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
    if (d.connector_kw.size() != n || d.ess_kw != 0.0) return false;  // not a decision of a subtree
    part.violations.clear();
    for (std::size_t k = 0; k < n; ++k) {
        const ConnectorIndex c = s.connectors[k];
        double& kw = d.connector_kw[k];
        check_setpoint(kw, limits[c], c, part.violations);
        if (faulted(c) && kw != 0.0) {
            part.violations.push_back(Violation{"charger_fault", site.connectors()[c].node, c, kw, 0.0});
            kw = 0.0;
        }
    }
    return true;
}

void Simulator::Impl::add_changes_above(const SubtreeDecision& part) {
    const Subtree& s = subtrees->of(part.top);
    for (std::size_t k = 0; k < s.connectors.size(); ++k) {
        const double kw = part.decision.connector_kw[k];
        const double old = previous.connector_kw[s.connectors[k]];
        if (kw == old) continue;
        for (NodeIndex n = site.nodes()[part.top].parent; n != kNone; n = site.nodes()[n].parent) {
            if (!delta_touched[n]) touched.push_back(n);
            delta_touched[n] = 1;
            up_delta[n] += increase(kw) - increase(old);
            down_delta[n] += decrease(kw) - decrease(old);
        }
    }
}

NodeIndex Simulator::Impl::limiting_node_above(NodeIndex top) const {
    NodeIndex limiting = kNone;
    for (NodeIndex n = site.nodes()[top].parent; n != kNone; n = site.nodes()[n].parent)
        if (!slack(n, up_delta[n], down_delta[n])) limiting = n;
    return limiting;
}

void Simulator::Impl::clear_changes_above() {
    for (const NodeIndex n : touched) {
        up_delta[n] = down_delta[n] = 0.0;
        delta_touched[n] = 0;
    }
    touched.clear();
}

bool Simulator::Impl::decide_subtrees(Time t) {
    if (full_decision_due || fixed_flows_changed) return false;
    refresh_changed_views();
    tops.clear();
    for (const ConnectorIndex c : redecide) tops.push_back(subtree_top(c));
    keep_outermost_tops();
    // A subtree's decision holds when no node above it limits a grant, with every part's grants:
    // a part whose grants would make one limiting is decided again with that node as its top.
    for (;;) {
        if (!tops.empty() && tops.front() == 0) return false;  // the whole site
        parts.resize(tops.size());
        for (std::size_t k = 0; k < tops.size(); ++k) {
            parts[k].top = tops[k];
            if (!decide_subtree(t, parts[k])) return false;
        }
        for (const SubtreeDecision& part : parts) add_changes_above(part);
        bool held = true;
        for (NodeIndex& top : tops) {
            if (const NodeIndex limiting = limiting_node_above(top); limiting != kNone) {
                top = limiting;
                held = false;
            }
        }
        clear_changes_above();
        if (held) break;
        keep_outermost_tops();
    }

    double seconds = 0.0;
    for (SubtreeDecision& part : parts) {
        const Subtree& s = subtrees->of(part.top);
        for (std::size_t k = 0; k < s.connectors.size(); ++k) {
            const ConnectorIndex c = s.connectors[k];
            const double kw = part.decision.connector_kw[k];
            note_setpoint(c, kw);
            decision.connector_kw[c] = kw;
            if (kw == previous.connector_kw[c]) continue;
            change_grants_below(c, previous.connector_kw[c], kw);
            previous.connector_kw[c] = kw;
        }
        violations.insert(violations.end(), part.violations.begin(), part.violations.end());
        record_strategy_events(t, part.decision);
        seconds += part.seconds;
    }
    for (const ConnectorIndex c : redecide) redecide_flag[c] = 0;
    redecide.clear();
    count_decision(t, seconds);
    return true;
}

}  // namespace evtwin
