#include "record/reader/run_reader.hpp"

#include "record/reader/reader_rows.hpp"
#include "record/schema/schema.hpp"
#include "record/schema/sqlite_db.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace evtwin {

namespace {

using sqlite::Stmt;

[[noreturn]] void bad_value(const sqlite::Db& db, const char* table, const char* column,
                            const std::string& v) {
    throw ResultsError(db.file().string() + ": table " + table + ", column " + column + ": unknown value '" +
                       v + "'");
}

NodeKind parse_node_kind(const sqlite::Db& db, const std::string& s) {
    for (auto k :
         {NodeKind::grid, NodeKind::transformer, NodeKind::feeder, NodeKind::charger, NodeKind::connector})
        if (s == to_string(k)) return k;
    bad_value(db, "nodes", "kind", s);
}

PilotState parse_state(const sqlite::Db& db, const std::string& s) {
    for (auto k : {PilotState::A, PilotState::B, PilotState::C, PilotState::E, PilotState::F})
        if (s == to_string(k)) return k;
    bad_value(db, "connector_series", "state", s);
}

RunStatus parse_status(const sqlite::Db& db, const std::string& s) {
    for (auto k : {RunStatus::running, RunStatus::complete, RunStatus::interrupted, RunStatus::failed})
        if (s == to_string(k)) return k;
    bad_value(db, "runs", "status", s);
}

// The drivers' tariff the run's configuration holds (economics.charging_tariff), else "". Only a
// configuration that names one is parsed.
// The economics that only config_json holds (a charging tariff, a price of curtailment), where set.
void read_config_economics(const sqlite::Db& db, const std::string& config_json, Economics& out) {
    if (config_json.find("\"charging_tariff\"") == std::string::npos &&
        config_json.find("\"pv_curtailment_cost_per_kwh\"") == std::string::npos)
        return;
    try {
        const auto config = nlohmann::json::parse(config_json);
        const auto economics = config.find("economics");
        if (economics == config.end()) return;
        if (economics->contains("charging_tariff"))
            out.charging_tariff = economics->at("charging_tariff").dump();
        out.pv_curtailment_cost_per_kwh = economics->value("pv_curtailment_cost_per_kwh", 0.0);
    } catch (const nlohmann::json::exception& e) {
        throw ResultsError(db.file().string() + ": table runs, column config_json: " + e.what());
    }
}

constexpr const char* kRunColumns =
    "run_id, scenario_name, scenario_file, strategy_name, strategy_version, strategy_options, seed, "
    "engine_version, "
    "start_ms, end_ms, ended_ms, control_period_ms, forecast_horizon_ms, timezone, tariff_name, currency, "
    "status, "
    "charging_price_per_kwh, v2g_price_factor, ev_degradation_per_kwh, ess_degradation_per_kwh, config_json";

RunRecord read_run(const sqlite::Db& db, const Stmt& st) {
    RunRecord r;
    r.id = st.int64(0);
    r.info.scenario_name = st.text(1);
    r.info.scenario_file = st.text(2);
    r.info.strategy_name = st.text(3);
    r.info.strategy_version = st.text(4);
    r.info.strategy_options = st.text(5);
    r.info.seed = static_cast<std::uint64_t>(st.int64(6));
    r.info.engine_version = st.text(7);
    r.start = Time(st.int64(8));
    r.end = Time(st.int64(9));
    if (!st.is_null(10)) r.ended = Time(st.int64(10));
    r.control_period = Duration(st.int64(11));
    r.forecast_horizon = Duration(st.int64(12));
    r.timezone = st.text(13);
    r.tariff_name = st.text(14);
    r.currency = st.text(15);
    r.status = parse_status(db, st.text(16));
    r.economics.charging_price_per_kwh = st.real(17);
    r.economics.v2g_price_factor = st.real(18);
    r.economics.ev_degradation_per_kwh = st.real(19);
    r.economics.ess_degradation_per_kwh = st.real(20);
    r.config_json = st.text(21);
    read_config_economics(db, r.config_json, r.economics);
    return r;
}

NodeRow read_node_row(const Stmt& st) {
    return {Time(st.int64(0)), static_cast<NodeIndex>(st.int64(1)), st.real(2)};
}

ConnectorRow read_connector_row(const sqlite::Db& db, const Stmt& st) {
    return {Time(st.int64(0)), static_cast<ConnectorIndex>(st.int64(1)), st.real(2), st.real(3),
            parse_state(db, st.text(4))};
}

}  // namespace

namespace reader_rows {

EventKind parse_event_kind(const sqlite::Db& db, const std::string& s) {
    for (const EventKind k : kEventKinds)
        if (s == to_string(k)) return k;
    bad_value(db, "events", "kind", s);
}

std::uint32_t index_or_none(const Stmt& st, int col) {
    return st.is_null(col) ? kNone : static_cast<std::uint32_t>(st.int64(col));
}

std::string window_query(const std::string& columns, const std::string& table, const std::string& key) {
    const std::string where = "WHERE run_id = ?1 AND " + (key.empty() ? std::string() : key + " = ?4 AND ");
    return "SELECT " + columns + " FROM " + table + " " + where +
           "t_ms < ?3 AND t_ms >= coalesce((SELECT max(t_ms) FROM " + table + " " + where +
           "t_ms <= ?2), ?2) ORDER BY t_ms";
}

void bind_window(Stmt& st, RunId id, Time from, Time to) {
    st.bind(1, id).bind(2, from.ms()).bind(3, to.ms());
}

}  // namespace reader_rows

RunReader::RunReader(const std::filesystem::path& file)
    : db_(std::make_unique<sqlite::Db>(file, sqlite::Db::Mode::read_only)) {
    results_schema::check(*db_);
}

RunReader::~RunReader() = default;
RunReader::RunReader(RunReader&&) noexcept = default;
RunReader& RunReader::operator=(RunReader&&) noexcept = default;

const std::filesystem::path& RunReader::file() const {
    return db_->file();
}

std::vector<RunRecord> RunReader::runs() const {
    Stmt st(*db_, std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY run_id");
    std::vector<RunRecord> out;
    while (st.step()) out.push_back(read_run(*db_, st));
    return out;
}

RunRecord RunReader::run(RunId id) const {
    Stmt st(*db_, std::string("SELECT ") + kRunColumns + " FROM runs WHERE run_id = ?1");
    st.bind(1, id);
    if (!st.step()) throw ResultsError(db_->file().string() + ": no run with id " + std::to_string(id));
    return read_run(*db_, st);
}

RunId RunReader::latest_run() const {
    Stmt st(*db_, "SELECT max(run_id) FROM runs");
    if (!st.step() || st.is_null(0)) throw ResultsError(db_->file().string() + ": the file holds no run");
    return st.int64(0);
}

void RunReader::require_run(RunId id) const {
    Stmt st(*db_, "SELECT 1 FROM runs WHERE run_id = ?1");
    st.bind(1, id);
    if (!st.step()) throw ResultsError(db_->file().string() + ": no run with id " + std::to_string(id));
}

SiteTree RunReader::site(RunId id) const {
    require_run(id);
    SiteTree tree;
    constexpr double inf = std::numeric_limits<double>::infinity();
    Stmt nodes(*db_,
               "SELECT node, parent, kind, name, import_limit_kw, export_limit_kw FROM nodes "
               "WHERE run_id = ?1 ORDER BY node");
    nodes.bind(1, id);
    while (nodes.step())
        tree.nodes.push_back({static_cast<NodeIndex>(nodes.int64(0)), reader_rows::index_or_none(nodes, 1),
                              parse_node_kind(*db_, nodes.text(2)), nodes.text(3), nodes.real_or(4, inf),
                              nodes.real_or(5, inf)});
    Stmt conns(
        *db_,
        "SELECT connector, name, node, charger_node, charger, charger_name, max_kw, min_kw, efficiency, "
        "dc, v2g_capable, setpoints_kw, voltage_v, phase_deg FROM connectors WHERE run_id = ?1 "
        "ORDER BY connector");
    conns.bind(1, id);
    while (conns.step()) {
        ConnectorRecord c;
        c.index = static_cast<ConnectorIndex>(conns.int64(0));
        c.name = conns.text(1);
        c.node = static_cast<NodeIndex>(conns.int64(2));
        c.charger_node = static_cast<NodeIndex>(conns.int64(3));
        c.charger = static_cast<std::uint32_t>(conns.int64(4));
        c.charger_name = conns.text(5);
        c.max_kw = conns.real(6);
        c.min_kw = conns.real(7);
        c.efficiency = conns.real(8);
        c.dc = conns.int64(9) != 0;
        c.v2g_capable = conns.int64(10) != 0;
        const auto setpoints = nlohmann::json::parse(conns.text(11), nullptr, false);
        if (!setpoints.is_array()) bad_value(*db_, "connectors", "setpoints_kw", conns.text(11));
        for (const auto& v : setpoints) {
            if (!v.is_number()) bad_value(*db_, "connectors", "setpoints_kw", conns.text(11));
            c.setpoints_kw.push_back(v.get<double>());
        }
        c.voltage_v = conns.real(12);
        c.phase_deg = conns.real(13);
        tree.connectors.push_back(std::move(c));
    }
    Stmt phases(*db_,
                "SELECT phase_constraint, name, limit_a FROM phase_constraints WHERE run_id = ?1 "
                "ORDER BY phase_constraint");
    phases.bind(1, id);
    while (phases.step())
        tree.phase_constraints.push_back(
            {static_cast<std::uint32_t>(phases.int64(0)), phases.text(1), phases.real_or(2, inf), {}});
    Stmt terms(*db_,
               "SELECT phase_constraint, charger, charger_name, coefficient FROM phase_constraint_terms "
               "WHERE run_id = ?1 ORDER BY phase_constraint, term");
    terms.bind(1, id);
    while (terms.step()) {
        const auto k = static_cast<std::size_t>(terms.int64(0));
        auto it = std::find_if(tree.phase_constraints.begin(), tree.phase_constraints.end(),
                               [k](const PhaseConstraintRecord& r) { return r.index == k; });
        if (it == tree.phase_constraints.end())
            bad_value(*db_, "phase_constraint_terms", "phase_constraint", std::to_string(k));
        it->terms.push_back({static_cast<std::uint32_t>(terms.int64(1)), terms.text(2), terms.real(3)});
    }
    Stmt pv(*db_, "SELECT pv, name, node, kwp FROM pv WHERE run_id = ?1 ORDER BY pv");
    pv.bind(1, id);
    while (pv.step())
        tree.pv.push_back({static_cast<std::uint32_t>(pv.int64(0)), pv.text(1),
                           static_cast<NodeIndex>(pv.int64(2)), pv.real(3)});
    Stmt ess(*db_,
             "SELECT name, node, capacity_kwh, max_charge_kw, max_discharge_kw, charge_efficiency, "
             "discharge_efficiency, soc_min, soc_max, soc_initial, end_value_per_kwh, end_soc, grid_charge, "
             "grid_discharge, priority FROM ess WHERE run_id = ?1 ORDER BY ess");
    ess.bind(1, id);
    while (ess.step()) {
        const std::optional<double> end_soc =
            ess.is_null(11) ? std::nullopt : std::optional<double>(ess.real(11));
        tree.ess.push_back(EssRecord{{ess.text(0), static_cast<NodeIndex>(ess.int64(1)), ess.real(2),
                                      ess.real(3), ess.real(4), ess.real(5), ess.real(6), ess.real(7),
                                      ess.real(8), ess.real(9), ess.real(10), end_soc, ess.int64(12) != 0,
                                      ess.int64(13) != 0, static_cast<int>(ess.int64(14))}});
    }
    Stmt loads(*db_, "SELECT load, name, node FROM loads WHERE run_id = ?1 ORDER BY load");
    loads.bind(1, id);
    while (loads.step())
        tree.loads.push_back({static_cast<std::uint32_t>(loads.int64(0)), loads.text(1),
                              static_cast<NodeIndex>(loads.int64(2))});
    return tree;
}

void RunReader::for_each_session(RunId id, const std::function<void(const SessionRecord&)>& fn) const {
    require_run(id);
    Stmt st(
        *db_,
        "SELECT session, connector, vehicle_model, arrival_ms, departure_ms, declared_departure_ms, "
        "capacity_kwh, initial_soc, final_soc, requested_kwh, delivered_kwh, charged_kwh, discharged_kwh, "
        "grid_kwh, departed, vehicle_id, soh, fade_calendar, fade_cycling, value_per_fade, goal_kwh "
        "FROM sessions WHERE run_id = ?1 ORDER BY session");
    st.bind(1, id);
    SessionRecord r;  // one record refilled: its strings keep their buffers
    while (st.step()) {
        r.id = static_cast<SessionId>(st.int64(0));
        r.connector = reader_rows::index_or_none(st, 1);
        r.vehicle_model.assign(st.text_view(2));
        r.arrival = Time(st.int64(3));
        r.departure = Time(st.int64(4));
        r.declared_departure = Time(st.int64(5));
        r.capacity_kwh = st.real(6);
        r.initial_soc = st.real(7);
        r.final_soc = st.real(8);
        r.requested_kwh = st.real(9);
        r.delivered_kwh = st.real(10);
        r.charged_kwh = st.real(11);
        r.discharged_kwh = st.real(12);
        r.grid_kwh = st.real(13);
        r.departed = st.int64(14) != 0;
        r.vehicle_id.assign(st.text_view(15));
        r.soh = st.real(16);
        r.fade_calendar = st.real(17);
        r.fade_cycling = st.real(18);
        r.value_per_fade = st.real(19);
        r.goal_kwh = st.is_null(20) ? -1.0 : st.real(20);
        fn(r);
    }
}

std::vector<SessionRecord> RunReader::sessions(RunId id) const {
    std::vector<SessionRecord> out;
    for_each_session(id, [&](const SessionRecord& r) { out.push_back(r); });
    return out;
}

void RunReader::for_each_site_row(RunId id, const std::function<void(const SiteRow&)>& fn, Time from,
                                  Time to) const {
    require_run(id);
    Stmt st(*db_,
            reader_rows::window_query(
                "t_ms, grid_kw, ev_kw, pv_kw, pv_curtailed_kw, ess_kw, ess_soc, load_kw", "site_series"));
    reader_rows::bind_window(st, id, from, to);
    while (st.step())
        fn({Time(st.int64(0)),
            SiteSample{st.real(1), st.real(2), st.real(3), st.real(4), st.real(5), st.real(6), st.real(7)}});
}

std::vector<SiteRow> RunReader::site_series(RunId id, Time from, Time to) const {
    std::vector<SiteRow> out;
    for_each_site_row(
        id, [&](const SiteRow& r) { out.push_back(r); }, from, to);
    return out;
}

std::vector<NodeRow> RunReader::node_series(RunId id, NodeIndex node, Time from, Time to) const {
    require_run(id);
    Stmt st(*db_, reader_rows::window_query("t_ms, node, flow_kw", "node_series", "node"));
    reader_rows::bind_window(st, id, from, to);
    st.bind(4, std::int64_t{node});
    std::vector<NodeRow> out;
    while (st.step()) out.push_back(read_node_row(st));
    return out;
}

std::vector<NodeRow> RunReader::node_series(RunId id) const {
    require_run(id);
    Stmt st(*db_, "SELECT t_ms, node, flow_kw FROM node_series WHERE run_id = ?1 ORDER BY node, t_ms");
    st.bind(1, id);
    std::vector<NodeRow> out;
    while (st.step()) out.push_back(read_node_row(st));
    return out;
}

std::vector<ConnectorRow> RunReader::connector_series(RunId id, ConnectorIndex c, Time from, Time to) const {
    require_run(id);
    Stmt st(*db_, reader_rows::window_query("t_ms, connector, grid_kw, soc, state", "connector_series",
                                            "connector"));
    reader_rows::bind_window(st, id, from, to);
    st.bind(4, std::int64_t{c});
    std::vector<ConnectorRow> out;
    while (st.step()) out.push_back(read_connector_row(*db_, st));
    return out;
}

void RunReader::for_each_connector_row(RunId id, const std::function<void(const ConnectorRow&)>& fn) const {
    require_run(id);
    Stmt st(*db_,
            "SELECT t_ms, connector, grid_kw, soc, state FROM connector_series WHERE run_id = ?1 "
            "ORDER BY connector, t_ms");
    st.bind(1, id);
    while (st.step()) fn(read_connector_row(*db_, st));
}

std::vector<EssRow> RunReader::ess_series(RunId id) const {
    require_run(id);
    Stmt st(*db_, "SELECT t_ms, ess, grid_kw, soc FROM ess_series WHERE run_id = ?1 ORDER BY ess, t_ms");
    st.bind(1, id);
    std::vector<EssRow> out;
    while (st.step())
        out.push_back({Time(st.int64(0)), static_cast<std::uint32_t>(st.int64(1)), st.real(2), st.real(3)});
    return out;
}

std::vector<ConnectorRow> RunReader::connector_series(RunId id) const {
    std::vector<ConnectorRow> out;
    for_each_connector_row(id, [&](const ConnectorRow& r) { out.push_back(r); });
    return out;
}

std::vector<EventRow> RunReader::events(RunId id) const {
    require_run(id);
    Stmt st(*db_, "SELECT t_ms, kind, connector, session, detail FROM events WHERE run_id = ?1 ORDER BY seq");
    st.bind(1, id);
    std::vector<EventRow> out;
    while (st.step())
        out.push_back({Time(st.int64(0)), reader_rows::parse_event_kind(*db_, st.text(1)),
                       reader_rows::index_or_none(st, 2), reader_rows::index_or_none(st, 3), st.text(4)});
    return out;
}

std::vector<ViolationRow> RunReader::violations(RunId id) const {
    require_run(id);
    Stmt st(*db_,
            "SELECT t_ms, kind, node, connector, requested_kw, applied_kw, phase_constraint, ess FROM "
            "violations WHERE run_id = ?1 ORDER BY seq");
    st.bind(1, id);
    std::vector<ViolationRow> out;
    while (st.step())
        out.push_back({Time(st.int64(0)),
                       Violation{st.text(1), reader_rows::index_or_none(st, 2),
                                 reader_rows::index_or_none(st, 3), st.real(4), st.real(5),
                                 reader_rows::index_or_none(st, 6), reader_rows::index_or_none(st, 7)}});
    return out;
}

std::vector<PriceRow> RunReader::tariff_prices(RunId id) const {
    require_run(id);
    Stmt st(*db_,
            "SELECT t_ms, import_price, export_price FROM tariff_prices WHERE run_id = ?1 ORDER BY t_ms");
    st.bind(1, id);
    std::vector<PriceRow> out;
    while (st.step()) out.push_back({Time(st.int64(0)), st.real(1), st.real(2)});
    return out;
}

std::vector<Kpi> RunReader::kpis(RunId id) const {
    require_run(id);
    std::vector<Kpi> out;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const char* table : {"kpis", "timing_kpis"}) {
        Stmt st(*db_, std::string("SELECT name, value, unit FROM ") + table +
                          " WHERE run_id = ?1 ORDER BY position, name");
        st.bind(1, id);
        while (st.step())
            out.push_back({st.text(0), st.real_or(1, nan), st.text(2), std::string(table) == "kpis"});
    }
    return out;
}

std::vector<DecisionTimeRow> RunReader::decision_times(RunId id) const {
    require_run(id);
    Stmt st(*db_, "SELECT t_ms, seconds FROM decision_times WHERE run_id = ?1 ORDER BY seq");
    st.bind(1, id);
    std::vector<DecisionTimeRow> out;
    while (st.step()) out.push_back({Time(st.int64(0)), st.real(1)});
    return out;
}

DecisionTimeStats RunReader::decision_time_stats(RunId id) const {
    require_run(id);
    Stmt st(*db_, "SELECT count(*), avg(seconds), max(seconds) FROM decision_times WHERE run_id = ?1");
    st.bind(1, id);
    DecisionTimeStats stats;
    if (st.step() && st.int64(0) > 0) stats = {st.int64(0), st.real(1), st.real(2)};
    return stats;
}

RunTiming RunReader::timing(RunId id) const {
    require_run(id);
    Stmt st(*db_, "SELECT wall_started_utc, wall_seconds FROM run_timing WHERE run_id = ?1");
    st.bind(1, id);
    RunTiming t;
    if (st.step()) {
        t.wall_started_utc = st.text(0);
        if (!st.is_null(1)) t.wall_seconds = st.real(1);
    }
    return t;
}

}  // namespace evtwin
