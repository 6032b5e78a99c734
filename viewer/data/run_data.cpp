#include "viewer/data/run_data.hpp"

#include "record/reader/run_reader.hpp"

#include <algorithm>
#include <chrono>

namespace evtwin::viewer {

namespace {

void append_site(SiteColumns& s, const SiteRow& r) {
    s.t.push_back(r.t.ms());
    s.grid_kw.push_back(r.s.grid_kw);
    s.ev_kw.push_back(r.s.ev_kw);
    s.pv_kw.push_back(r.s.pv_kw);
    s.pv_curtailed_kw.push_back(r.s.pv_curtailed_kw);
    s.ess_kw.push_back(r.s.ess_kw);
    s.ess_soc.push_back(r.s.ess_soc);
    s.load_kw.push_back(r.s.load_kw);
}

// Splits the net EV power into charging and discharging by summing the connectors' positive and
// negative powers at each site row (connector rows are on change, so walk them once in time order).
void split_ev(SiteColumns& s, const std::vector<ConnectorColumns>& cons) {
    s.ev_charge_kw.assign(s.t.size(), 0.0);
    s.ev_discharge_kw.assign(s.t.size(), 0.0);
    bool any_v2g = false;
    for (const auto& c : cons)
        if (std::any_of(c.kw.begin(), c.kw.end(), [](double kw) { return kw < 0.0; })) any_v2g = true;
    if (!any_v2g) {  // the common case: no V2G, the net is the charging power
        for (std::size_t i = 0; i < s.t.size(); ++i) s.ev_charge_kw[i] = std::max(0.0, s.ev_kw[i]);
        return;
    }
    for (const auto& c : cons) {
        std::size_t j = 0;
        for (std::size_t i = 0; i < s.t.size(); ++i) {
            while (j < c.t.size() && c.t[j] <= s.t[i]) ++j;
            if (j == 0) continue;
            const double kw = c.kw[j - 1];
            if (kw >= 0)
                s.ev_charge_kw[i] += kw;
            else
                s.ev_discharge_kw[i] += kw;
        }
    }
}

}  // namespace

RunData RunData::load(const std::filesystem::path& file, std::optional<RunId> run_id) {
    const auto t0 = std::chrono::steady_clock::now();
    const RunReader reader(file);
    RunData d;
    d.file = file;
    const RunId id = run_id ? *run_id : reader.latest_run();
    d.run = reader.run(id);
    d.tree = reader.site(id);
    for (const auto& r : reader.site_series(id)) append_site(d.site, r);

    d.nodes.resize(d.tree.nodes.size());
    for (const auto& r : reader.node_series(id)) {
        if (r.node >= d.nodes.size()) continue;  // the reader checked the keys; stay safe anyway
        d.nodes[r.node].t.push_back(r.t.ms());
        d.nodes[r.node].kw.push_back(r.flow_kw);
    }
    d.connectors.resize(d.tree.connectors.size());
    reader.for_each_connector_row(id, [&](const ConnectorRow& r) {
        if (r.connector >= d.connectors.size()) return;
        auto& c = d.connectors[r.connector];
        c.t.push_back(r.t.ms());
        c.kw.push_back(r.grid_kw);
        c.soc.push_back(r.soc);
        c.state.push_back(r.state);
    });
    split_ev(d.site, d.connectors);
    d.stations = station_columns(d.tree, d.connectors, d.end());

    d.sessions = reader.sessions(id);
    d.batteries = join_batteries(reader.battery_health(id), reader.battery_grades(id));
    d.feeder = feeder_map(reader, id);
    std::array<std::vector<Time>, kMarkKinds> marks;
    for (auto& e : reader.events(id)) {
        d.events.t.push_back(e.t.ms());
        d.events.kind.push_back(e.kind);
        d.events.connector.push_back(e.connector);
        d.events.session.push_back(e.session);
        d.events.detail.push_back(std::move(e.detail));
        if (e.kind == EventKind::arrival)
            marks[0].push_back(e.t);
        else if (e.kind == EventKind::departure)
            marks[1].push_back(e.t);
        else if (e.kind == EventKind::fault)
            marks[2].push_back(e.t);
    }
    // Written in time order; a stable sort keeps that true for a hand-made file too.
    if (!std::is_sorted(d.events.t.begin(), d.events.t.end())) {
        std::vector<std::size_t> order(d.events.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](auto a, auto b) { return d.events.t[a] < d.events.t[b]; });
        EventColumns sorted;
        for (auto i : order) {
            sorted.t.push_back(d.events.t[i]);
            sorted.kind.push_back(d.events.kind[i]);
            sorted.connector.push_back(d.events.connector[i]);
            sorted.session.push_back(d.events.session[i]);
            sorted.detail.push_back(std::move(d.events.detail[i]));
        }
        d.events = std::move(sorted);
    }
    d.violations = reader.violations(id);
    std::stable_sort(d.violations.begin(), d.violations.end(),
                     [](const auto& a, const auto& b) { return a.t < b.t; });
    for (const auto& v : d.violations) marks[3].push_back(v.t);
    d.marks = EventMarks(std::move(marks));
    d.kpis = reader.kpis(id);
    for (const PriceRow& p : reader.tariff_prices(id)) {
        d.prices.t.push_back(p.t.ms());
        d.prices.import_price.push_back(p.import_price);
        d.prices.export_price.push_back(p.export_price);
    }
    d.index_sessions();
    d.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return d;
}

void RunData::index_sessions() {
    plugs_.assign(connectors.size(), {});
    for (const auto& s : sessions)
        if (s.connector != kNone && s.connector < plugs_.size())
            plugs_[s.connector].push_back({s.arrival.ms(), s.departure.ms(), s.id});
    for (auto& p : plugs_)
        std::sort(p.begin(), p.end(), [](const Plug& a, const Plug& b) { return a.from < b.from; });
}

ConnectorAt RunData::connector_at(ConnectorIndex c, Time t) const {
    ConnectorAt out;
    if (c >= connectors.size()) return out;
    const auto& col = connectors[c];
    const std::size_t i = row_at(col.t, t);
    if (i != kNoRow) {
        out.kw = col.kw[i];
        out.soc = col.soc[i];
        out.state = col.state[i];
    }
    const auto& p = plugs_[c];
    auto it = std::upper_bound(p.begin(), p.end(), t.ms(),
                               [](std::int64_t v, const Plug& q) { return v < q.from; });
    if (it != p.begin() && t.ms() < std::prev(it)->to) out.session = std::prev(it)->session;
    return out;
}

double RunData::node_flow_at(NodeIndex n, Time t) const {
    if (n >= nodes.size()) return 0.0;
    const std::size_t i = row_at(nodes[n].t, t);
    return i == kNoRow ? 0.0 : nodes[n].kw[i];
}

std::size_t RunData::first_event_at(Time t) const {
    return static_cast<std::size_t>(std::lower_bound(events.t.begin(), events.t.end(), t.ms()) -
                                    events.t.begin());
}

const Kpi* RunData::kpi(const std::string& name) const {
    for (const auto& k : kpis)
        if (k.name == name) return &k;
    return nullptr;
}

const SessionRecord* RunData::session(SessionId id) const {
    const auto it = std::lower_bound(sessions.begin(), sessions.end(), id,
                                     [](const SessionRecord& s, SessionId v) { return s.id < v; });
    return it != sessions.end() && it->id == id ? &*it : nullptr;
}

const BatteryRow* RunData::battery(std::string_view name) const {
    const auto it =
        std::lower_bound(batteries.begin(), batteries.end(), name,
                         [](const BatteryRow& b, std::string_view v) { return b.usage.battery < v; });
    return it != batteries.end() && it->usage.battery == name ? &*it : nullptr;
}

const BatteryRow* RunData::vehicle_battery(std::string_view vehicle) const {
    return vehicle.empty() ? nullptr : battery(vehicle_battery_name(vehicle));
}

}  // namespace evtwin::viewer
