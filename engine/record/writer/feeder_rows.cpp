#include "record/writer/feeder_rows.hpp"

namespace evtwin {

void insert_feeder_rows(sqlite::Db& db, RunId run, const FeederSpec& feeder) {
    const auto id = static_cast<std::int64_t>(run);
    sqlite::Stmt(db,
                 "INSERT INTO feeders (run_id, name, source_bus, v_min_pu, v_max_pu, max_loading) VALUES "
                 "(?1, ?2, ?3, ?4, "
                 "?5, ?6)")
        .bind(1, id)
        .bind(2, feeder.name)
        .bind(3, std::int64_t{feeder.network.source.bus})
        .bind(4, feeder.v_min_pu)
        .bind(5, feeder.v_max_pu)
        .bind(6, feeder.max_loading)
        .run();
    const grid::Network& network = feeder.network;
    sqlite::Stmt bus(db,
                     "INSERT INTO feeder_buses (run_id, bus, name, phases, base_kv, v_min_pu, v_max_pu) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (std::size_t b = 0; b < network.buses.size(); ++b) {
        const BusBand band = band_of(feeder, static_cast<int>(b));
        bus.bind(1, id)
            .bind(2, static_cast<std::int64_t>(b))
            .bind(3, network.buses[b].name)
            .bind(4, feeder.bus_phases[b])
            .bind(5, feeder.bus_base_kv_ln[b])
            .bind(6, band.v_min_pu)
            .bind(7, band.v_max_pu)
            .run();
    }
    sqlite::Stmt branch(db,
                        "INSERT INTO feeder_branches (run_id, branch, kind, name, from_bus, to_bus, rating) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    std::int64_t index = 0;
    for (const grid::Line& line : network.lines)
        branch.bind(1, id)
            .bind(2, index++)
            .bind(3, std::string_view("line"))
            .bind(4, line.name)
            .bind(5, std::int64_t{line.from.bus})
            .bind(6, std::int64_t{line.to.bus})
            .bind(7, line.normal_amps)
            .run();
    for (const grid::Transformer& t : network.transformers)
        branch.bind(1, id)
            .bind(2, index++)
            .bind(3, std::string_view("transformer"))
            .bind(4, t.name)
            .bind(5, std::int64_t{t.windings.at(0).terminal.bus})
            .bind(6, std::int64_t{t.windings.at(1).terminal.bus})
            .bind(7, t.windings.at(0).kva)
            .run();
    sqlite::Stmt site(
        db, "INSERT INTO feeder_sites (run_id, node, bus, phases, power_factor) VALUES (?1, ?2, ?3, ?4, ?5)");
    for (const FeederSite& s : feeder.sites) {
        std::string phases;
        for (int k : s.conductors) phases += static_cast<char>('0' + k);
        site.bind(1, id)
            .bind(2, static_cast<std::int64_t>(s.node))
            .bind(3, std::int64_t{s.bus})
            .bind(4, phases)
            .bind(5, s.power_factor)
            .run();
    }
}

}  // namespace evtwin
