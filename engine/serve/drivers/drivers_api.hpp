#pragma once
// GET /v1/drivers/{id}/next (evtwin serve --drivers-model FILE --drivers-history FILE): a driver's
// next charge from the sessions of the history source (docs/drivers.md): the 168 coming hour slots
// with their probability and expected energy, the most likely slot and the next session's energy.
// A results database as the source is read again at each request, so a live server's own database
// answers with the idTags of the sessions it has seen so far.
#include "drivers/history.hpp"
#include "drivers/model.hpp"
#include "serve/net/http_server.hpp"

#include <evtwin/time.hpp>

#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace evtwin::serve {

class DriversApi {
public:
    // `now` gives the current instant (the system clock in the server; a fixed one in tests).
    DriversApi(drivers::DriverModel model, drivers::HistorySource source, std::function<Time()> now);

    // The route's answer, or empty for a path that is not /v1/drivers/...; throws ApiError: 404 for
    // an unknown driver or path, 405 for another method, 422 naming the parameter for bad input.
    std::optional<HttpResponse> handle(const HttpRequest& request, const std::string& path);

private:
    const drivers::DriverHistory& history();

    drivers::DriverModel model_;
    drivers::HistorySource source_;
    std::function<Time()> now_;
    bool reload_;  // a results database: read at each request
    std::mutex mutex_;
    std::optional<drivers::DriverHistory> history_;
};

}  // namespace evtwin::serve
