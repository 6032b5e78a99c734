#include "model/power_flow.hpp"

#include <algorithm>

namespace evtwin {

PowerFlow::PowerFlow(const Site& site, std::function<double(ConnectorIndex, double)> round_down)
    : site_(site), round_down_(std::move(round_down)), flow_(site.nodes().size(), 0.0) {}

const std::vector<double>& PowerFlow::compute(const SitePower& power) {
    std::copy(power.load_kw.begin(), power.load_kw.end(), flow_.begin());
    const auto& connectors = site_.connectors();
    for (std::size_t c = 0; c < connectors.size(); ++c) flow_[connectors[c].node] += power.connector_kw[c];
    if (power.ess_node != kNone) flow_[power.ess_node] += power.ess_kw;
    for (const PvPower& pv : power.pv) flow_[pv.node] -= pv.used_kw;
    const auto& nodes = site_.nodes();
    for (NodeIndex n : site_.bottom_up())
        if (nodes[n].parent != kNone) flow_[nodes[n].parent] += flow_[n];
    return flow_;
}

void PowerFlow::enforce_limits(SitePower& power, std::vector<Violation>& violations) {
    const auto& nodes = site_.nodes();
    compute(power);
    // Reductions only lower flows below the node they act on, so a few passes settle every case
    // where an export fix (less PV) pushes an ancestor over its import limit.
    for (int pass = 0; pass < 4; ++pass) {
        bool changed = false;
        for (NodeIndex n : site_.bottom_up()) {
            const SiteNode& node = nodes[n];
            if (flow_[n] > node.import_limit_kw + kPowerTolerance) {
                if (reduce_import(n, flow_[n] - node.import_limit_kw, power, violations)) changed = true;
                compute(power);
            } else if (flow_[n] < -node.export_limit_kw - kPowerTolerance) {
                if (reduce_export(n, -node.export_limit_kw - flow_[n], power, violations)) changed = true;
                compute(power);
            }
        }
        if (!changed) break;
    }
    // What is still over after that, once per node.
    for (NodeIndex n : site_.bottom_up()) {
        const SiteNode& node = nodes[n];
        if (flow_[n] > node.import_limit_kw + kPowerTolerance)
            violations.push_back(Violation{"node_limit_unresolved", n, kNone, flow_[n] - node.import_limit_kw, 0.0});
        else if (flow_[n] < -node.export_limit_kw - kPowerTolerance)
            violations.push_back(Violation{"node_limit_unresolved", n, kNone, flow_[n] + node.export_limit_kw, 0.0});
    }
}

bool PowerFlow::reduce_import(NodeIndex node, double excess, SitePower& power, std::vector<Violation>& out) {
    const auto& connectors = site_.connectors();
    double flexible = 0.0;
    for (std::size_t c = 0; c < connectors.size(); ++c)
        if (power.connector_kw[c] > 0.0 && site_.below(connectors[c].node, node)) flexible += power.connector_kw[c];
    const bool ess_below = power.ess_node != kNone && power.ess_kw > 0.0 && site_.below(power.ess_node, node);
    if (ess_below) flexible += power.ess_kw;
    if (flexible <= 0.0) return false;
    const double keep = std::max(0.0, (flexible - excess) / flexible);
    for (std::size_t c = 0; c < connectors.size(); ++c) {
        const double before = power.connector_kw[c];
        if (before <= 0.0 || !site_.below(connectors[c].node, node)) continue;
        const auto index = static_cast<ConnectorIndex>(c);
        power.connector_kw[c] = round_down_(index, before * keep);
        out.push_back(Violation{"node_limit", node, index, before, power.connector_kw[c]});
    }
    if (ess_below) {
        const double before = power.ess_kw;
        power.ess_kw = before * keep;
        out.push_back(Violation{"node_limit_ess", node, kNone, before, power.ess_kw});
    }
    return true;
}

bool PowerFlow::reduce_export(NodeIndex node, double excess, SitePower& power, std::vector<Violation>& out) {
    double pv_below = 0.0;
    for (const PvPower& pv : power.pv)
        if (site_.below(pv.node, node)) pv_below += pv.used_kw;
    if (pv_below > 0.0) {
        const double keep = std::max(0.0, (pv_below - excess) / pv_below);
        for (PvPower& pv : power.pv)
            if (site_.below(pv.node, node)) pv.used_kw *= keep;
        excess = std::max(0.0, excess - pv_below);
        if (excess <= kPowerTolerance) return true;
    }
    const auto& connectors = site_.connectors();
    double flexible = 0.0;
    for (std::size_t c = 0; c < connectors.size(); ++c)
        if (power.connector_kw[c] < 0.0 && site_.below(connectors[c].node, node)) flexible -= power.connector_kw[c];
    const bool ess_below = power.ess_node != kNone && power.ess_kw < 0.0 && site_.below(power.ess_node, node);
    if (ess_below) flexible -= power.ess_kw;
    if (flexible <= 0.0) return pv_below > 0.0;
    const double keep = std::max(0.0, (flexible - excess) / flexible);
    for (std::size_t c = 0; c < connectors.size(); ++c) {
        const double before = power.connector_kw[c];
        if (before >= 0.0 || !site_.below(connectors[c].node, node)) continue;
        power.connector_kw[c] = before * keep;
        out.push_back(Violation{"node_limit", node, static_cast<ConnectorIndex>(c), before, power.connector_kw[c]});
    }
    if (ess_below) {
        const double before = power.ess_kw;
        power.ess_kw = before * keep;
        out.push_back(Violation{"node_limit_ess", node, kNone, before, power.ess_kw});
    }
    return true;
}

}  // namespace evtwin
