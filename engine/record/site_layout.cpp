#include "record/site_layout.hpp"

#include "model/scenario_spec.hpp"

#include <stdexcept>

namespace evtwin {

SiteTree site_tree(const ScenarioSpec& spec) {
    SiteTree tree;
    const auto n_spec = static_cast<NodeIndex>(spec.nodes.size());
    for (NodeIndex i = 0; i < n_spec; ++i) {
        const NodeSpec& n = spec.nodes[i];
        if (i > 0 && (n.parent == kNone || n.parent >= i))
            throw std::invalid_argument("node " + std::to_string(i) + " (" + n.name +
                                        "): parent must be an earlier node, got " +
                                        (n.parent == kNone ? std::string("none") : std::to_string(n.parent)));
        tree.nodes.push_back({i, i == 0 ? kNone : n.parent, n.kind, n.name, n.import_limit_kw, n.export_limit_kw});
    }
    for (std::uint32_t ci = 0; ci < spec.chargers.size(); ++ci) {
        const ChargerSpec& c = spec.chargers[ci];
        if (c.parent >= n_spec)
            throw std::invalid_argument("charger " + c.name + ": parent node " +
                                        (c.parent == kNone ? std::string("none") : std::to_string(c.parent)) +
                                        " does not exist");
        if (c.connectors < 1)
            throw std::invalid_argument("charger " + c.name + ": needs at least one connector");
        const double export_kw = c.v2g_capable ? c.max_kw : 0.0;
        const auto charger_node = static_cast<NodeIndex>(tree.nodes.size());
        tree.nodes.push_back({charger_node, c.parent, NodeKind::charger, c.name, c.max_kw, export_kw});
        for (int k = 1; k <= c.connectors; ++k) {
            const auto node = static_cast<NodeIndex>(tree.nodes.size());
            const std::string name = c.name + "/" + std::to_string(k);
            tree.nodes.push_back({node, charger_node, NodeKind::connector, name, c.max_kw, export_kw});
            ConnectorRecord r;
            r.index = static_cast<ConnectorIndex>(tree.connectors.size());
            r.name = name;
            r.node = node;
            r.charger_node = charger_node;
            r.charger = ci;
            r.charger_name = c.name;
            r.max_kw = c.max_kw;
            r.min_kw = c.min_kw;
            r.efficiency = c.efficiency;
            r.dc = c.dc;
            r.v2g_capable = c.v2g_capable;
            r.setpoints_kw = c.setpoints_kw;
            tree.connectors.push_back(std::move(r));
        }
    }
    for (std::uint32_t i = 0; i < spec.pv.size(); ++i)
        tree.pv.push_back({i, spec.pv[i].name, spec.pv[i].node, spec.pv[i].kwp});
    if (spec.ess) {
        const EssSpec& e = *spec.ess;
        tree.ess = EssRecord{e.name, e.node, e.capacity_kwh, e.max_charge_kw, e.max_discharge_kw,
                             e.charge_efficiency, e.discharge_efficiency, e.soc_min, e.soc_max, e.soc_initial};
    }
    for (std::uint32_t i = 0; i < spec.loads.size(); ++i)
        tree.loads.push_back({i, spec.loads[i].name, spec.loads[i].node});
    return tree;
}

}  // namespace evtwin
