#include "data/arrivals.hpp"

#include <algorithm>
#include <numeric>

namespace evtwin {

void sort_by_arrival_and_number(std::vector<SessionSpec>& sessions) {
    // Sorting positions and moving each session once is far cheaper than sorting the sessions.
    std::vector<std::uint32_t> order(sessions.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t i, std::uint32_t j) {
        const SessionSpec& a = sessions[i];
        const SessionSpec& b = sessions[j];
        return a.arrival != b.arrival ? a.arrival < b.arrival : a.departure < b.departure;
    });
    std::vector<SessionSpec> sorted;
    sorted.reserve(sessions.size());
    for (const std::uint32_t i : order) {
        sorted.push_back(std::move(sessions[i]));
        sorted.back().id = static_cast<SessionId>(sorted.size() - 1);
    }
    sessions = std::move(sorted);
}

SessionSpec acn_session(std::string station, Time arrival, Time departure, Time declared_departure,
                        double requested_kwh, double delivered_kwh, const AcnImportOptions& options) {
    SessionSpec s;
    s.station = std::move(station);
    s.arrival = arrival;
    s.departure = departure;
    s.declared_departure = declared_departure;
    s.initial_soc = options.initial_soc;
    s.requested_kwh = requested_kwh;
    s.vehicle.model = "ACN-Data (unknown EV)";
    s.vehicle.max_ac_kw = options.default_max_kw;
    const double needed =
        std::max(requested_kwh, delivered_kwh) * s.vehicle.charge_efficiency / (1.0 - options.initial_soc);
    s.vehicle.capacity_kwh = std::max(options.default_capacity_kwh, needed);
    return s;
}

}  // namespace evtwin
