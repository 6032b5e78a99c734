// A run's distribution feeder and its recorded voltages (docs/results-schema.md, "The distribution
// feeder").
#include "record/reader/run_reader.hpp"

#include "record/schema/sqlite_db.hpp"

namespace evtwin {

std::optional<RecordedFeeder> RunReader::feeder(RunId id) const {
    require_run(id);
    sqlite::Stmt head(*db_, "SELECT name, source_bus FROM feeders WHERE run_id = ?1");
    head.bind(1, id);
    if (!head.step()) return std::nullopt;
    RecordedFeeder f;
    f.name = head.text(0);
    f.source_bus = static_cast<std::uint32_t>(head.int64(1));
    sqlite::Stmt buses(
        *db_, "SELECT name, phases, v_min_pu, v_max_pu FROM feeder_buses WHERE run_id = ?1 ORDER BY bus");
    buses.bind(1, id);
    while (buses.step()) f.buses.push_back({buses.text(0), buses.text(1), buses.real(2), buses.real(3)});
    sqlite::Stmt branches(
        *db_, "SELECT kind, name, from_bus, to_bus FROM feeder_branches WHERE run_id = ?1 ORDER BY branch");
    branches.bind(1, id);
    while (branches.step())
        f.branches.push_back({branches.text(0) == "transformer", branches.text(1),
                              static_cast<std::uint32_t>(branches.int64(2)),
                              static_cast<std::uint32_t>(branches.int64(3))});
    sqlite::Stmt sites(*db_, "SELECT DISTINCT bus FROM feeder_sites WHERE run_id = ?1 ORDER BY bus");
    sites.bind(1, id);
    while (sites.step()) f.site_buses.push_back(static_cast<std::uint32_t>(sites.int64(0)));
    return f;
}

std::vector<BusVoltageRow> RunReader::bus_voltages(RunId id) const {
    require_run(id);
    sqlite::Stmt st(
        *db_,
        "SELECT t_ms, bus, phase, v_pu FROM bus_voltage_series WHERE run_id = ?1 ORDER BY t_ms, bus, phase");
    st.bind(1, id);
    std::vector<BusVoltageRow> out;
    while (st.step())
        out.push_back({Time(st.int64(0)), static_cast<std::uint32_t>(st.int64(1)),
                       static_cast<int>(st.int64(2)), st.real(3)});
    return out;
}

}  // namespace evtwin
