// The reservation routes of live mode (docs/live.md, "Reservations"): POST /v1/reservations,
// GET /v1/reservations, GET and DELETE /v1/reservations/{id}.
#include "model/local_time.hpp"
#include "serve/csms/live_service.hpp"
#include "serve/net/api_error.hpp"
#include "serve/net/json_fields.hpp"
#include "serve/net/json_text.hpp"

#include <charconv>
#include <future>
#include <thread>

namespace evtwin::serve {

namespace {

constexpr const char* kReservations = "/v1/reservations";

// A charge point's answer takes at most its call timeout; this much more covers the queue.
constexpr auto kAnswerWait = std::chrono::seconds(12);

}  // namespace

nlohmann::json LiveService::reservation_json(const LiveReservationState& state) const {
    const Reservation& r = state.reservation;
    nlohmann::json j = {{"id", r.id + 1},
                        {"id_tag", r.id_tag},
                        {"from", format_utc(r.from)},
                        {"to", format_utc(r.to)},
                        {"state", to_string(r.state)},
                        {"status", state.status.empty() ? nlohmann::json() : nlohmann::json(state.status)}};
    const ConnectorIndex c = r.connector != kNone ? r.connector : state.wanted;
    if (c != kNone) {
        const MappedConnector& m = map_->at(c);
        j["charger"] = m.charger->name;
        j["charge_point"] = m.charge_point;
        j["connector"] = m.number;
    } else {
        j["charger"] = nullptr;
    }
    j["session"] = r.session == kNone ? nlohmann::json() : nlohmann::json(r.session);
    return j;
}

std::optional<HttpResponse> LiveService::reservations(const HttpRequest& request, const std::string& path) {
    if (path == kReservations) {
        if (request.method == "GET") {
            nlohmann::json list = nlohmann::json::array();
            for (const LiveReservationState& r : twin_->reservations()) list.push_back(reservation_json(r));
            return json_response(200, json_text({{"reservations", list}}));
        }
        if (request.method == "POST") return reserve(request);
        throw ApiError(405, "", "method " + request.method + " not allowed here (use GET or POST)");
    }
    const std::string prefix = std::string(kReservations) + "/";
    if (path.rfind(prefix, 0) != 0) return std::nullopt;
    const std::string text = path.substr(prefix.size());
    std::uint32_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    std::optional<LiveReservationState> state;
    if (!text.empty() && error == std::errc() && end == text.data() + text.size() && number >= 1)
        state = twin_->reservation(number - 1);
    if (!state) throw ApiError(404, "", "no reservation '" + text + "'");
    if (request.method == "GET") return json_response(200, json_text(reservation_json(*state)));
    if (request.method != "DELETE")
        throw ApiError(405, "", "method " + request.method + " not allowed here (use GET or DELETE)");
    auto answered = std::make_shared<std::promise<std::string>>();
    std::future<std::string> status = answered->get_future();
    central_->cancel_reservation(number - 1, [answered](const std::string& s) { answered->set_value(s); });
    if (status.wait_for(kAnswerWait) != std::future_status::ready)
        throw ApiError(504, "", "the charge point did not answer CancelReservation");
    const std::string s = status.get();
    nlohmann::json body = reservation_json(*twin_->reservation(number - 1));
    body["cancel_status"] = s;
    if (s != "Accepted")
        throw ApiError(409, "",
                       "reservation " + text + " was not cancelled: " + s + " (state " +
                           body["state"].get<std::string>() + ")");
    return json_response(200, json_text(body));
}

HttpResponse LiveService::reserve(const HttpRequest& request) {
    const nlohmann::json body = parse_body(request.body);
    JsonFields f(body, "");
    const std::string id_tag = f.text("id_tag");
    if (id_tag.empty() || id_tag.size() > 20)
        throw ApiError(422, "/id_tag",
                       "id_tag: 1 to 20 characters (OCPP 1.6's idTag), got " + std::to_string(id_tag.size()));
    ConnectorIndex wanted = kNone;
    if (const auto charger = f.optional_text("charger")) {
        const auto number = f.optional_number("connector", 1, 64);
        const int k = number ? static_cast<int>(*number) : 1;
        if (number && *number != static_cast<double>(k))
            throw ApiError(422, "/connector", "connector: a whole number from 1");
        int seen = 0;
        for (ConnectorIndex c = 0; c < twin_->site().connectors().size() && wanted == kNone; ++c)
            if (map_->at(c).charger->name == *charger && ++seen == k) wanted = c;
        if (wanted == kNone)
            throw ApiError(422, "/charger",
                           seen == 0 ? "charger: the site has no charger '" + *charger + "'"
                                     : "connector: charger '" + *charger + "' has " + std::to_string(seen) +
                                           " connector(s), not " + std::to_string(k));
    } else if (f.has("connector")) {
        throw ApiError(422, "/connector", "connector: give it with 'charger'");
    }
    const TimeZone zone(spec_.timezone);
    const auto time_of = [&](const std::string& key, const std::optional<std::string>& text) {
        if (!text) return clock_->now();
        try {
            return parse_time(*text, zone);
        } catch (const std::invalid_argument& e) {
            throw ApiError(422, "/" + key, key + ": " + e.what());
        }
    };
    const Time from = time_of("from", f.optional_text("from"));
    const Time to = time_of("to", std::optional<std::string>(f.text("to")));
    f.done();
    if (!(from < to))
        throw ApiError(422, "/to",
                       "to: must come after from (" + format_utc(from) + "), got " + format_utc(to));
    if (to <= clock_->now())
        throw ApiError(422, "/to",
                       "to: must lie ahead of the live clock (" + format_utc(clock_->now()) + ")");
    const std::uint32_t id = twin_->add_reservation(id_tag, wanted, from, to);
    if (from <= clock_->now()) {
        central_->serve_reservations(clock_->now());
        // Until its charge point answers ReserveNow (or the CALL times out).
        const auto give_up = std::chrono::steady_clock::now() + kAnswerWait;
        while (std::chrono::steady_clock::now() < give_up) {
            const auto state = twin_->reservation(id);
            if (state->reservation.state != ReservationState::held || !state->status.empty()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }
    const LiveReservationState state = *twin_->reservation(id);
    const ReservationState s = state.reservation.state;
    const bool refused = s == ReservationState::refused;
    const int status = refused ? 409 : s == ReservationState::waiting ? 202 : 201;
    return json_response(status, json_text(reservation_json(state)));
}

}  // namespace evtwin::serve
