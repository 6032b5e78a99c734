#include "serve/results/results_api.hpp"

#include "serve/net/api_error.hpp"
#include "serve/net/json_text.hpp"
#include "serve/net/query_params.hpp"
#include "serve/results/results_json.hpp"

#include <array>
#include <limits>
#include <set>

namespace evtwin::serve {
namespace {

constexpr std::string_view kRuns = "/v1/results/runs";
constexpr std::array<const char*, 6> kViews = {"power",  "connectors", "stations",
                                               "events", "limits",     "batteries"};

HttpResponse ok(const nlohmann::json& body) {
    HttpResponse r;
    r.body = json_text(body);
    return r;
}

std::optional<RunStatus> status_filter(const QueryParams& query) {
    const auto text = query.text("status");
    if (!text) return std::nullopt;
    for (auto s : {RunStatus::running, RunStatus::complete, RunStatus::interrupted, RunStatus::failed})
        if (*text == to_string(s)) return s;
    throw ApiError(422, "status",
                   "status: expected running, complete, interrupted or failed, got '" + *text + "'");
}

std::optional<EventKind> kind_filter(const QueryParams& query) {
    const auto text = query.text("kind");
    if (!text) return std::nullopt;
    for (const EventKind k : kEventKinds)
        if (*text == to_string(k)) return k;
    throw ApiError(422, "kind", "kind: no event kind '" + *text + "' (docs/results-schema.md, events)");
}

// The runs that pass the filters, from `offset` on, at most `limit` of them (only those have their
// KPIs read); `total` counts all that pass, and `scenarios` and `strategies` name those of every run,
// so that a client can offer them as filters whatever page it shows.
nlohmann::json runs_list(const ResultsLibrary& library, const QueryParams& query) {
    const auto scenario = query.text("scenario");
    const auto strategy = query.text("strategy");
    const auto seed = query.integer("seed", 0, std::numeric_limits<std::int64_t>::max());
    const auto status = status_filter(query);
    const auto offset = query.integer("offset", 0, std::numeric_limits<std::int64_t>::max()).value_or(0);
    const auto limit = query.integer("limit", 1, 10'000).value_or(1'000);
    nlohmann::json runs = nlohmann::json::array();
    nlohmann::json units = nlohmann::json::object();
    std::set<std::string> scenarios, strategies;
    std::int64_t total = 0;
    library.for_each_run([&](const RunKey& key, const RunReader& reader, const RunRecord& run) {
        scenarios.insert(run.info.scenario_name);
        strategies.insert(run.info.strategy_name);
        if ((scenario && run.info.scenario_name != *scenario) ||
            (strategy && run.info.strategy_name != *strategy) ||
            (seed && run.info.seed != static_cast<std::uint64_t>(*seed)) || (status && run.status != *status))
            return;
        const std::int64_t position = total++;
        if (position < offset || position >= offset + limit) return;
        const std::vector<Kpi> kpis = reader.kpis(run.id);
        for (const Kpi& k : kpis)
            if (k.reproducible && !units.contains(k.name)) units[k.name] = k.unit;
        runs.push_back(run_summary(key, library.file(key.file), run, kpis));
    });
    nlohmann::json files = nlohmann::json::array();
    for (std::size_t i = 1; i <= library.size(); ++i) files.push_back(library.file(i).filename().string());
    return {{"files", files},
            {"kpi_units", units},
            {"scenarios", scenarios},
            {"strategies", strategies},
            {"total", total},
            {"offset", offset},
            {"runs", runs}};
}

nlohmann::json run_view(const ResultsLibrary& library, const RunKey& key, const std::string& view,
                        const std::string& target) {
    nlohmann::json out;
    if (view.empty()) {
        const QueryParams query(target, {});
        library.read(key, [&](const RunReader& reader, const RunRecord& run) {
            out = run_detail(key, library.file(key.file), reader, run);
        });
    } else if (view == "power" || view == "connectors") {
        const QueryParams query(target, {"from_ms", "to_ms", "points"});
        library.read(key, [&](const RunReader& reader, const RunRecord& run) {
            const RunWindow w = run_window(query, run, data_end_of(reader, run));
            out = view == "power" ? site_power(reader, run, w, points_of(query, 500))
                                  : connector_power(reader, run, w, points_of(query, 200));
        });
    } else if (view == "stations") {
        const QueryParams query(target, {"date", "from_ms", "to_ms", "points"});
        library.read(key, [&](const RunReader& reader, const RunRecord& run) {
            out = station_energy(reader, run, day_or_window(query, run, data_end_of(reader, run)),
                                 points_of(query, 96));
        });
    } else if (view == "events") {
        const QueryParams query(target, {"from_ms", "to_ms", "limit", "kind"});
        const auto limit = static_cast<std::size_t>(query.integer("limit", 1, 10'000).value_or(500));
        const auto kind = kind_filter(query);
        library.read(key, [&](const RunReader& reader, const RunRecord& run) {
            out = window_events(reader, run, run_window(query, run, data_end_of(reader, run)), limit, kind);
        });
    } else if (view == "batteries") {
        const QueryParams query(target, {"vehicle"});
        library.read(key, [&](const RunReader& reader, const RunRecord& run) {
            out = battery_fleet(reader, run, query.text("vehicle"));
        });
    } else {
        const QueryParams query(target, {"from_ms", "to_ms"});
        library.read(key, [&](const RunReader& reader, const RunRecord& run) {
            out = window_limits(reader, run, run_window(query, run, data_end_of(reader, run)));
        });
    }
    out["id"] = key.text();
    return out;
}

// "/v1/results/runs/1-2/power" -> {"1-2", "power"}; empty when the path is not a run's route.
std::optional<std::pair<std::string, std::string>> run_path(const std::string& path) {
    if (path.size() <= kRuns.size() + 1 || path.compare(0, kRuns.size(), kRuns) != 0 ||
        path[kRuns.size()] != '/')
        return std::nullopt;
    const std::string rest = path.substr(kRuns.size() + 1);
    const auto slash = rest.find('/');
    if (slash == std::string::npos) return std::pair{rest, std::string()};
    const std::string view = rest.substr(slash + 1);
    for (const char* v : kViews)
        if (view == v) return std::pair{rest.substr(0, slash), view};
    return std::nullopt;
}

}  // namespace

std::optional<HttpResponse> ResultsApi::handle(const HttpRequest& request, const std::string& path) const {
    const auto run = run_path(path);
    if (path != kRuns && !run) return std::nullopt;
    if (request.method != "GET")
        throw ApiError(405, "", "method " + request.method + " not allowed here (use GET)");
    if (!run)
        return ok(runs_list(library_, QueryParams(request.target, {"scenario", "strategy", "seed", "status",
                                                                   "offset", "limit"})));
    return ok(run_view(library_, library_.key(run->first), run->second, request.target));
}

std::string results_route(const std::string& path) {
    if (path == kRuns) return path;
    const auto run = run_path(path);
    if (!run) return "";
    return std::string(kRuns) + "/{id}" + (run->second.empty() ? "" : "/" + run->second);
}

}  // namespace evtwin::serve
