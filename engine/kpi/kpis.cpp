#include "kpi/kpis.hpp"

#include "kpi/feeder_totals.hpp"
#include "kpi/run_totals.hpp"
#include "record/reader/run_reader.hpp"
#include "record/schema/sqlite_db.hpp"
#include "record/writer/run_update.hpp"

#include <cmath>
#include <future>
#include <limits>
#include <set>

namespace evtwin {

constexpr std::size_t kMaxEventRows = std::numeric_limits<std::size_t>::max();

RunTotals read_run_totals(const RunReader& reader, RunId id, Time bound, bool every_connector) {
    SiteTree tree = reader.site(id);
    const std::size_t connectors = tree.connectors.size();
    const RunRecord run = reader.run(id);
    auto revenue = session_revenue(run.economics, run.timezone, tree);
    every_connector = every_connector || revenue.has_value();
    RunTotals totals(std::move(tree), run.start, bound, std::move(revenue));

    // The sessions are read on a connection of their own while this one reads the site series.
    auto sessions_read =
        std::async(std::launch::async, [&] { return RunReader(reader.file()).sessions(id); });
    reader.for_each_site_row(id, [&](const SiteRow& r) { totals.site_row(r.t, r.s); });
    for (const EssRow& r : reader.ess_series(id)) totals.ess_row(r.t, r.ess, r.grid_kw, r.soc);
    // Reservations' events before the sessions: an honoured one marks its session's energy.
    for (const EventKind kind :
         {EventKind::reservation, EventKind::reservation_refused, EventKind::reservation_honoured,
          EventKind::reservation_expired, EventKind::reservation_cancelled})
        for (const EventRow& e : reader.events(id, Time::min(), Time::max(), kMaxEventRows, kind))
            totals.event(e.kind, e.session);
    std::set<ConnectorIndex> discharging;
    for (const SessionRecord& s : sessions_read.get()) {
        totals.session(s);
        if (s.discharged_kwh > 0.0 && s.connector != kNone) discharging.insert(s.connector);
    }
    if (every_connector)
        for (ConnectorIndex c = 0; c < connectors; ++c) discharging.insert(c);
    for (const ConnectorIndex c : discharging)
        for (const ConnectorRow& r : reader.connector_series(id, c)) totals.connector_row(r.t, c, r.grid_kw);
    for (const BatteryUsage& u : reader.battery_health(id)) totals.battery(u);
    const auto violations = reader.violations(id);
    for (const ViolationRow& v : violations) totals.violation(v.t, v.v);
    if (!violations.empty())
        for (const DecisionTimeRow& d : reader.decision_times(id)) totals.decision(d.t);
    return totals;
}

std::vector<Kpi> compute_kpis(const RunReader& reader, RunId id, const Tariff& tariff,
                              const Economics& economics,
                              const std::optional<DecisionTimeStats>& decision_times) {
    const Time end = reader.run(id).data_end();
    const RunTotals totals = read_run_totals(reader, id, end, false);
    std::vector<Kpi> kpis = totals.kpis(end, tariff, economics,
                                        decision_times ? *decision_times : reader.decision_time_stats(id));
    if (const auto feeder = read_feeder_totals(reader, id, end))
        for (Kpi& k : feeder->kpis(end)) kpis.push_back(std::move(k));
    return kpis;
}

const std::vector<std::string>& kpi_names() {
    // Keep in step with RunTotals::kpis (tests/cli/compare_test.cpp checks the two agree).
    static const std::vector<std::string> names = {
        "energy_cost",
        "demand_charge",
        "export_revenue",
        "charging_revenue",
        "v2g_revenue",
        "ev_degradation_cost",
        "ess_degradation_cost",
        "ev_degradation_calendar",
        "ev_degradation_cycling",
        "ess_degradation_calendar",
        "ess_degradation_cycling",
        "ev_fade",
        "ess_fade",
        "cpo_profit",
        "grid_import",
        "grid_export",
        "peak_import",
        "sessions",
        "sessions_rejected",
        "sessions_fully_served",
        "sessions_fully_served_feasible",
        "energy_requested",
        "energy_delivered",
        "energy_served",
        "energy_served_feasible",
        "user_satisfaction",
        "unmet_energy",
        "limit_violations",
        "clipped_energy",
        "pv_energy",
        "pv_curtailed",
        "pv_self_consumption",
        "ess_throughput",
        "ess_equivalent_cycles",
        "ev_v2g_throughput",
        "v2g_grid_energy",
        "decision_time_mean",
        "decision_time_max",
    };
    return names;
}

const std::vector<std::string>& reservation_kpi_names() {
    // Keep in step with RunTotals::kpis.
    static const std::vector<std::string> names = {"reservations",           "reservations_refused",
                                                   "reservations_honoured",  "reservation_no_shows",
                                                   "reservations_cancelled", "reserved_energy"};
    return names;
}

void write_kpis(sqlite::Db& db, RunId id, const std::vector<Kpi>& kpis) {
    for (const char* table : {"kpis", "timing_kpis"}) {
        sqlite::Stmt(db, std::string("DELETE FROM ") + table + " WHERE run_id = ?1").bind(1, id).run();
        sqlite::Stmt insert(db, std::string("INSERT INTO ") + table +
                                    " (run_id, name, position, value, unit) VALUES (?1, ?2, ?3, ?4, ?5)");
        const bool reproducible = std::string(table) == "kpis";
        std::int64_t position = 0;
        for (const auto& k : kpis) {
            ++position;
            if (k.reproducible != reproducible) continue;
            insert.bind(1, id).bind(2, k.name).bind(3, position).bind(5, k.unit);
            if (std::isnan(k.value))
                insert.bind_null(4);
            else
                insert.bind(4, k.value);
            insert.run();
        }
    }
}

void store_kpis(const std::filesystem::path& file, RunId id, const std::vector<Kpi>& kpis) {
    update_run(file, id, [&](sqlite::Db& db) { write_kpis(db, id, kpis); });
}

void store_kpis(sqlite::Db& db, RunId id, const std::vector<Kpi>& kpis) {
    update_run(db, id, [&](sqlite::Db& in) { write_kpis(in, id, kpis); });
}

}  // namespace evtwin
