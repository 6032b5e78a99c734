#include "viewer/data/stations.hpp"

#include "viewer/data/run_data.hpp"

#include <algorithm>
#include <iterator>

namespace evtwin::viewer {

namespace {

// Merges the connectors' rows into one station series: at every time any of them changes, the sum
// of the positive and of the negative powers then in force.
void merge(StationColumns& s, const std::vector<ConnectorColumns>& cons) {
    std::vector<std::int64_t> times;
    for (ConnectorIndex c : s.connectors) times.insert(times.end(), cons[c].t.begin(), cons[c].t.end());
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    std::vector<std::size_t> next(s.connectors.size(), 0);  // per connector, its first row after `t`
    for (const std::int64_t t : times) {
        double charge = 0.0, discharge = 0.0;
        for (std::size_t k = 0; k < s.connectors.size(); ++k) {
            const ConnectorColumns& col = cons[s.connectors[k]];
            while (next[k] < col.t.size() && col.t[next[k]] <= t) ++next[k];
            if (next[k] == 0) continue;
            const double kw = col.kw[next[k] - 1];
            (kw >= 0.0 ? charge : discharge) += kw;
        }
        // On change only: a row equal to the previous one adds nothing.
        if (!s.t.empty() && s.charge_kw.back() == charge && s.discharge_kw.back() == discharge) continue;
        s.t.push_back(t);
        s.charge_kw.push_back(charge);
        s.discharge_kw.push_back(discharge);
    }
}

}  // namespace

std::vector<StationColumns> station_columns(const SiteTree& tree,
                                            const std::vector<ConnectorColumns>& connectors, Time end) {
    std::vector<StationColumns> out;
    for (const ConnectorRecord& c : tree.connectors) {
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const StationColumns& s) { return s.charger == c.charger; });
        if (it == out.end()) {
            out.push_back({});
            it = std::prev(out.end());
            it->name = c.charger_name;
            it->charger = c.charger;
            it->max_kw = c.max_kw;
        }
        it->v2g_capable = it->v2g_capable || c.v2g_capable;
        if (c.index < connectors.size()) it->connectors.push_back(c.index);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.charger < b.charger; });
    for (StationColumns& s : out) {
        merge(s, connectors);
        s.run_total = station_energy(s, end, Time::min(), end);
    }
    return out;
}

StationEnergy station_energy(const StationColumns& s, Time end, Time from, Time to) {
    return {integrate_kwh(s.t, s.charge_kw, end, from, to),
            std::max(0.0, -integrate_kwh(s.t, s.discharge_kw, end, from, to))};
}

StationBuckets station_buckets(const StationColumns& s, Time end, Time from, Time to, std::size_t buckets) {
    return {bucketize(s.t, s.charge_kw, end, from, to, buckets),
            bucketize(s.t, s.discharge_kw, end, from, to, buckets)};
}

}  // namespace evtwin::viewer
