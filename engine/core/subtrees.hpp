#pragma once
// The subtrees of a site's tree, each with its nodes and connectors renumbered from 0, for
// decisions of part of the site (DecisionScope::subtree). A subtree is made when first asked for,
// then kept.
#include "model/site.hpp"

#include <memory>
#include <vector>

namespace evtwin {

struct Subtree {
    std::vector<NodeIndex> nodes;            // the site's indices, ascending: nodes[0] is the top
    std::vector<NodeIndex> parent;           // per node: its parent's index here, kNone for the top
    std::vector<ConnectorIndex> connectors;  // the site's indices, ascending
    std::vector<NodeIndex> connector_node;   // per connector: its node's index here
    std::vector<NodeIndex> connector_charger;
};

class Subtrees {
public:
    explicit Subtrees(const Site& site);

    // The subtree whose top is `top`.
    const Subtree& of(NodeIndex top);

private:
    const Site& site_;
    std::vector<std::uint32_t>
        first_child_;  // children of node n: children_[first_child_[n] .. first_child_[n + 1])
    std::vector<NodeIndex> children_;
    std::vector<ConnectorIndex> connector_at_;    // per node: the connector it is, else kNone
    std::vector<NodeIndex> local_;                // scratch: a node's index in the subtree being made
    std::vector<std::unique_ptr<Subtree>> made_;  // per top, once made
};

}  // namespace evtwin
