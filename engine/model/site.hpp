#pragma once
// The electrical tree of a site, built from a ScenarioSpec: grid connection -> transformers/feeders
// -> chargers -> connectors. The scenario's nodes keep their indices; then each charger in order adds
// its charger node followed by one node per connector. Boost.Graph holds the tree while it is built and
// checked; the simulator then works on the flat arrays below (parent index, limits, a bottom-up order).
#include "model/scenario_spec.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace evtwin {

struct SiteError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct SiteNode {
    std::string name;
    NodeKind kind = NodeKind::feeder;
    NodeIndex parent = kNone;
    double import_limit_kw = kUnlimited;
    double export_limit_kw = kUnlimited;
};

struct SiteConnector {
    NodeIndex node = kNone;        // the connector's own node
    NodeIndex charger = kNone;     // the charger's node
    std::size_t charger_spec = 0;  // index into ScenarioSpec::chargers
    std::string name;              // "<charger>/<n>", n from 1
};

// A phase constraint with its chargers resolved to connectors: every connector of a charger in the
// constraint gets the charger's term.
struct SitePhaseConstraint {
    std::string name;
    double limit_a = kUnlimited;
    std::vector<ConnectorTerm> terms;
};

class Site {
public:
    // Throws SiteError naming the node when the tree is malformed.
    explicit Site(const ScenarioSpec& spec);

    const std::vector<SiteNode>& nodes() const { return nodes_; }
    const std::vector<SiteConnector>& connectors() const { return connectors_; }
    // Every node after all of its children: accumulate flows in this order.
    const std::vector<NodeIndex>& bottom_up() const { return bottom_up_; }
    const std::vector<SitePhaseConstraint>& phase_constraints() const { return phases_; }
    // Whether `node` lies in the subtree of `ancestor` (a node is in its own subtree).
    bool below(NodeIndex node, NodeIndex ancestor) const;

private:
    void build_phase_constraints(const ScenarioSpec& spec);

    std::vector<SiteNode> nodes_;
    std::vector<SiteConnector> connectors_;
    std::vector<NodeIndex> bottom_up_;
    std::vector<std::uint32_t> depth_;
    std::vector<SitePhaseConstraint> phases_;
};

}  // namespace evtwin
