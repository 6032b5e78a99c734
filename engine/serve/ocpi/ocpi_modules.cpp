// The CPO's sender interfaces: locations (and one location, EVSE or connector), sessions, CDRs and
// tariffs, each list paged and filtered by last_updated (transport_and_format.asciidoc).
#include "serve/ocpi/ocpi_service.hpp"

#include "ocpi/format/write.hpp"

namespace evtwin::serve::ocpi {

namespace {

// The page of the objects within the page's dates, in the order given: only its objects are
// written as JSON.
template <class Object>
HttpResponse dated_page(const std::vector<Object>& all, const Page& page, std::size_t max_limit,
                        const std::string& base_url, Time now) {
    nlohmann::ordered_json items = nlohmann::ordered_json::array();
    std::size_t total = 0;
    for (const Object& o : all) {
        if (!in_dates(page, o.last_updated)) continue;
        if (total >= page.offset && total < page.offset + page.limit)
            items.push_back(evtwin::ocpi::to_json(o));
        ++total;
    }
    return page_response(std::move(items), total, page, max_limit, base_url, now);
}

}  // namespace

Location OcpiService::location_now() {
    // The twin first, then the ledger: the twin tells the ledger its changes under its own lock.
    const std::vector<LiveConnectorState> connectors = twin_.connectors();
    std::vector<bool> held(connectors.size(), false);
    for (const LiveReservationState& r : twin_.reservations())
        if (r.reservation.state == ReservationState::held && r.reservation.connector < held.size())
            held[r.reservation.connector] = true;
    return ledger_.location(connectors, held, clock_.now());
}

HttpResponse OcpiService::locations(const HttpRequest& request, const std::vector<std::string>& rest) {
    if (request.method != "GET")
        throw OcpiError(405, kClientError, "method " + request.method + " not allowed here (use GET)");
    const Location l = location_now();
    const Time now = clock_.now();
    if (rest.empty()) {
        const Page page = read_page(request.target, config_.max_limit);
        return dated_page(std::vector<Location>{l}, page, config_.max_limit, url("2.2.1/locations"), now);
    }
    if (rest.size() > 3) throw OcpiError(404, kClientError, "no such OCPI endpoint");
    if (rest[0] != l.id) throw OcpiError(404, kUnknownLocation, "unknown location '" + rest[0] + "'");
    if (rest.size() == 1) return ocpi_response(200, evtwin::ocpi::to_json(l), now);
    for (const evtwin::ocpi::Evse& e : l.evses) {
        if (e.uid != rest[1]) continue;
        const nlohmann::ordered_json evse = evtwin::ocpi::to_json(l)["evses"][&e - l.evses.data()];
        if (rest.size() == 2) return ocpi_response(200, evse, now);
        for (const nlohmann::ordered_json& k : evse["connectors"])
            if (k["id"] == rest[2]) return ocpi_response(200, k, now);
        throw OcpiError(404, kUnknownLocation,
                        "unknown connector '" + rest[2] + "' of EVSE '" + rest[1] + "'");
    }
    throw OcpiError(404, kUnknownLocation, "unknown EVSE '" + rest[1] + "' of location '" + rest[0] + "'");
}

HttpResponse OcpiService::sessions(const HttpRequest& request) {
    if (request.method != "GET")
        throw OcpiError(405, kClientError, "method " + request.method + " not allowed here (use GET)");
    const Page page = read_page(request.target, config_.max_limit);
    // mod_sessions.asciidoc makes date_from required of a session list.
    if (!page.date_from) throw invalid("date_from", "required parameter missing");
    const Time now = clock_.now();
    return dated_page(ledger_.sessions(now), page, config_.max_limit, url("2.2.1/sessions"), now);
}

HttpResponse OcpiService::cdrs(const HttpRequest& request) {
    if (request.method != "GET")
        throw OcpiError(405, kClientError, "method " + request.method + " not allowed here (use GET)");
    const Page page = read_page(request.target, config_.max_limit);
    return dated_page(ledger_.cdrs(), page, config_.max_limit, url("2.2.1/cdrs"), clock_.now());
}

HttpResponse OcpiService::tariffs(const HttpRequest& request) {
    if (request.method != "GET")
        throw OcpiError(405, kClientError, "method " + request.method + " not allowed here (use GET)");
    const Page page = read_page(request.target, config_.max_limit);
    return dated_page(std::vector<Tariff>{ledger_.tariff()}, page, config_.max_limit, url("2.2.1/tariffs"),
                      clock_.now());
}

}  // namespace evtwin::serve::ocpi
