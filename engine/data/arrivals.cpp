#include "data/arrivals.hpp"

#include <algorithm>

namespace evtwin {

void sort_by_arrival_and_number(std::vector<SessionSpec>& sessions) {
    // The keys are sorted apart from the sessions, which are then moved along their permutation's
    // cycles in place: no copy of the sessions, and no cache miss per comparison.
    struct Key {
        Time arrival;
        Time departure;
        std::uint32_t index;
    };
    std::vector<Key> keys(sessions.size());
    for (std::uint32_t i = 0; i < keys.size(); ++i) keys[i] = {sessions[i].arrival, sessions[i].departure, i};
    const auto before = [](const Key& a, const Key& b) {
        return a.arrival != b.arrival ? a.arrival < b.arrival : a.departure < b.departure;
    };
    if (!std::is_sorted(keys.begin(), keys.end(), before)) {
        std::stable_sort(keys.begin(), keys.end(), before);
        std::vector<bool> placed(sessions.size(), false);
        for (std::size_t start = 0; start < keys.size(); ++start) {
            if (placed[start] || keys[start].index == start) continue;
            SessionSpec held = std::move(sessions[start]);
            std::size_t at = start;
            for (std::size_t from = keys[at].index; from != start; from = keys[at].index) {
                sessions[at] = std::move(sessions[from]);
                placed[at] = true;
                at = from;
            }
            sessions[at] = std::move(held);
            placed[at] = true;
        }
    }
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
