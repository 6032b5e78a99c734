#include "data/arrivals.hpp"

#include <algorithm>

namespace evtwin {

void sort_by_arrival_and_number(std::vector<SessionSpec>& sessions) {
    std::stable_sort(sessions.begin(), sessions.end(), [](const SessionSpec& a, const SessionSpec& b) {
        return a.arrival != b.arrival ? a.arrival < b.arrival : a.departure < b.departure;
    });
    for (std::size_t i = 0; i < sessions.size(); ++i) sessions[i].id = static_cast<SessionId>(i);
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
