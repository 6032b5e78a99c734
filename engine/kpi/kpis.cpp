#include "kpi/kpis.hpp"

#include "model/bill.hpp"
#include "record/run_reader.hpp"
#include "record/run_update.hpp"
#include "record/sqlite_db.hpp"

#include <algorithm>
#include <cmath>
#include <future>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace evtwin {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio_pct(double part, double whole) {
    return whole > 0.0 ? 100.0 * part / whole : kNaN;
}

// Energy at constant `kw` over [from, to), each piece weighted by the import price in force.
double import_priced(const Tariff& tariff, Time from, Time to, double kw) {
    double sum = 0.0;
    for (Time t = from; t < to;) {
        Time next = std::min(to, tariff.next_change(t));
        if (next <= t) next = to;  // a tariff that does not advance: price holds to the end
        sum += kw * (next - t).hours_f() * tariff.import_price(t);
        t = next;
    }
    return sum;
}

struct V2gGrid {
    double kwh = 0.0;    // energy fed by vehicles at the chargers' grid side
    double value = 0.0;  // the same, times the import price at the time
};

// `discharging`: the connectors whose sessions fed energy back.
V2gGrid v2g_at_grid_side(const RunReader& reader, RunId id, const std::set<ConnectorIndex>& discharging,
                         const Tariff& tariff, Time start, Time end) {
    V2gGrid out;
    // A connector's row holds until its next row.
    for (const ConnectorIndex c : discharging) {
        const std::vector<ConnectorRow> rows = reader.connector_series(id, c);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Time from = std::max(rows[i].t, start);
            const Time to = std::min(i + 1 < rows.size() ? rows[i + 1].t : end, end);
            if (rows[i].grid_kw < 0.0 && from < to) {
                out.kwh += -rows[i].grid_kw * (to - from).hours_f();
                out.value += import_priced(tariff, from, to, -rows[i].grid_kw);
            }
        }
    }
    return out;
}

// EV2Gym's user satisfaction of a departing vehicle (EV.get_user_satisfaction): the energy it holds
// over the energy it wanted to hold, 1 when within the served tolerance. EV2Gym's vehicles want a
// full battery; here they want their initial energy plus their request.
double user_satisfaction(const SessionRecord& s) {
    const double initial = s.initial_soc * s.capacity_kwh;
    const double wanted = initial + s.requested_kwh;
    const double held = initial + s.delivered_kwh;
    if (held >= wanted - kServedToleranceKwh || wanted <= 0.0) return 1.0;
    return std::max(held, 0.0) / wanted;
}

// Modelled battery wear summed over batteries: fade in % SoH points, and its cost.
struct Wear {
    double calendar_cost = 0.0;
    double cycling_cost = 0.0;
    double fade_pct = 0.0;
    void add(double calendar_fade, double cycling_fade, double value_per_fade) {
        calendar_cost += calendar_fade * value_per_fade;
        cycling_cost += cycling_fade * value_per_fade;
        fade_pct += 100.0 * (calendar_fade + cycling_fade);
    }
    double cost() const { return calendar_cost + cycling_cost; }
};

// The site series' totals: the grid bill, and PV and ESS energy. A row holds until the next one.
struct SiteTotals {
    Bill bill;
    double pv_kwh = 0.0, pv_curtailed_kwh = 0.0, pv_used_kwh = 0.0, ess_in_kwh = 0.0, ess_out_kwh = 0.0;

    SiteTotals(const RunReader& reader, RunId id, const Tariff& tariff, Time start, Time end) {
        std::vector<PowerStep> grid;
        std::optional<SiteRow> held;
        const auto integrate_held = [&](Time next) {
            const Time from = std::max(held->t, start);
            const Time to = std::min(next, end);
            if (!(from < to)) return;
            const SiteSample& r = held->s;
            const double h = (to - from).hours_f();
            const double export_kw = std::max(-r.grid_kw, 0.0);
            pv_kwh += r.pv_kw * h;
            pv_curtailed_kwh += r.pv_curtailed_kw * h;
            // Export is counted as PV first: PV used on site is what PV produced beyond the export.
            pv_used_kwh += (r.pv_kw - std::min(r.pv_kw, export_kw)) * h;
            ess_in_kwh += std::max(r.ess_kw, 0.0) * h;
            ess_out_kwh += std::max(-r.ess_kw, 0.0) * h;
        };
        reader.for_each_site_row(id, [&](const SiteRow& r) {
            grid.push_back({r.t, r.s.grid_kw});
            if (held) integrate_held(r.t);
            held = r;
        });
        if (held) integrate_held(end);
        bill = compute_bill(tariff, grid, start, end);
    }
};

// The sessions' totals, the modelled fade the site caused to their batteries (docs/battery.md), and
// the strategy's decision times.
struct SessionTotals {
    double delivered = 0.0, requested = 0.0, served = 0.0, ev_discharged = 0.0;
    double feasible_total = 0.0, served_of_feasible = 0.0, satisfaction = 0.0;
    std::size_t sessions = 0, rejected = 0, fully = 0, connected = 0, fully_feasible = 0, departed = 0;
    std::set<ConnectorIndex> discharging;  // connectors whose sessions fed energy back
    Wear ev_wear;
    double decision_mean_ms = kNaN, decision_max_ms = kNaN;

    SessionTotals(const RunReader& reader, RunId id, const SiteTree& tree,
                  const std::optional<DecisionTimeStats>& decision_times) {
        reader.for_each_session(id, [&](const SessionRecord& s) { add(s, tree); });
        const DecisionTimeStats times = decision_times ? *decision_times : reader.decision_time_stats(id);
        if (times.count == 0) return;
        decision_mean_ms = 1000.0 * times.mean_seconds;
        decision_max_ms = 1000.0 * times.max_seconds;
    }

    void add(const SessionRecord& s, const SiteTree& tree) {
        ++sessions;
        ev_wear.add(s.fade_calendar, s.fade_cycling, s.value_per_fade);
        if (s.departed) {
            satisfaction += user_satisfaction(s);
            ++departed;
        }
        delivered += s.delivered_kwh;
        requested += s.requested_kwh;
        served += std::min(std::max(s.delivered_kwh, 0.0), s.requested_kwh);
        ev_discharged += s.discharged_kwh;
        if (s.delivered_kwh >= s.requested_kwh - kServedToleranceKwh) ++fully;
        if (s.connector == kNone || s.connector >= tree.connectors.size()) {
            ++rejected;
            return;
        }
        ++connected;
        // A negative connector row lasting any time adds to its session's discharged_kwh.
        if (s.discharged_kwh > 0.0) discharging.insert(s.connector);
        const ConnectorRecord& c = tree.connectors[s.connector];
        const double dwell_h = std::max((s.departure - s.arrival).hours_f(), 0.0);
        const double feasible =
            std::min({s.requested_kwh, s.capacity_kwh * std::max(1.0 - s.initial_soc, 0.0),
                      c.max_kw * c.efficiency * dwell_h});
        if (s.delivered_kwh >= feasible - kServedToleranceKwh) ++fully_feasible;
        feasible_total += feasible;
        served_of_feasible += std::clamp(s.delivered_kwh, 0.0, feasible);
    }
};

}  // namespace

std::vector<Kpi> compute_kpis(const RunReader& reader, RunId id, const Tariff& tariff,
                              const Economics& economics,
                              const std::optional<DecisionTimeStats>& decision_times) {
    const RunRecord run = reader.run(id);
    const Time start = run.start;
    const Time end = run.data_end();
    const std::string cur = tariff.currency();
    const auto tree = reader.site(id);

    // The sessions are read on a connection of their own while this one reads the site series.
    auto sessions_read = std::async(std::launch::async, [&] {
        const RunReader own(reader.file());
        return SessionTotals(own, id, tree, decision_times);
    });
    const SiteTotals site(reader, id, tariff, start, end);
    const SessionTotals s = sessions_read.get();
    const Bill& bill = site.bill;
    double ess_cycles = 0.0;
    if (tree.ess && tree.ess->capacity_kwh > 0.0) {
        const EssRecord& e = *tree.ess;
        const double stored_in = site.ess_in_kwh * e.charge_efficiency;
        const double stored_out =
            e.discharge_efficiency > 0.0 ? site.ess_out_kwh / e.discharge_efficiency : 0.0;
        ess_cycles = (stored_in + stored_out) / (2.0 * e.capacity_kwh);
    }
    const double ess_throughput = site.ess_in_kwh + site.ess_out_kwh;

    const V2gGrid v2g = v2g_at_grid_side(reader, id, s.discharging, tariff, start, end);
    const double v2g_payments = v2g.value * economics.v2g_price_factor;
    const double charging_revenue = s.delivered * economics.charging_price_per_kwh;
    // Wear: the modelled fade at what the battery is worth, plus the economics' flat charges per kWh.
    Wear ess_wear;
    for (const auto& b : reader.battery_health(id))
        if (b.battery == "ess") ess_wear.add(b.calendar_fade, b.cycling_fade, b.value_per_fade);
    const double ev_degradation = s.ev_discharged * economics.ev_degradation_per_kwh + s.ev_wear.cost();
    const double ess_degradation = ess_throughput * economics.ess_degradation_per_kwh + ess_wear.cost();
    const double profit = charging_revenue + bill.export_revenue - bill.energy_cost - bill.demand_charge -
                          v2g_payments - ev_degradation - ess_degradation;

    // Violations: clipped power times how long the clipped decision stood (to the next decision).
    const auto violations = reader.violations(id);
    std::vector<Time> decisions;
    if (!violations.empty())
        for (const auto& e : reader.events(id))
            if (e.kind == EventKind::decision) decisions.push_back(e.t);
    double clipped_kwh = 0.0;
    for (const auto& v : violations) {
        const auto next = std::upper_bound(decisions.begin(), decisions.end(), v.t);
        const Time until = std::min(next == decisions.end() ? end : *next, end);
        if (v.t < until) clipped_kwh += std::abs(v.v.requested_kw - v.v.applied_kw) * (until - v.t).hours_f();
    }

    const double n_sessions = static_cast<double>(s.sessions);
    return {
        {"energy_cost", bill.energy_cost, cur},
        {"demand_charge", bill.demand_charge, cur},
        {"export_revenue", bill.export_revenue, cur},
        {"charging_revenue", charging_revenue, cur},
        {"v2g_revenue", v2g_payments, cur},
        {"ev_degradation_cost", ev_degradation, cur},
        {"ess_degradation_cost", ess_degradation, cur},
        {"ev_degradation_calendar", s.ev_wear.calendar_cost, cur},
        {"ev_degradation_cycling", s.ev_wear.cycling_cost, cur},
        {"ess_degradation_calendar", ess_wear.calendar_cost, cur},
        {"ess_degradation_cycling", ess_wear.cycling_cost, cur},
        {"ev_fade", s.ev_wear.fade_pct, "% SoH, all EVs"},  // summed over every session
        {"ess_fade", ess_wear.fade_pct, "% SoH"},
        {"cpo_profit", profit, cur},
        {"grid_import", bill.import_kwh, "kWh"},
        {"grid_export", bill.export_kwh, "kWh"},
        {"peak_import", bill.peak_import_kw, "kW"},
        {"sessions", n_sessions, "count"},
        {"sessions_rejected", static_cast<double>(s.rejected), "count"},
        {"sessions_fully_served", ratio_pct(static_cast<double>(s.fully), n_sessions), "%"},
        {"sessions_fully_served_feasible",
         ratio_pct(static_cast<double>(s.fully_feasible), static_cast<double>(s.connected)), "%"},
        {"energy_requested", s.requested, "kWh"},
        {"energy_delivered", s.delivered, "kWh"},
        {"energy_served", ratio_pct(s.served, s.requested), "%"},
        {"energy_served_feasible", ratio_pct(s.served_of_feasible, s.feasible_total), "%"},
        {"user_satisfaction", ratio_pct(s.satisfaction, static_cast<double>(s.departed)), "%"},
        {"unmet_energy", s.requested - s.served, "kWh"},
        {"limit_violations", static_cast<double>(violations.size()), "count"},
        {"clipped_energy", clipped_kwh, "kWh"},
        {"pv_energy", site.pv_kwh, "kWh"},
        {"pv_curtailed", site.pv_curtailed_kwh, "kWh"},
        {"pv_self_consumption", ratio_pct(site.pv_used_kwh, site.pv_kwh), "%"},
        {"ess_throughput", ess_throughput, "kWh"},
        {"ess_equivalent_cycles", ess_cycles, "cycles"},
        {"ev_v2g_throughput", s.ev_discharged, "kWh"},
        {"v2g_grid_energy", v2g.kwh, "kWh"},
        {"decision_time_mean", s.decision_mean_ms, "ms", false},
        {"decision_time_max", s.decision_max_ms, "ms", false},
    };
}

const std::vector<std::string>& kpi_names() {
    // Keep in step with compute_kpis (tests/cli/compare_test.cpp checks the two agree).
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

namespace {

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

}  // namespace

void store_kpis(const std::filesystem::path& file, RunId id, const std::vector<Kpi>& kpis) {
    update_run(file, id, [&](sqlite::Db& db) { write_kpis(db, id, kpis); });
}

void store_kpis(sqlite::Db& db, RunId id, const std::vector<Kpi>& kpis) {
    update_run(db, id, [&](sqlite::Db& in) { write_kpis(in, id, kpis); });
}

}  // namespace evtwin
