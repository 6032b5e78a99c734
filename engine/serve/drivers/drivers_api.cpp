// A driver's next charge over HTTP.
#include "serve/drivers/drivers_api.hpp"

#include "drivers/evaluation.hpp"
#include "model/local_time.hpp"
#include "serve/net/api_error.hpp"
#include "serve/net/query_params.hpp"

#include <nlohmann/json.hpp>

namespace evtwin::serve {
namespace {

constexpr const char* kDriversPrefix = "/v1/drivers/";
constexpr const char* kNextSuffix = "/next";

}  // namespace

DriversApi::DriversApi(drivers::DriverModel model, drivers::HistorySource source, std::function<Time()> now)
    : model_(std::move(model)),
      source_(std::move(source)),
      now_(std::move(now)),
      reload_(source_.format == drivers::HistoryFormat::run_db ||
              (!source_.format && source_.file.extension() == ".db")) {
    history();  // a source that cannot be read is refused at the start, not at the first request
}

const drivers::DriverHistory& DriversApi::history() {
    if (reload_ || !history_) history_ = drivers::load_history(source_);
    return *history_;
}

std::optional<HttpResponse> DriversApi::handle(const HttpRequest& request, const std::string& path) {
    if (path.rfind(kDriversPrefix, 0) != 0) return std::nullopt;
    const std::string rest = path.substr(std::string(kDriversPrefix).size());
    const std::size_t suffix = rest.size() >= 5 ? rest.size() - 5 : std::string::npos;
    if (suffix == std::string::npos || suffix == 0 || rest.compare(suffix, 5, kNextSuffix) != 0)
        throw ApiError(404, "", "no such endpoint: " + path + " (GET /v1/drivers/{id}/next)");
    if (request.method != "GET") throw ApiError(405, "", request.method + " is not allowed here; use GET");
    const std::string id = percent_decoded(rest.substr(0, suffix), "id");
    const QueryParams query(request.target, {"from"});

    std::lock_guard<std::mutex> lock(mutex_);
    const drivers::DriverHistory& h = [&]() -> const drivers::DriverHistory& {
        try {
            return history();
        } catch (const std::exception& e) {
            throw ApiError(503, "", std::string("the drivers' history cannot be read: ") + e.what());
        }
    }();
    const drivers::Driver* driver = h.find(id);
    if (!driver) throw ApiError(404, "id", "no driver '" + id + "' in " + h.source);
    const TimeZone zone(h.timezone);
    drivers::LocalMs origin = 0;
    if (const auto from = query.text("from")) {
        try {
            origin = drivers::parse_local(*from);
        } catch (const std::invalid_argument&) {
            throw ApiError(422, "from",
                           "expected a local time of the site (2021-06-07T08:00), got '" + *from + "'");
        }
        if (origin % drivers::kHourMs != 0)
            throw ApiError(422, "from", "expected a whole hour, got '" + *from + "'");
    } else {
        // The next whole hour of the site's wall clock.
        const Time now = now_();
        const drivers::LocalMs local = now.ms() + zone.utc_offset(now).ms();
        origin = (local / drivers::kHourMs + 1) * drivers::kHourMs;
    }
    drivers::DriverView view;
    if (!drivers::driver_view(*driver, origin, view))
        throw ApiError(404, "id",
                       "driver '" + id + "' has no session before " + drivers::format_local(origin));
    const auto views = drivers::driver_views(h, origin);
    drivers::DriverPrediction prediction;
    model_.predict(view, drivers::population_view(views), prediction);
    const int best = drivers::most_likely_slot(prediction);

    nlohmann::ordered_json slots = nlohmann::ordered_json::array();
    for (int s = 0; s < drivers::kSlots; ++s)
        slots.push_back({{"start", drivers::format_local(origin + s * drivers::kHourMs)},
                         {"probability", prediction.probability[s]},
                         {"expected_kwh", prediction.probability[s] * prediction.next_kwh}});
    const nlohmann::ordered_json body = {{"driver", id},
                                         {"timezone", h.timezone},
                                         {"from", drivers::format_local(origin)},
                                         {"most_likely",
                                          {{"slot", best},
                                           {"start", drivers::format_local(origin + best * drivers::kHourMs)},
                                           {"probability", prediction.probability[best]}}},
                                         {"next_session_kwh", prediction.next_kwh},
                                         {"slots", slots}};
    return json_response(200, body.dump());
}

}  // namespace evtwin::serve
