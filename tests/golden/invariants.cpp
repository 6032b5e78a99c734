#include "golden/invariants.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace evtwin::test {
namespace {

double stored_kpi(const RunReader& reader, RunId id, const std::string& name) {
    for (const Kpi& k : reader.kpis(id))
        if (k.name == name) return k.value;
    ADD_FAILURE() << "no KPI " << name;
    return NAN;
}

}  // namespace

void expect_session_energy_matches_series(const RunReader& reader, RunId id) {
    const RunRecord run = reader.run(id);
    const SiteTree site = reader.site(id);
    // When the vehicle plugged in and left, as the engine did it: in decision_period mode at the
    // period boundary after the data's times.
    std::map<SessionId, Time> plugged, left;
    for (const EventRow& e : reader.events(id)) {
        if (e.kind == EventKind::arrival) plugged[e.session] = e.t;
        if (e.kind == EventKind::departure) left[e.session] = e.t;
    }
    int checked = 0;
    for (const SessionRecord& s : reader.sessions(id)) {
        if (s.connector == kNone) {
            EXPECT_EQ(s.delivered_kwh, 0.0) << "rejected session " << s.id;
            continue;
        }
        const double efficiency = site.connectors[s.connector].efficiency;
        ASSERT_TRUE(plugged.contains(s.id)) << "no arrival event for session " << s.id;
        const Time from_t = plugged.at(s.id);
        const Time until = s.departed && left.contains(s.id) ? left.at(s.id) : run.data_end();
        const std::vector<ConnectorRow> rows = reader.connector_series(id, s.connector, from_t, until);
        double grid_kwh = 0.0, inlet_kwh = 0.0;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Time from = std::max(rows[i].t, from_t);
            const Time to = i + 1 < rows.size() ? std::min(rows[i + 1].t, until) : until;
            if (to <= from) continue;
            const double kw = rows[i].grid_kw;
            grid_kwh += kw * (to - from).hours_f();
            inlet_kwh += (kw >= 0.0 ? kw * efficiency : kw / efficiency) * (to - from).hours_f();
        }
        const double tolerance = 1e-6 * std::max(1.0, std::abs(s.grid_kwh));
        EXPECT_NEAR(grid_kwh, s.grid_kwh, tolerance) << "session " << s.id;
        EXPECT_NEAR(inlet_kwh, s.delivered_kwh, tolerance) << "session " << s.id;
        EXPECT_NEAR(s.charged_kwh - s.discharged_kwh, s.delivered_kwh, tolerance) << "session " << s.id;
        EXPECT_LE(s.delivered_kwh, s.requested_kwh + 1e-6)
            << "session " << s.id << " got more than it asked for";
        ++checked;
    }
    EXPECT_GT(checked, 0) << "no session reached a connector";
}

void expect_node_limits_hold(const RunReader& reader, RunId id) {
    const SiteTree site = reader.site(id);
    const std::size_t n_nodes = site.nodes.size();
    // Every change of any injection, in time order.
    struct Change {
        Time t;
        int kind;  // 0 connector, 1 site, 2 battery
        std::size_t index;
    };
    const std::vector<ConnectorRow> connector_rows = reader.connector_series(id);
    const std::vector<SiteRow> site_rows = reader.site_series(id);
    const std::vector<EssRow> ess_rows = reader.ess_series(id);
    std::vector<Change> changes;
    for (std::size_t i = 0; i < connector_rows.size(); ++i) changes.push_back({connector_rows[i].t, 0, i});
    for (std::size_t i = 0; i < site_rows.size(); ++i) changes.push_back({site_rows[i].t, 1, i});
    for (std::size_t i = 0; i < ess_rows.size(); ++i) changes.push_back({ess_rows[i].t, 2, i});
    std::stable_sort(changes.begin(), changes.end(),
                     [](const Change& a, const Change& b) { return a.t < b.t; });

    ASSERT_LE(site.pv.size(), 1u) << "the site series holds PV in total: one PV unit needed to place it";
    ASSERT_LE(site.loads.size(), 1u);
    std::vector<double> connector_kw(site.connectors.size(), 0.0);
    std::vector<double> ess_kw(site.ess.size(), 0.0);
    SiteSample now;
    std::size_t instants = 0;
    std::map<NodeIndex, double> worst_margin;
    for (std::size_t i = 0; i < changes.size();) {
        const Time t = changes[i].t;
        for (; i < changes.size() && changes[i].t == t; ++i) {
            if (changes[i].kind == 0)
                connector_kw[connector_rows[changes[i].index].connector] =
                    connector_rows[changes[i].index].grid_kw;
            else if (changes[i].kind == 2)
                ess_kw.at(ess_rows[changes[i].index].ess) = ess_rows[changes[i].index].grid_kw;
            else
                now = site_rows[changes[i].index].s;
        }
        std::vector<double> flow(n_nodes, 0.0);
        for (std::size_t c = 0; c < site.connectors.size(); ++c)
            flow[site.connectors[c].node] += connector_kw[c];
        if (!site.pv.empty()) flow[site.pv[0].node] -= now.pv_kw;
        double ess_total_kw = 0.0;
        for (std::size_t b = 0; b < site.ess.size(); ++b) {
            flow[site.ess[b].node] += ess_kw[b];
            ess_total_kw += ess_kw[b];
        }
        EXPECT_NEAR(ess_total_kw, now.ess_kw, 1e-9) << "the site's ESS power is its batteries' at " << t.ms();
        if (!site.loads.empty()) flow[site.loads[0].node] += now.load_kw;
        for (std::size_t n = n_nodes; n-- > 1;)
            flow[site.nodes[n].parent] += flow[n];  // parents precede children
        for (std::size_t n = 0; n < n_nodes; ++n) {
            const NodeRecord& node = site.nodes[n];
            EXPECT_LE(flow[n], node.import_limit_kw + 1e-6) << node.name << " at " << t.ms();
            EXPECT_GE(flow[n], -node.export_limit_kw - 1e-6) << node.name << " at " << t.ms();
        }
        EXPECT_NEAR(flow[0], now.grid_kw, 1e-6) << "grid flow at " << t.ms();
        ++instants;
    }
    EXPECT_GT(instants, 10u);
}

void expect_soc_within_bounds(const RunReader& reader, RunId id) {
    for (const ConnectorRow& r : reader.connector_series(id)) {
        EXPECT_GE(r.soc, 0.0);
        EXPECT_LE(r.soc, 1.0);
    }
    for (const SessionRecord& s : reader.sessions(id)) {
        EXPECT_GE(s.final_soc, 0.0) << "session " << s.id;
        EXPECT_LE(s.final_soc, 1.0) << "session " << s.id;
    }
    const SiteTree site = reader.site(id);
    if (!site.ess.empty()) {
        // Each within its bounds, or no further out than it started: the site's SoC (their stored
        // energy over their capacity) within those bounds weighted by capacity.
        double capacity = 0.0, floor = 0.0, ceiling = 0.0;
        for (const EssRecord& e : site.ess) {
            capacity += e.capacity_kwh;
            floor += e.capacity_kwh * std::min(e.soc_min, e.soc_initial);
            ceiling += e.capacity_kwh * std::max(e.soc_max, e.soc_initial);
        }
        floor /= capacity;
        ceiling /= capacity;
        for (const SiteRow& r : reader.site_series(id)) {
            EXPECT_GE(r.s.ess_soc, floor - 1e-9);
            EXPECT_LE(r.s.ess_soc, ceiling + 1e-9);
        }
    }
}

void expect_grid_permissions_hold(const RunReader& reader, RunId id) {
    const SiteTree site = reader.site(id);
    const std::vector<EssRow> series = reader.ess_series(id);  // by battery then time
    const std::vector<SiteRow> rows = reader.site_series(id);
    constexpr double kTolKw = 1e-6;
    // The site's sample changes whenever a battery's power does: each row holds the batteries' powers
    // as their series last set them.
    for (std::uint32_t b = 0; b < site.ess.size(); ++b) {
        const EssRecord& e = site.ess[b];
        if (e.grid_charge && e.grid_discharge) continue;
        std::vector<EssRow> own;
        for (const EssRow& r : series)
            if (r.ess == b) own.push_back(r);
        std::size_t k = 0;
        for (const SiteRow& row : rows) {
            while (k + 1 < own.size() && own[k + 1].t <= row.t) ++k;
            if (own.empty() || own[k].t > row.t) continue;
            const double kw = own[k].grid_kw;
            if (!e.grid_charge && kw > kTolKw) {
                EXPECT_LE(row.s.grid_kw, kTolKw) << e.name << " charges from the grid at " << row.t.ms();
            }
            if (!e.grid_discharge && kw < -kTolKw) {
                EXPECT_GE(row.s.grid_kw, -kTolKw) << e.name << " gives to the grid at " << row.t.ms();
            }
        }
    }
}

void expect_bill_matches_series(const RunReader& reader, RunId id, const Tariff& tariff) {
    const RunRecord run = reader.run(id);
    const std::vector<SiteRow> rows = reader.site_series(id);
    const Duration hour = Duration::hours(1);
    double cost = 0.0, revenue = 0.0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Time end = i + 1 < rows.size() ? rows[i + 1].t : run.data_end();
        for (Time a = rows[i].t; a < end;) {
            const Time next_hour = Time((a.ms() / hour.ms() + 1) * hour.ms());
            const Time b = std::min(end, next_hour);
            const double kwh = rows[i].s.grid_kw * (b - a).hours_f();
            if (kwh > 0.0)
                cost += kwh * tariff.import_price(a);
            else
                revenue -= kwh * tariff.export_price(a);
            a = b;
        }
    }
    EXPECT_NEAR(stored_kpi(reader, id, "energy_cost"), cost, 1e-6 * std::max(1.0, cost));
    EXPECT_NEAR(stored_kpi(reader, id, "export_revenue"), revenue, 1e-6 * std::max(1.0, revenue));
}

}  // namespace evtwin::test
