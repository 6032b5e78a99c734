#include "serve/plan/api.hpp"

#include "core/version.hpp"
#include "serve/net/api_error.hpp"
#include "serve/net/json_fields.hpp"
#include "serve/net/json_text.hpp"
#include "serve/results/results_api.hpp"

#include <nlohmann/json.hpp>

#include <chrono>

namespace evtwin::serve {
namespace {

constexpr const char* kPlanPrefix = "/v1/plans/";

HttpResponse error_response(const ApiError& e) {
    HttpResponse r = json_response(
        e.status, json_text({{"error", {{"status", e.status}, {"path", e.path}, {"message", e.what()}}}}));
    if (e.status == 401) r.headers.push_back({"WWW-Authenticate", "Bearer"});
    return r;
}

// Equal-time comparison, so that the token cannot be guessed from response times.
bool same_secret(const std::string& a, const std::string& b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
    return diff == 0 && !b.empty();
}

// From the list made at start: no plugin is loaded to answer (a plugin's version is known once a
// plan has loaded it).
std::string strategies_json(const StrategyRegistry& strategies) {
    nlohmann::json list = nlohmann::json::array();
    for (const StrategyEntry& s : strategies.list()) {
        nlohmann::json entry = {{"name", s.name}};
        if (!s.version.empty()) entry["version"] = s.version;
        list.push_back(std::move(entry));
    }
    return json_text({{"strategies", list}});
}

void require_method(const HttpRequest& request, const char* method) {
    if (request.method != method)
        throw ApiError(405, "", "method " + request.method + " not allowed here (use " + method + ")");
}

}  // namespace

Api::Api(Planner& planner, ApiConfig config)
    : planner_(planner), config_(std::move(config)), pages_(config_.web_dir) {}

std::string Api::route_of(const std::string& method, const std::string& path) {
    if (path == "/v1/plans" || path == "/v1/health" || path == "/v1/strategies" ||
        path == "/v1/openapi.json" || path == "/metrics") {
        return path;
    }
    if (path.rfind(kPlanPrefix, 0) == 0) return "/v1/plans/{id}";
    if (path.rfind("/v1/results/", 0) == 0) {
        if (std::string route = results_route(path); !route.empty()) return route;
    }
    if (path == "/v1/live" || path == "/v1/live/outlook") return path;
    if (path.rfind("/ocpi/", 0) == 0) return "/ocpi/(OCPI 2.2.1)";
    if (path.rfind("/v1/sessions/", 0) == 0) return "/v1/sessions/{id}/intent";
    if (path == "/v1/reservations") return path;
    if (path.rfind("/v1/reservations/", 0) == 0) return "/v1/reservations/{id}";
    if (path.rfind("/v1/drivers/", 0) == 0) return "/v1/drivers/{id}/next";  // with --drivers-model
    if (path.rfind("/v1/", 0) == 0) return "/v1/(unknown)";
    return method == "GET" ? "(page)" : "(unknown)";
}

bool Api::authorised(const HttpRequest& request) const {
    const std::string prefix = "Bearer ";
    if (request.authorization.rfind(prefix, 0) != 0) return false;
    return same_secret(request.authorization.substr(prefix.size()), config_.token);
}

HttpResponse Api::handle(const HttpRequest& request) {
    const auto started = std::chrono::steady_clock::now();
    const std::string path = request.target.substr(0, request.target.find('?'));
    HttpResponse response;
    try {
        response = dispatch(request, path);
    } catch (const ApiError& e) {
        response = error_response(e);
    } catch (const std::exception& e) {
        response = error_response(ApiError(500, "", std::string("internal error: ") + e.what()));
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.observe(request.method, route_of(request.method, path), response.status, seconds);
    return response;
}

HttpResponse Api::dispatch(const HttpRequest& request, const std::string& path) {
    if (path == "/v1/health") {
        require_method(request, "GET");
        return json_response(200, json_text({{"status", "ok"}, {"version", engine_version()}}));
    }
    if (path == "/v1/openapi.json") {
        require_method(request, "GET");
        return json_response(200, openapi_document());
    }
    if (path.rfind("/ocpi/", 0) == 0) {
        if (config_.ocpi)
            if (auto answer = config_.ocpi(request, path)) return *answer;
        throw ApiError(404, "", "no OCPI endpoints here (live mode with --ocpi-token-file serves them)");
    }
    const bool api = path.rfind("/v1/", 0) == 0 || path == "/metrics";
    if (!api) {
        require_method(request, "GET");
        if (auto file = pages_.find(path)) return *file;
        throw ApiError(404, "", "no such page: " + path);
    }
    if (!authorised(request))
        throw ApiError(401, "", "missing or wrong bearer token (Authorization: Bearer <token>)");

    if (path == "/metrics") {
        require_method(request, "GET");
        HttpResponse r = json_response(
            200, metrics_.prometheus({{"evtwin_plans_total", "Plans computed.", planner_.plans_computed()},
                                      {"evtwin_strategy_fallbacks_total",
                                       "Plans whose strategy failed; the baseline's plan stood in.",
                                       planner_.strategy_fallbacks()},
                                      {"evtwin_solver_fallbacks_total",
                                       "Decisions at which a strategy's solver fell back to its rule.",
                                       planner_.solver_fallbacks()}}));
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        return r;
    }
    if (path == "/v1/strategies") {
        require_method(request, "GET");
        return json_response(200, strategies_json(planner_.strategies()));
    }
    if (path == "/v1/plans") {
        require_method(request, "POST");
        return json_response(201, planner_.plan(parse_body(request.body)));
    }
    if (path.rfind(kPlanPrefix, 0) == 0) {
        require_method(request, "GET");
        const std::string id = path.substr(std::string(kPlanPrefix).size());
        if (auto stored = planner_.stored(id)) return json_response(200, *stored);
        throw ApiError(404, "", "no plan '" + id + "'");
    }
    if (path.rfind("/v1/results/", 0) == 0) {
        if (!results_)
            throw ApiError(404, "", "no results are served here (start evtwin serve with --results DB)");
        if (auto answer = results_(request, path)) return *answer;
    }
    if (config_.live)
        if (auto answer = config_.live(request, path)) return *answer;
    throw ApiError(404, "", "no such endpoint: " + path);
}

}  // namespace evtwin::serve
