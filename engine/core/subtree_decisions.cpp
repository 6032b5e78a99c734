#include "core/subtree_decisions.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace evtwin {

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

void keep_outermost_tops(const Site& site, std::vector<NodeIndex>& tops) {
    std::sort(tops.begin(), tops.end());
    tops.erase(std::unique(tops.begin(), tops.end()), tops.end());
    const auto inside_another = [&](NodeIndex top) {
        for (NodeIndex n = site.nodes()[top].parent; n != kNone; n = site.nodes()[n].parent)
            if (std::binary_search(tops.begin(), tops.end(), n)) return true;
        return false;
    };
    std::vector<NodeIndex> kept;
    for (const NodeIndex top : tops)
        if (!inside_another(top)) kept.push_back(top);
    tops.swap(kept);
}

SubtreeDecisions::SubtreeDecisions(const ScenarioSpec& spec, const Site& site,
                                   const ObservationBuilder& views, const ConnectorTable& connectors,
                                   const std::vector<ConnectorLimits>& limits, const Forecast& forecast,
                                   const DemandMeter& demand, Strategy& strategy, SessionViewOf session_view)
    : site_(site),
      views_(views),
      connectors_(connectors),
      limits_(limits),
      forecast_(forecast),
      demand_(demand),
      strategy_(strategy),
      session_view_(std::move(session_view)),
      subtrees_(site) {
    const std::size_t nodes = site.nodes().size();
    redecide_flag_.assign(site.connectors().size(), 0);
    granted_up_below_.assign(nodes, 0.0);
    granted_down_below_.assign(nodes, 0.0);
    max_charge_below_.assign(nodes, 0.0);
    max_discharge_below_.assign(nodes, 0.0);
    for (const SiteConnector& c : site.connectors()) {
        const ChargerSpec& ch = spec.chargers[c.charger_spec];
        for (NodeIndex n = c.node; n != kNone; n = site.nodes()[n].parent) {
            max_charge_below_[n] = std::max(max_charge_below_[n], ch.max_kw);
            if (ch.v2g_capable) max_discharge_below_[n] = std::max(max_discharge_below_[n], ch.max_kw);
        }
    }
    up_delta_.assign(nodes, 0.0);
    down_delta_.assign(nodes, 0.0);
    delta_touched_.assign(nodes, 0);
}

void SubtreeDecisions::reset(const Decision& in_force) {
    std::fill(granted_up_below_.begin(), granted_up_below_.end(), 0.0);
    std::fill(granted_down_below_.begin(), granted_down_below_.end(), 0.0);
    for (std::size_t c = 0; c < in_force.connector_kw.size(); ++c)
        if (in_force.connector_kw[c] != 0.0)
            regrant(static_cast<ConnectorIndex>(c), 0.0, in_force.connector_kw[c]);
    decided();
}

void SubtreeDecisions::regrant(ConnectorIndex c, double old_kw, double kw) {
    for (NodeIndex n = site_.connectors()[c].node; n != kNone; n = site_.nodes()[n].parent) {
        granted_up_below_[n] += increase(kw) - increase(old_kw);
        granted_down_below_[n] += decrease(kw) - decrease(old_kw);
    }
}

void SubtreeDecisions::decided() {
    for (const ConnectorIndex c : redecide_) redecide_flag_[c] = 0;
    redecide_.clear();
}

bool SubtreeDecisions::slack(NodeIndex n, double more_kw, double less_kw) const {
    // Whatever the order of the grants, the flow stays between these two.
    const NodeView& v = views_.nodes()[n];
    const double highest = v.fixed_flow_kw + granted_up_below_[n] + more_kw;
    const double lowest = v.fixed_flow_kw - granted_down_below_[n] - less_kw;
    return (max_charge_below_[n] == 0.0 ||
            v.import_limit_kw - highest >= max_charge_below_[n] + kSlackMarginKw) &&
           (max_discharge_below_[n] == 0.0 ||
            lowest + v.export_limit_kw >= max_discharge_below_[n] + kSlackMarginKw);
}

NodeIndex SubtreeDecisions::top_for(ConnectorIndex c) const {
    NodeIndex top = site_.connectors()[c].charger;
    for (NodeIndex n = top; n != kNone; n = site_.nodes()[n].parent)
        if (!slack(n)) top = n;
    return top;
}

bool SubtreeDecisions::decide(Time t, const Decision& in_force) {
    tops_.clear();
    for (const ConnectorIndex c : redecide_) tops_.push_back(top_for(c));
    keep_outermost_tops(site_, tops_);
    // A subtree's decision holds when no node above it limits a grant, with every part's grants:
    // a part whose grants would make one limiting is decided again with that node as its top.
    for (;;) {
        if (!tops_.empty() && tops_.front() == 0) return false;  // the whole site
        parts_.resize(tops_.size());
        for (std::size_t k = 0; k < tops_.size(); ++k) {
            parts_[k].top = tops_[k];
            if (!decide_part(t, in_force, parts_[k])) return false;
        }
        for (const Part& part : parts_) add_changes_above(part, in_force);
        bool held = true;
        for (NodeIndex& top : tops_) {
            if (const NodeIndex limiting = limiting_node_above(top); limiting != kNone) {
                top = limiting;
                held = false;
            }
        }
        clear_changes_above();
        if (held) return true;
        keep_outermost_tops(site_, tops_);
    }
}

bool SubtreeDecisions::decide_part(Time t, const Decision& in_force, Part& part) {
    const Subtree& s = subtrees_.of(part.top);
    part_nodes_.resize(s.nodes.size());
    for (std::size_t k = 0; k < s.nodes.size(); ++k) {
        part_nodes_[k] = views_.nodes()[s.nodes[k]];
        part_nodes_[k].parent = s.parent[k];
    }
    const std::size_t n = s.connectors.size();
    part_connectors_.resize(n);
    part_sessions_.clear();
    part_previous_.connector_kw.resize(n);
    part_previous_.ess_kw.clear();  // a subtree has no batteries (subtree decisions need a site without)
    for (std::size_t k = 0; k < n; ++k) {
        const ConnectorIndex c = s.connectors[k];
        std::uint32_t session = kNone;
        if (connectors_.plugged(c)) {
            session = static_cast<std::uint32_t>(part_sessions_.size());
            part_sessions_.push_back(session_view_(c));
            part_sessions_.back().connector = static_cast<ConnectorIndex>(k);
        }
        ConnectorView& view = part_connectors_[k];
        view = views_.connector(c);
        view.node = s.connector_node[k];
        view.charger = s.connector_charger[k];
        view.session = session;
        part_previous_.connector_kw[k] = in_force.connector_kw[c];
    }
    ObservationInputs in;
    in.now = t;
    in.mode = RunMode::event;
    in.forecast = &forecast_;
    in.previous = &part_previous_;
    in.demand = demand_.view(t);
    const Observation obs = views_.build_part(in, part_nodes_, part_connectors_, part_sessions_);

    Decision& d = part.decision;
    d.connector_kw.assign(n, 0.0);
    d.ess_kw.clear();
    d.expected_cost = NAN;
    d.events.clear();
    d.pv_limit_kw = kUnlimited;
    const auto started_at = std::chrono::steady_clock::now();
    strategy_.decide(obs, d);
    part.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
    // Not a decision of a subtree: the battery and the PV are the site's.
    const bool ess_idle = std::all_of(d.ess_kw.begin(), d.ess_kw.end(), [](double kw) { return kw == 0.0; });
    if (d.connector_kw.size() != n || !ess_idle || d.pv_limit_kw != kUnlimited) return false;
    part.violations.clear();
    for (std::size_t k = 0; k < n; ++k) {
        const ConnectorIndex c = s.connectors[k];
        double& kw = d.connector_kw[k];
        check_setpoint(kw, limits_[c], c, part.violations);
        if (connectors_.faulted(c) && kw != 0.0) {
            part.violations.push_back(Violation{"charger_fault", site_.connectors()[c].node, c, kw, 0.0});
            kw = 0.0;
        }
    }
    return true;
}

void SubtreeDecisions::add_changes_above(const Part& part, const Decision& in_force) {
    const Subtree& s = subtrees_.of(part.top);
    for (std::size_t k = 0; k < s.connectors.size(); ++k) {
        const double kw = part.decision.connector_kw[k];
        const double old = in_force.connector_kw[s.connectors[k]];
        if (kw == old) continue;
        for (NodeIndex n = site_.nodes()[part.top].parent; n != kNone; n = site_.nodes()[n].parent) {
            if (!delta_touched_[n]) touched_.push_back(n);
            delta_touched_[n] = 1;
            up_delta_[n] += increase(kw) - increase(old);
            down_delta_[n] += decrease(kw) - decrease(old);
        }
    }
}

NodeIndex SubtreeDecisions::limiting_node_above(NodeIndex top) const {
    NodeIndex limiting = kNone;
    for (NodeIndex n = site_.nodes()[top].parent; n != kNone; n = site_.nodes()[n].parent)
        if (!slack(n, up_delta_[n], down_delta_[n])) limiting = n;
    return limiting;
}

void SubtreeDecisions::clear_changes_above() {
    for (const NodeIndex n : touched_) {
        up_delta_[n] = down_delta_[n] = 0.0;
        delta_touched_[n] = 0;
    }
    touched_.clear();
}

}  // namespace evtwin
