#include "record/writer/site_layout.hpp"

#include "model/scenario_spec.hpp"
#include "model/site.hpp"

namespace evtwin {

SiteTree site_tree(const ScenarioSpec& spec) {
    const Site site(spec);  // the simulator's own numbering of nodes and connectors
    SiteTree tree;
    for (std::size_t i = 0; i < site.nodes().size(); ++i) {
        const SiteNode& n = site.nodes()[i];
        tree.nodes.push_back(
            {static_cast<NodeIndex>(i), n.parent, n.kind, n.name, n.import_limit_kw, n.export_limit_kw});
    }
    for (std::size_t i = 0; i < site.connectors().size(); ++i) {
        const SiteConnector& sc = site.connectors()[i];
        const ChargerSpec& c = spec.chargers[sc.charger_spec];
        ConnectorRecord r;
        r.index = static_cast<ConnectorIndex>(i);
        r.name = sc.name;
        r.node = sc.node;
        r.charger_node = sc.charger;
        r.charger = static_cast<std::uint32_t>(sc.charger_spec);
        r.charger_name = c.name;
        r.max_kw = c.max_kw;
        r.min_kw = c.min_kw;
        r.efficiency = c.efficiency;
        r.dc = c.dc;
        r.v2g_capable = c.v2g_capable;
        r.setpoints_kw = c.setpoints_kw;
        r.voltage_v = c.voltage_v;
        r.phase_deg = c.phase_deg;
        tree.connectors.push_back(std::move(r));
    }
    for (std::uint32_t i = 0; i < spec.phase_constraints.size(); ++i) {
        const PhaseConstraintSpec& k = spec.phase_constraints[i];
        PhaseConstraintRecord r{i, k.name, k.limit_a, {}};
        for (const PhaseTermSpec& t : k.terms)
            r.terms.push_back(
                {static_cast<std::uint32_t>(t.charger), spec.chargers[t.charger].name, t.coefficient});
        tree.phase_constraints.push_back(std::move(r));
    }
    for (std::uint32_t i = 0; i < spec.pv.size(); ++i)
        tree.pv.push_back({i, spec.pv[i].name, spec.pv[i].node, spec.pv[i].kwp});
    for (const EssSpec& e : spec.ess) tree.ess.push_back(EssRecord{e});  // ratings: the SoH is stored apart
    for (std::uint32_t i = 0; i < spec.loads.size(); ++i)
        tree.loads.push_back({i, spec.loads[i].name, spec.loads[i].node});
    return tree;
}

}  // namespace evtwin
