#include "core/subtrees.hpp"

#include <algorithm>

namespace evtwin {

Subtrees::Subtrees(const Site& site)
    : site_(site),
      first_child_(site.nodes().size() + 1, 0),
      connector_at_(site.nodes().size(), kNone),
      local_(site.nodes().size(), kNone),
      made_(site.nodes().size()) {
    const std::vector<SiteNode>& nodes = site.nodes();
    for (std::size_t n = 1; n < nodes.size(); ++n) ++first_child_[nodes[n].parent + 1];
    for (std::size_t n = 0; n < nodes.size(); ++n) first_child_[n + 1] += first_child_[n];
    children_.resize(first_child_.back());
    std::vector<std::uint32_t> next(first_child_.begin(), first_child_.end() - 1);
    for (std::size_t n = 1; n < nodes.size(); ++n)
        children_[next[nodes[n].parent]++] = static_cast<NodeIndex>(n);
    for (std::size_t c = 0; c < site.connectors().size(); ++c)
        connector_at_[site.connectors()[c].node] = static_cast<ConnectorIndex>(c);
}

const Subtree& Subtrees::of(NodeIndex top) {
    if (made_[top]) return *made_[top];
    auto made = std::make_unique<Subtree>();
    Subtree& s = *made;
    std::vector<NodeIndex> stack{top};
    while (!stack.empty()) {
        const NodeIndex n = stack.back();
        stack.pop_back();
        s.nodes.push_back(n);
        for (std::uint32_t i = first_child_[n]; i < first_child_[n + 1]; ++i) stack.push_back(children_[i]);
    }
    std::sort(s.nodes.begin(), s.nodes.end());  // parents come before their children, the top first
    for (std::size_t k = 0; k < s.nodes.size(); ++k) local_[s.nodes[k]] = static_cast<NodeIndex>(k);
    for (const NodeIndex n : s.nodes) {
        s.parent.push_back(n == top ? kNone : local_[site_.nodes()[n].parent]);
        if (connector_at_[n] != kNone) s.connectors.push_back(connector_at_[n]);
    }
    std::sort(s.connectors.begin(), s.connectors.end());
    for (const ConnectorIndex c : s.connectors) {
        const SiteConnector& sc = site_.connectors()[c];
        s.connector_node.push_back(local_[sc.node]);
        s.connector_charger.push_back(local_[sc.charger]);
    }
    for (const NodeIndex n : s.nodes) local_[n] = kNone;
    made_[top] = std::move(made);
    return s;
}

}  // namespace evtwin
