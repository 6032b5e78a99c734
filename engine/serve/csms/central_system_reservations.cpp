// Reservations on the charge points (docs/live.md, "Reservations"): ReserveNow when a reservation
// starts (OCPP 1.6 on its connectorId, 2.0.1 and 2.1 on its evseId), CancelReservation, and the
// station's ReservationStatusUpdate (2.0.1, 2.1). The twin holds the connector (live_twin.hpp).
#include "model/local_time.hpp"
#include "serve/csms/central_system_link.hpp"

#include <limits>

namespace evtwin::serve {

using nlohmann::json;

namespace {

// A CALL's outcome as a status: the charge point's, or what happened to the CALL.
std::string status_of(const json* result, const RpcError* error) {
    if (result && result->contains("status") && (*result)["status"].is_string())
        return (*result)["status"].get<std::string>();
    return error ? error->code : std::string("Rejected");
}

}  // namespace

std::shared_ptr<CentralSystem::Link> CentralSystem::link_of_connector(ConnectorIndex c) const {
    std::lock_guard lock(links_mutex_);
    const auto it = by_id_.find(map_.at(c).charge_point);
    return it == by_id_.end() ? nullptr : it->second;
}

void CentralSystem::serve_reservations(Time now) {
    twin_.expire_reservations(now);
    for (const LiveReservationState& r : twin_.start_reservations(now)) reserve_now(r);
}

void CentralSystem::reserve_now(const LiveReservationState& state) {
    const Reservation& r = state.reservation;
    const std::uint32_t id = r.id;
    const std::shared_ptr<Link> link = link_of_connector(r.connector);
    if (!link) {
        twin_.reservation_answered(id, clock_.now(), "Unavailable");
        return;
    }
    const MappedConnector& m = map_.at(r.connector);
    json payload;
    if (link->version == OcppVersion::v16) {
        payload = {{"connectorId", m.number},
                   {"expiryDate", format_utc(r.to)},
                   {"idTag", r.id_tag},
                   {"reservationId", id + 1}};
    } else {
        payload = {{"id", id + 1},
                   {"expiryDateTime", format_utc(r.to)},
                   {"idToken", {{"idToken", r.id_tag}, {"type", "Central"}}},
                   {"evseId", m.number}};
    }
    send_call(link, "ReserveNow", payload, [this, id](const json* result, const RpcError* error) {
        twin_.reservation_answered(id, clock_.now(), status_of(result, error));
    });
}

void CentralSystem::cancel_reservation(std::uint32_t id, std::function<void(const std::string&)> done) {
    const std::optional<LiveReservationState> state = twin_.reservation(id);
    if (!state) return done("Rejected");
    const Reservation& r = state->reservation;
    if (r.state == ReservationState::waiting) {  // never sent: nothing to tell a charge point
        twin_.cancel_reservation(id, clock_.now(), "cancelled before it started");
        return done("Accepted");
    }
    if (r.state != ReservationState::held) return done("Rejected");
    const std::shared_ptr<Link> link = link_of_connector(r.connector);
    if (!link) return done("Unavailable");
    send_call(link, "CancelReservation", {{"reservationId", id + 1}},
              [this, id, done](const json* result, const RpcError* error) {
                  const std::string status = status_of(result, error);
                  if (status == "Accepted") twin_.cancel_reservation(id, clock_.now(), "cancelled");
                  done(status);
              });
}

json CentralSystem::reservation_status_update(const json& p, Time now) {  // 2.0.1 and 2.1
    const std::int64_t id = p["reservationId"].get<std::int64_t>();
    const std::string status = p["reservationUpdateStatus"].get<std::string>();
    if (id >= 1 && id <= static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max()))
        twin_.reservation_ended(static_cast<std::uint32_t>(id - 1), now, status == "Expired");
    return json::object();
}

}  // namespace evtwin::serve
