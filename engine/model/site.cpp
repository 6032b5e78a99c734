#include "model/site.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <unordered_set>

namespace evtwin {
namespace {

using Tree = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

class RecordOrder : public boost::default_bfs_visitor {
public:
    explicit RecordOrder(std::vector<NodeIndex>& order) : order_(order) {}
    void discover_vertex(Tree::vertex_descriptor v, const Tree&) {
        order_.push_back(static_cast<NodeIndex>(v));
    }

private:
    std::vector<NodeIndex>& order_;
};

}  // namespace

Site::Site(const ScenarioSpec& spec) {
    if (spec.nodes.empty() || spec.nodes[0].kind != NodeKind::grid || spec.nodes[0].parent != kNone)
        throw SiteError("site: node 0 must be the grid connection, with no parent");

    std::unordered_set<std::string> names;
    for (const NodeSpec& n : spec.nodes) {
        if (!names.insert(n.name).second) throw SiteError("site: two nodes are named '" + n.name + "'");
        nodes_.push_back(SiteNode{n.name, n.kind, n.parent, n.import_limit_kw, n.export_limit_kw});
    }
    for (std::size_t i = 1; i < nodes_.size(); ++i) {
        const SiteNode& n = nodes_[i];
        if (n.parent == kNone || n.parent >= i)
            throw SiteError("site: node '" + n.name + "' must hang from a node defined before it");
        if (n.kind == NodeKind::grid)
            throw SiteError("site: node '" + n.name + "': only the root is a grid connection");
    }
    for (std::size_t c = 0; c < spec.chargers.size(); ++c) {
        const ChargerSpec& ch = spec.chargers[c];
        if (ch.parent >= nodes_.size()) throw SiteError("charger '" + ch.name + "': unknown parent node");
        if (ch.connectors < 1) throw SiteError("charger '" + ch.name + "': needs at least one connector");
        if (!names.insert(ch.name).second) throw SiteError("site: two nodes are named '" + ch.name + "'");
        if (!(ch.voltage_v > 0.0) || !std::isfinite(ch.voltage_v))
            throw SiteError("charger '" + ch.name + "': voltage_v must be a positive number");
        if (!std::isfinite(ch.phase_deg))
            throw SiteError("charger '" + ch.name + "': phase_deg must be a finite number");
        const auto charger_node = static_cast<NodeIndex>(nodes_.size());
        const double export_kw = ch.v2g_capable ? ch.max_kw : 0.0;
        nodes_.push_back(SiteNode{ch.name, NodeKind::charger, ch.parent, ch.max_kw, export_kw});
        for (int k = 0; k < ch.connectors; ++k) {
            const std::string name = ch.name + "/" + std::to_string(k + 1);
            if (!names.insert(name).second) throw SiteError("site: two nodes are named '" + name + "'");
            const auto node = static_cast<NodeIndex>(nodes_.size());
            nodes_.push_back(SiteNode{name, NodeKind::connector, charger_node, ch.max_kw, export_kw});
            connectors_.push_back(SiteConnector{node, charger_node, c, name});
        }
    }

    // Parents come before children, so the tree is acyclic and connected by construction; the
    // graph gives the breadth-first order whose reverse has every child before its parent.
    Tree tree(nodes_.size());
    for (std::size_t i = 1; i < nodes_.size(); ++i) boost::add_edge(nodes_[i].parent, i, tree);
    std::vector<NodeIndex> order;
    order.reserve(nodes_.size());
    boost::breadth_first_search(tree, boost::vertex(0, tree), boost::visitor(RecordOrder(order)));
    if (order.size() != nodes_.size()) throw SiteError("site: some nodes are not connected to the grid");
    bottom_up_.assign(order.rbegin(), order.rend());

    depth_.assign(nodes_.size(), 0);
    for (std::size_t i = 1; i < nodes_.size(); ++i) depth_[i] = depth_[nodes_[i].parent] + 1;

    build_phase_constraints(spec);
}

void Site::build_phase_constraints(const ScenarioSpec& spec) {
    std::unordered_set<std::string> names;
    for (const PhaseConstraintSpec& k : spec.phase_constraints) {
        const std::string what = "phase constraint '" + k.name + "'";
        if (k.name.empty()) throw SiteError("site: a phase constraint has no name");
        if (!names.insert(k.name).second)
            throw SiteError("site: two phase constraints are named '" + k.name + "'");
        if (!(k.limit_a > 0.0)) throw SiteError(what + ": limit_a must be positive");
        if (k.terms.empty()) throw SiteError(what + ": has no terms");
        SitePhaseConstraint out{k.name, k.limit_a, {}};
        std::unordered_set<std::size_t> seen;
        for (const PhaseTermSpec& term : k.terms) {
            if (term.charger >= spec.chargers.size())
                throw SiteError(what + ": unknown charger index " + std::to_string(term.charger));
            const ChargerSpec& ch = spec.chargers[term.charger];
            if (!seen.insert(term.charger).second)
                throw SiteError(what + ": charger '" + ch.name + "' appears twice");
            if (!std::isfinite(term.coefficient))
                throw SiteError(what + ": the coefficient of '" + ch.name + "' is not finite");
            const double rad = ch.phase_deg * std::numbers::pi / 180.0;
            for (std::size_t c = 0; c < connectors_.size(); ++c)
                if (connectors_[c].charger_spec == term.charger)
                    out.terms.push_back(ConnectorTerm{static_cast<ConnectorIndex>(c), term.coefficient,
                                                      1000.0 / ch.voltage_v, std::cos(rad), std::sin(rad)});
        }
        phases_.push_back(std::move(out));
    }
}

bool Site::below(NodeIndex node, NodeIndex ancestor) const {
    while (node != kNone && depth_[node] > depth_[ancestor]) node = nodes_[node].parent;
    return node == ancestor;
}

}  // namespace evtwin
