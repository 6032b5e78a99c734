#include "data/arrivals.hpp"

#include <algorithm>

namespace evtwin {

void sort_by_arrival_and_number(std::vector<SessionSpec>& sessions) {
    std::stable_sort(sessions.begin(), sessions.end(), [](const SessionSpec& a, const SessionSpec& b) {
        return a.arrival != b.arrival ? a.arrival < b.arrival : a.departure < b.departure;
    });
    for (std::size_t i = 0; i < sessions.size(); ++i) sessions[i].id = static_cast<SessionId>(i);
}

}  // namespace evtwin
