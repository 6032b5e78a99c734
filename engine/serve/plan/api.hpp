#pragma once
// The routes of `evtwin serve` (docs/serve.md): authentication, the planning API, metrics, the
// OpenAPI document and the planner page's static files. Every answer is recorded in the metrics.
#include "serve/net/http_server.hpp"
#include "serve/net/metrics.hpp"
#include "serve/net/static_files.hpp"
#include "serve/plan/planner.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace evtwin::serve {

struct ApiConfig {
    std::string token;              // the bearer token every route but health, OpenAPI and the page needs
    std::filesystem::path web_dir;  // the planner page's files, listed at start; empty: no page
    // Live mode's routes (LiveService::handle), asked after the token is checked; empty: none.
    std::function<std::optional<HttpResponse>(const HttpRequest&, const std::string& path)> live;
    // Live mode's OCPI endpoints (LiveService::handle_ocpi), asked for paths under /ocpi/ before the
    // bearer token is checked: OCPI parties have credentials tokens of their own; empty: none.
    std::function<std::optional<HttpResponse>(const HttpRequest&, const std::string& path)> ocpi;
};

class Api {
public:
    Api(Planner& planner, ApiConfig config);

    using Routes = std::function<std::optional<HttpResponse>(const HttpRequest&, const std::string& path)>;
    // Before serving: the results routes (ResultsApi::handle), asked after the token is checked.
    void set_results(Routes results) { results_ = std::move(results); }

    HttpResponse handle(const HttpRequest& request);
    // The route pattern a request matched, for the access log and metrics ("/v1/plans/{id}").
    static std::string route_of(const std::string& method, const std::string& path);

private:
    HttpResponse dispatch(const HttpRequest& request, const std::string& path);
    bool authorised(const HttpRequest& request) const;

    Planner& planner_;
    ApiConfig config_;
    Routes results_;
    StaticFiles pages_;
    Metrics metrics_;
};

// The OpenAPI 3 document of the API (engine/serve/plan/openapi.json, compiled in).
const std::string& openapi_document();

}  // namespace evtwin::serve
