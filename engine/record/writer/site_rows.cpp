#include "record/writer/site_rows.hpp"

#include "record/writer/row_insert.hpp"

#include <nlohmann/json.hpp>

namespace evtwin {

void insert_site_rows(sqlite::Db& db, RunId run, const SiteTree& tree) {
    sqlite::Stmt node(
        db,
        "INSERT INTO nodes (run_id, node, parent, kind, name, import_limit_kw, export_limit_kw) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (const auto& n : tree.nodes) {
        node.bind(1, run)
            .bind(2, static_cast<std::int64_t>(n.index))
            .bind(4, std::string_view(to_string(n.kind)));
        bind_index(node, 3, n.parent);
        node.bind(5, n.name);
        bind_limit(node, 6, n.import_limit_kw);
        bind_limit(node, 7, n.export_limit_kw);
        node.run();
    }
    sqlite::Stmt conn(db,
                      "INSERT INTO connectors (run_id, connector, name, node, charger_node, charger, "
                      "charger_name, max_kw, min_kw, efficiency, dc, v2g_capable, setpoints_kw, voltage_v, "
                      "phase_deg) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    for (const auto& c : tree.connectors) {
        conn.bind(1, run)
            .bind(2, static_cast<std::int64_t>(c.index))
            .bind(3, c.name)
            .bind(4, static_cast<std::int64_t>(c.node))
            .bind(5, static_cast<std::int64_t>(c.charger_node))
            .bind(6, static_cast<std::int64_t>(c.charger))
            .bind(7, c.charger_name)
            .bind(8, c.max_kw)
            .bind(9, c.min_kw)
            .bind(10, c.efficiency)
            .bind(11, std::int64_t{c.dc})
            .bind(12, std::int64_t{c.v2g_capable})
            .bind(13, nlohmann::json(c.setpoints_kw).dump())
            .bind(14, c.voltage_v)
            .bind(15, c.phase_deg)
            .run();
    }
    sqlite::Stmt phase(
        db,
        "INSERT INTO phase_constraints (run_id, phase_constraint, name, limit_a) VALUES (?1, ?2, ?3, ?4)");
    sqlite::Stmt term(
        db,
        "INSERT INTO phase_constraint_terms (run_id, phase_constraint, term, charger, charger_name, "
        "coefficient) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (const auto& k : tree.phase_constraints) {
        phase.bind(1, run).bind(2, std::int64_t{k.index}).bind(3, k.name);
        bind_limit(phase, 4, k.limit_a);
        phase.run();
        for (std::size_t i = 0; i < k.terms.size(); ++i)
            term.bind(1, run)
                .bind(2, std::int64_t{k.index})
                .bind(3, static_cast<std::int64_t>(i))
                .bind(4, std::int64_t{k.terms[i].charger})
                .bind(5, k.terms[i].charger_name)
                .bind(6, k.terms[i].coefficient)
                .run();
    }
    sqlite::Stmt pv(db, "INSERT INTO pv (run_id, pv, name, node, kwp) VALUES (?1, ?2, ?3, ?4, ?5)");
    for (const auto& p : tree.pv)
        pv.bind(1, run)
            .bind(2, std::int64_t{p.index})
            .bind(3, p.name)
            .bind(4, std::int64_t{p.node})
            .bind(5, p.kwp)
            .run();
    sqlite::Stmt ess(
        db,
        "INSERT INTO ess (run_id, ess, name, node, capacity_kwh, max_charge_kw, max_discharge_kw, "
        "charge_efficiency, discharge_efficiency, soc_min, soc_max, soc_initial, end_value_per_kwh, end_soc, "
        "grid_charge, grid_discharge, priority) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
    for (std::size_t b = 0; b < tree.ess.size(); ++b) {
        const EssRecord& e = tree.ess[b];
        ess.bind(1, run)
            .bind(2, static_cast<std::int64_t>(b))
            .bind(3, e.name)
            .bind(4, std::int64_t{e.node})
            .bind(5, e.capacity_kwh)
            .bind(6, e.max_charge_kw)
            .bind(7, e.max_discharge_kw)
            .bind(8, e.charge_efficiency)
            .bind(9, e.discharge_efficiency)
            .bind(10, e.soc_min)
            .bind(11, e.soc_max)
            .bind(12, e.soc_initial)
            .bind(13, e.end_value_per_kwh);
        if (e.end_soc)
            ess.bind(14, *e.end_soc);
        else
            ess.bind_null(14);
        ess.bind(15, std::int64_t{e.grid_charge})
            .bind(16, std::int64_t{e.grid_discharge})
            .bind(17, std::int64_t{e.priority})
            .run();
    }
    sqlite::Stmt load(db, "INSERT INTO loads (run_id, load, name, node) VALUES (?1, ?2, ?3, ?4)");
    for (const auto& l : tree.loads)
        load.bind(1, run).bind(2, std::int64_t{l.index}).bind(3, l.name).bind(4, std::int64_t{l.node}).run();
}

}  // namespace evtwin
