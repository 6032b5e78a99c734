#include "model/power_flow.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace evtwin {

namespace {

// Groups items 0..count-1 by the node `node_of(i)` names, keeping their order within a node: the
// items of node n are items[first[n]] to items[first[n + 1] - 1]; returns `first`.
template <class NodeOf>
std::vector<std::uint32_t> offsets_by_node(std::size_t nodes, std::size_t count, NodeOf node_of,
                                           std::vector<std::uint32_t>& items) {
    std::vector<std::uint32_t> first(nodes + 1, 0);
    for (std::size_t i = 0; i < count; ++i) ++first[node_of(i) + 1];
    for (std::size_t n = 0; n < nodes; ++n) first[n + 1] += first[n];
    std::vector<std::uint32_t> next(first.begin(), first.end() - 1);
    items.resize(count);
    for (std::size_t i = 0; i < count; ++i) items[next[node_of(i)]++] = static_cast<std::uint32_t>(i);
    return first;
}

}  // namespace

PowerFlow::PowerFlow(const Site& site, std::function<double(ConnectorIndex, double)> round_down)
    : site_(site), round_down_(std::move(round_down)), flow_(site.nodes().size(), 0.0) {
    for (const SiteNode& node : site.nodes())
        limits_.push_back(NodeLimits{node.import_limit_kw, node.export_limit_kw});
    for (const SiteConnector& c : site.connectors()) connector_node_.push_back(c.node);
    for (NodeIndex n : site.bottom_up())
        if (site.nodes()[n].parent != kNone) upward_.emplace_back(n, site.nodes()[n].parent);
    const std::size_t nodes = site.nodes().size();
    first_connector_ = offsets_by_node(
        nodes, connector_node_.size(), [&](std::size_t c) { return connector_node_[c]; }, node_connectors_);
    first_child_ = offsets_by_node(
        nodes, upward_.size(), [&](std::size_t i) { return upward_[i].second; }, children_);
    for (std::uint32_t& child : children_) child = upward_[child].first;
    bottom_up_rank_.resize(nodes);
    for (std::size_t i = 0; i < site.bottom_up().size(); ++i)
        bottom_up_rank_[site.bottom_up()[i]] = static_cast<std::uint32_t>(i);
    node_changed_.assign(nodes, 0);
}

void PowerFlow::set_limits(NodeIndex node, NodeLimits limits) {
    limits_.at(node) = limits;
    settled_ = false;
}

void PowerFlow::restore_limits(NodeIndex node) {
    const SiteNode& n = site_.nodes().at(node);
    limits_[node] = NodeLimits{n.import_limit_kw, n.export_limit_kw};
    settled_ = false;
}

const std::vector<double>& PowerFlow::compute(const SitePower& power) {
    settled_ = false;
    std::copy(power.load_kw.begin(), power.load_kw.end(), flow_.begin());
    for (std::size_t c = 0; c < connector_node_.size(); ++c)
        flow_[connector_node_[c]] += power.connector_kw[c];
    for (const EssPower& e : power.ess) flow_[e.node] += e.kw;
    for (const PvPower& pv : power.pv) flow_[pv.node] -= pv.used_kw;
    for (const auto& [node, parent] : upward_) flow_[parent] += flow_[node];
    return flow_;
}

namespace {

// Bit for bit, so that equal inputs give the very flows computed before (-0.0 and NaN included).
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace

bool PowerFlow::only_connectors_unsettled(const SitePower& power, const PowerChanges* changes) const {
    if (!settled_ || power.ess.size() != settled_ess_.size() || power.pv.size() != settled_pv_.size() ||
        power.connector_kw.size() != settled_connector_kw_.size())
        return false;
    for (std::size_t i = 0; i < power.ess.size(); ++i)
        if (power.ess[i].node != settled_ess_[i].node || !same_bits(power.ess[i].kw, settled_ess_[i].kw))
            return false;
    if ((!changes || changes->loads) && !same_bits(power.load_kw, settled_load_kw_)) return false;
    for (std::size_t i = 0; i < power.pv.size(); ++i)
        if (power.pv[i].node != settled_pv_[i].node ||
            !same_bits(power.pv[i].used_kw, settled_pv_[i].used_kw))
            return false;
    return true;
}

void PowerFlow::remember_settled(const SitePower& power) {
    settled_connector_kw_.assign(power.connector_kw.begin(), power.connector_kw.end());
    settled_load_kw_.assign(power.load_kw.begin(), power.load_kw.end());
    settled_pv_.assign(power.pv.begin(), power.pv.end());
    settled_ess_.assign(power.ess.begin(), power.ess.end());
    settled_ = true;
}

double PowerFlow::node_flow(NodeIndex n, const SitePower& power) const {
    double flow = power.load_kw[n];
    for (std::uint32_t i = first_connector_[n]; i < first_connector_[n + 1]; ++i)
        flow += power.connector_kw[node_connectors_[i]];
    for (const EssPower& e : power.ess)
        if (e.node == n) flow += e.kw;
    for (const PvPower& pv : power.pv)
        if (pv.node == n) flow -= pv.used_kw;
    for (std::uint32_t i = first_child_[n]; i < first_child_[n + 1]; ++i) flow += flow_[children_[i]];
    return flow;
}

bool PowerFlow::settle_changed_connectors(const SitePower& power, const PowerChanges* changes) {
    changed_nodes_.clear();
    // In locals: the stores below could alias the vectors.
    const double* now = power.connector_kw.data();
    double* settled = settled_connector_kw_.data();
    const auto take = [&](std::size_t c) {
        if (same_bits(now[c], settled[c])) return;
        settled[c] = now[c];
        for (NodeIndex n = connector_node_[c]; n != kNone && !node_changed_[n]; n = site_.nodes()[n].parent) {
            node_changed_[n] = 1;
            changed_nodes_.push_back(n);
        }
    };
    if (changes) {
        for (const ConnectorIndex c : changes->connectors) take(c);
    } else {
        // Most connectors are unchanged: compared a block at a time.
        const std::size_t count = connector_node_.size();
        constexpr std::size_t kBlock = 8;
        for (std::size_t c = 0; c < count; ++c) {
            if (c % kBlock == 0 && c + kBlock <= count &&
                std::memcmp(now + c, settled + c, kBlock * sizeof(double)) == 0) {
                c += kBlock - 1;
                continue;
            }
            take(c);
        }
    }
    if (!changed_nodes_.empty() && enforce_phases_ && !site_.phase_constraints().empty()) {
        for (NodeIndex n : changed_nodes_) node_changed_[n] = 0;
        settled_ = false;  // the phase sums need the full check
        return false;
    }
    std::sort(changed_nodes_.begin(), changed_nodes_.end(),
              [&](NodeIndex a, NodeIndex b) { return bottom_up_rank_[a] < bottom_up_rank_[b]; });
    bool within = true;
    for (NodeIndex n : changed_nodes_) {
        node_changed_[n] = 0;
        flow_[n] = node_flow(n, power);
        within &= !beyond_limits(flow_[n], limits_[n].import_kw, limits_[n].export_kw);
    }
    settled_ = within;
    return within;
}

bool PowerFlow::within_limits(const SitePower& power) const {
    for (std::size_t n = 0; n < flow_.size(); ++n)
        if (beyond_limits(flow_[n], limits_[n].import_kw, limits_[n].export_kw)) return false;
    if (!enforce_phases_) return true;
    const auto& phases = site_.phase_constraints();
    for (std::size_t k = 0; k < phases.size(); ++k)
        if (phase_current_a(k, power.connector_kw) > phases[k].limit_a + kCurrentTolerance) return false;
    return true;
}

void PowerFlow::check_phases(const std::vector<double>& connector_kw, std::vector<Violation>& violations) {
    if (checked_kw_.empty() || !same_bits(connector_kw, checked_kw_)) {
        checked_kw_.assign(connector_kw.begin(), connector_kw.end());
        checked_violations_.clear();
        const auto& phases = site_.phase_constraints();
        for (std::size_t k = 0; k < phases.size(); ++k) {
            const double amps = phase_current_a(k, connector_kw);
            if (amps > phases[k].limit_a + kCurrentTolerance)
                checked_violations_.push_back(Violation{"phase_limit_unenforced", kNone, kNone,
                                                        amps - phases[k].limit_a, 0.0,
                                                        static_cast<std::uint32_t>(k)});
        }
    }
    violations.insert(violations.end(), checked_violations_.begin(), checked_violations_.end());
}

void PowerFlow::enforce_limits(SitePower& power, std::vector<Violation>& violations) {
    enforce(power, nullptr, violations);
}

void PowerFlow::enforce_limits(SitePower& power, const PowerChanges& changes,
                               std::vector<Violation>& violations) {
    enforce(power, &changes, violations);
}

void PowerFlow::enforce(SitePower& power, const PowerChanges* changes, std::vector<Violation>& violations) {
    // The usual cases: the powers of the last call that needed no reduction but for a few
    // connectors, within every limit: nothing to reduce or report, and flows to sum only above them.
    // Otherwise, new powers within every limit: nothing to reduce or report either.
    if (only_connectors_unsettled(power, changes) && settle_changed_connectors(power, changes)) return;
    compute(power);
    if (within_limits(power)) {
        remember_settled(power);
        return;
    }
    asked_kw_ = power.connector_kw;
    const std::vector<double>& asked_kw = asked_kw_;
    asked_ess_kw_.clear();
    for (const EssPower& e : power.ess) asked_ess_kw_.push_back(e.kw);
    limiting_node_.assign(asked_kw.size() + power.ess.size(), kNone);
    limiting_phase_.assign(asked_kw.size(), kNone);
    const auto& phases = site_.phase_constraints();
    const std::size_t held_phases = enforce_phases_ ? phases.size() : 0;
    // Cutting charging under a node can push an ancestor over its export limit, and curtailing PV
    // for that can push the node back over its import limit: the passes then close in on a feasible
    // point geometrically, so allow many. Each pass is O(nodes x connectors) only where a limit binds.
    for (int pass = 0; pass < kMaxPasses; ++pass) {
        bool changed = false;
        for (NodeIndex n : site_.bottom_up()) {
            const NodeLimits& node = limits_[n];
            if (flow_[n] > node.import_kw + kPowerTolerance) {
                changed |= reduce_import(n, flow_[n] - node.import_kw, power);
                compute(power);
            } else if (flow_[n] < -node.export_kw - kPowerTolerance) {
                changed |= reduce_export(n, -node.export_kw - flow_[n], power);
                compute(power);
            }
        }
        for (std::size_t k = 0; k < held_phases; ++k) {
            const double amps = phase_current_a(k, power.connector_kw);
            if (amps > phases[k].limit_a + kCurrentTolerance) {
                changed |= reduce_phase(k, amps, power);
                compute(power);
            }
        }
        if (!changed) break;
    }
    // One record per connector (and battery) the engine reduced: what was asked, what it got.
    for (std::size_t c = 0; c < asked_kw.size(); ++c) {
        if (power.connector_kw[c] == asked_kw[c]) continue;
        const auto connector = static_cast<ConnectorIndex>(c);
        if (limiting_phase_[c] != kNone)
            violations.push_back(Violation{"phase_limit", kNone, connector, asked_kw[c],
                                           power.connector_kw[c], limiting_phase_[c]});
        else
            violations.push_back(
                Violation{"node_limit", limiting_node_[c], connector, asked_kw[c], power.connector_kw[c]});
    }
    for (std::size_t b = 0; b < power.ess.size(); ++b) {
        if (power.ess[b].kw == asked_ess_kw_[b]) continue;
        Violation v{"node_limit_ess", limiting_node_[asked_kw.size() + b], kNone, asked_ess_kw_[b],
                    power.ess[b].kw};
        v.ess = static_cast<std::uint32_t>(b);
        violations.push_back(v);
    }
    // What is still over after that (a fixed load alone, say), once per node.
    for (NodeIndex n : site_.bottom_up()) {
        const NodeLimits& node = limits_[n];
        if (flow_[n] > node.import_kw + kPowerTolerance)
            violations.push_back(
                Violation{"node_limit_unresolved", n, kNone, flow_[n] - node.import_kw, 0.0});
        else if (flow_[n] < -node.export_kw - kPowerTolerance)
            violations.push_back(
                Violation{"node_limit_unresolved", n, kNone, flow_[n] + node.export_kw, 0.0});
    }
    for (std::size_t k = 0; k < held_phases; ++k) {
        const double amps = phase_current_a(k, power.connector_kw);
        if (amps > phases[k].limit_a + kCurrentTolerance)
            violations.push_back(Violation{"phase_limit_unresolved", kNone, kNone, amps - phases[k].limit_a,
                                           0.0, static_cast<std::uint32_t>(k)});
    }
}

double PowerFlow::phase_current_a(std::size_t k, const std::vector<double>& connector_kw) const {
    double re = 0.0;
    double im = 0.0;
    for (const ConnectorTerm& t : site_.phase_constraints()[k].terms) {
        const double kw = connector_kw[t.connector];
        if (kw == 0.0) continue;  // it would add zeros: the sums are the same without it
        const double amps = t.coefficient * kw * t.amps_per_kw;
        re += amps * t.cos_phase;
        im += amps * t.sin_phase;
    }
    return re == 0.0 && im == 0.0 ? 0.0 : std::hypot(re, im);
}

// Scaling every current in the sum by f scales its magnitude by f: one factor meets the limit
// exactly (rounding charging down to allowed setpoints may leave it over; the next pass cuts again).
bool PowerFlow::reduce_phase(std::size_t k, double amps, SitePower& power) {
    const SitePhaseConstraint& phase = site_.phase_constraints()[k];
    const double keep = phase.limit_a / amps;
    bool changed = false;
    for (const ConnectorTerm& t : phase.terms) {
        double& kw = power.connector_kw[t.connector];
        if (kw == 0.0) continue;
        kw = kw > 0.0 ? round_down_(t.connector, kw * keep) : kw * keep;
        limiting_phase_[t.connector] = static_cast<std::uint32_t>(k);
        changed = true;
    }
    return changed;
}

bool PowerFlow::reduce_import(NodeIndex node, double excess, SitePower& power) {
    const auto& connectors = site_.connectors();
    double flexible = 0.0;
    for (std::size_t c = 0; c < connectors.size(); ++c)
        if (power.connector_kw[c] > 0.0 && site_.below(connectors[c].node, node))
            flexible += power.connector_kw[c];
    for (const EssPower& e : power.ess)
        if (e.kw > 0.0 && site_.below(e.node, node)) flexible += e.kw;
    if (flexible <= 0.0) return false;
    const double keep = std::max(0.0, (flexible - excess) / flexible);
    for (std::size_t c = 0; c < connectors.size(); ++c) {
        const double before = power.connector_kw[c];
        if (before <= 0.0 || !site_.below(connectors[c].node, node)) continue;
        power.connector_kw[c] = round_down_(static_cast<ConnectorIndex>(c), before * keep);
        limiting_node_[c] = node;
        limiting_phase_[c] = kNone;
    }
    reduce_ess(node, keep, +1.0, power);
    return true;
}

void PowerFlow::reduce_ess(NodeIndex node, double keep, double direction, SitePower& power) {
    const std::size_t first_slot = site_.connectors().size();
    for (std::size_t b = 0; b < power.ess.size(); ++b) {
        EssPower& e = power.ess[b];
        if (e.kw * direction <= 0.0 || !site_.below(e.node, node)) continue;
        e.kw *= keep;
        limiting_node_[first_slot + b] = node;
    }
}

bool PowerFlow::reduce_export(NodeIndex node, double excess, SitePower& power) {
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
        if (power.connector_kw[c] < 0.0 && site_.below(connectors[c].node, node))
            flexible -= power.connector_kw[c];
    for (const EssPower& e : power.ess)
        if (e.kw < 0.0 && site_.below(e.node, node)) flexible -= e.kw;
    if (flexible <= 0.0) return pv_below > 0.0;
    const double keep = std::max(0.0, (flexible - excess) / flexible);
    for (std::size_t c = 0; c < connectors.size(); ++c) {
        const double before = power.connector_kw[c];
        if (before >= 0.0 || !site_.below(connectors[c].node, node)) continue;
        power.connector_kw[c] = before * keep;
        limiting_node_[c] = node;
        limiting_phase_[c] = kNone;
    }
    reduce_ess(node, keep, -1.0, power);
    return true;
}

}  // namespace evtwin
