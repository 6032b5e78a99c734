#pragma once
// The read-only routes of `evtwin serve --results` under /v1/results/ (docs/serve.md, "Results"):
// the runs of the served databases with filters, one run's KPIs and site, and windows of a run
// (site power, connectors, stations by date, events, limits and prices) whose answers are bounded
// whatever the run's length. The caller checks the token first.
#include "serve/net/http_server.hpp"
#include "serve/results/results_library.hpp"

#include <optional>
#include <string>

namespace evtwin::serve {

class ResultsApi {
public:
    explicit ResultsApi(const ResultsLibrary& library) : library_(library) {}

    // The answer when `path` is one of its routes, else empty. Throws ApiError (404 for an unknown
    // run, 405 for a method other than GET, 422 naming a bad query parameter).
    std::optional<HttpResponse> handle(const HttpRequest& request, const std::string& path) const;

private:
    const ResultsLibrary& library_;
};

// The route pattern of a path under /v1/results/ ("/v1/results/runs/{id}/power"), for the metrics;
// empty when it is none of them.
std::string results_route(const std::string& path);

}  // namespace evtwin::serve
