#include "serve/net/api_error.hpp"
#include "serve/results/results_json.hpp"
#include "serve/results/step_buckets.hpp"

#include <array>

namespace evtwin::serve {
namespace {

constexpr std::array<const char*, 7> kSiteFields = {"grid_kw", "ev_kw",   "pv_kw",  "pv_curtailed_kw",
                                                    "ess_kw",  "ess_soc", "load_kw"};

// What one answer of every connector holds at most, so that a large site's answer stays bounded.
constexpr std::size_t kMaxConnectorCells = 1'000'000;

void require_bounded(std::size_t points, std::size_t connectors) {
    if (points * connectors > kMaxConnectorCells)
        throw ApiError(422, "points",
                       "points: " + std::to_string(points) + " for each of " + std::to_string(connectors) +
                           " connectors is more than " + std::to_string(kMaxConnectorCells) +
                           "; ask for at most " + std::to_string(kMaxConnectorCells / connectors));
}

nlohmann::json bucket_times(const StepBuckets& buckets) {
    nlohmann::json t = nlohmann::json::array();
    for (std::size_t b = 0; b < buckets.size(); ++b) t.push_back(buckets.start(b).ms());
    return t;
}

nlohmann::json window_head(const RunRecord& run, const RunWindow& w, const StepBuckets& buckets) {
    nlohmann::json out = {{"run", run.id},
                          {"from_ms", w.from.ms()},
                          {"to_ms", w.to.ms()},
                          {"bucket_ms", buckets.width().ms()},
                          {"t_ms", bucket_times(buckets)}};
    if (!w.date.empty()) out["date"] = w.date;
    return out;
}

nlohmann::json means(const StepBuckets& buckets, std::size_t value) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t b = 0; b < buckets.size(); ++b) out.push_back(number_or_null(buckets.mean(b, value)));
    return out;
}

// One connector's grid power and whether it is plugged in (0 or 1), bucketed over the window.
StepBuckets connector_buckets(const RunReader& reader, const RunRecord& run, const RunWindow& w,
                              std::size_t points, ConnectorIndex c) {
    StepBuckets buckets(w.from, w.to, points, 2);
    for (const ConnectorRow& row : reader.connector_series(run.id, c, w.from, w.to)) {
        const std::array<double, 2> values = {row.grid_kw, row.state == PilotState::A ? 0.0 : 1.0};
        buckets.add(row.t, values);
    }
    buckets.finish(w.data_end);
    return buckets;
}

}  // namespace

nlohmann::json site_power(const RunReader& reader, const RunRecord& run, const RunWindow& w,
                          std::size_t points) {
    StepBuckets buckets(w.from, w.to, points, kSiteFields.size());
    reader.for_each_site_row(
        run.id,
        [&](const SiteRow& r) {
            const std::array<double, kSiteFields.size()> values = {
                r.s.grid_kw, r.s.ev_kw, r.s.pv_kw, r.s.pv_curtailed_kw, r.s.ess_kw, r.s.ess_soc, r.s.load_kw};
            buckets.add(r.t, values);
        },
        w.from, w.to);
    buckets.finish(w.data_end);
    nlohmann::json out = window_head(run, w, buckets);
    for (std::size_t v = 0; v < kSiteFields.size(); ++v) out[kSiteFields[v]] = means(buckets, v);
    nlohmann::json lo = nlohmann::json::array(), hi = nlohmann::json::array();
    for (std::size_t b = 0; b < buckets.size(); ++b) {
        lo.push_back(number_or_null(buckets.min(b, 0)));
        hi.push_back(number_or_null(buckets.max(b, 0)));
    }
    out["grid_min_kw"] = lo;
    out["grid_max_kw"] = hi;
    out["energy"] = {{"grid_import_kwh", buckets.positive_hours(0)},
                     {"grid_export_kwh", buckets.negative_hours(0)},
                     {"ev_charged_kwh", buckets.positive_hours(1)},
                     {"ev_discharged_kwh", buckets.negative_hours(1)},
                     {"pv_kwh", buckets.positive_hours(2)}};
    return out;
}

nlohmann::json connector_power(const RunReader& reader, const RunRecord& run, const RunWindow& w,
                               std::size_t points) {
    const SiteTree site = reader.site(run.id);
    require_bounded(points, site.connectors.size());
    nlohmann::json list = nlohmann::json::array();
    std::optional<StepBuckets> last;
    for (const ConnectorRecord& c : site.connectors) {
        StepBuckets buckets = connector_buckets(reader, run, w, points, c.index);
        list.push_back({{"index", c.index},
                        {"name", c.name},
                        {"charger", c.charger_name},
                        {"kw", means(buckets, 0)},
                        {"plugged", means(buckets, 1)}});
        last.emplace(std::move(buckets));
    }
    nlohmann::json out = window_head(run, w, last ? *last : StepBuckets(w.from, w.to, points, 0));
    out["connectors"] = list;
    return out;
}

nlohmann::json station_energy(const RunReader& reader, const RunRecord& run, const RunWindow& w,
                              std::size_t points) {
    const SiteTree site = reader.site(run.id);
    require_bounded(points, site.connectors.size());
    nlohmann::json stations = nlohmann::json::array();
    double charged = 0, discharged = 0;
    std::optional<StepBuckets> last;
    for (const ConnectorRecord& c : site.connectors) {
        StepBuckets buckets = connector_buckets(reader, run, w, points, c.index);
        if (stations.empty() || stations.back()["index"] != c.charger) {
            nlohmann::json zeros = nlohmann::json::array();
            for (std::size_t b = 0; b < buckets.size(); ++b) zeros.push_back(nullptr);
            stations.push_back({{"index", c.charger},
                                {"name", c.charger_name},
                                {"max_kw", c.max_kw},
                                {"v2g", c.v2g_capable},
                                {"connectors", 0},
                                {"charged_kwh", 0.0},
                                {"discharged_kwh", 0.0},
                                {"kw", zeros}});
        }
        nlohmann::json& s = stations.back();
        s["connectors"] = s["connectors"].get<int>() + 1;
        s["charged_kwh"] = s["charged_kwh"].get<double>() + buckets.positive_hours(0);
        s["discharged_kwh"] = s["discharged_kwh"].get<double>() + buckets.negative_hours(0);
        charged += buckets.positive_hours(0);
        discharged += buckets.negative_hours(0);
        for (std::size_t b = 0; b < buckets.size(); ++b)
            if (const auto kw = buckets.mean(b, 0))
                s["kw"][b] = (s["kw"][b].is_null() ? 0.0 : s["kw"][b].get<double>()) + *kw;
        last.emplace(std::move(buckets));
    }
    nlohmann::json out = window_head(run, w, last ? *last : StepBuckets(w.from, w.to, points, 0));
    out["stations"] = stations;
    out["charged_kwh"] = charged;
    out["discharged_kwh"] = discharged;
    return out;
}

}  // namespace evtwin::serve
