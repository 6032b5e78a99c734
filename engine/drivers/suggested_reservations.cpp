#include "drivers/suggested_reservations.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace evtwin::drivers {
namespace {

// The charger a driver used most often before the origin (the first in name order of equal ones).
class UsualStations {
public:
    void count(const SessionSpec& s) {
        if (!s.vehicle_id.empty() && !s.station.empty()) ++uses_[s.vehicle_id][s.station];
    }
    std::string of(const std::string& driver) const {
        const auto it = uses_.find(driver);
        if (it == uses_.end()) return "";
        const auto best = std::max_element(it->second.begin(), it->second.end(),
                                           [](const auto& a, const auto& b) { return a.second < b.second; });
        return best->first;
    }

private:
    std::map<std::string, std::map<std::string, int>> uses_;
};

}  // namespace

std::vector<SuggestedReservation> suggest_reservations(const std::vector<SessionSpec>& sessions,
                                                       const TimeZone& zone, Time start, Time end,
                                                       const Predictor& predictor,
                                                       const SuggestionPolicy& policy) {
    std::vector<const SessionSpec*> by_arrival;
    for (const SessionSpec& s : sessions)
        if (!s.vehicle_id.empty()) by_arrival.push_back(&s);
    std::stable_sort(by_arrival.begin(), by_arrival.end(),
                     [](const SessionSpec* a, const SessionSpec* b) { return a->arrival < b->arrival; });

    std::vector<SuggestedReservation> out;
    std::vector<SessionSpec> seen;  // arrived before the origin
    UsualStations stations;
    std::size_t next = 0;
    const Time first_midnight = zone.local_midnight(start);
    for (LocalMs day = first_midnight.ms() + zone.utc_offset(first_midnight).ms();; day += kDayMs) {
        const Time origin = zone.to_utc(civil_from_ms(day));
        if (origin >= end) break;
        for (; next < by_arrival.size() && by_arrival[next]->arrival < origin; ++next) {
            seen.push_back(*by_arrival[next]);
            stations.count(*by_arrival[next]);
        }
        if (seen.empty()) continue;
        std::set<std::string> plugged_in;
        for (const SessionSpec& s : seen)
            if (s.departure > origin) plugged_in.insert(s.vehicle_id);

        const DriverHistory history = history_from_sessions(seen, zone, "suggested reservations");
        const std::vector<DriverView> views = driver_views(history, day);
        const PopulationView population = population_view(views);
        for (const DriverView& view : views) {
            if (plugged_in.count(view.driver->id)) continue;
            DriverPrediction prediction;
            predictor.predict(view, population, prediction);
            int best = 0;  // the day's first 24 hours
            for (int k = 1; k < 24; ++k)
                if (prediction.probability[k] > prediction.probability[best]) best = k;
            if (prediction.probability[best] < policy.min_probability) continue;
            const Time hour = zone.to_utc(civil_from_ms(day + best * kHourMs));
            ReservationSpec r{view.driver->id, stations.of(view.driver->id),
                              std::max(start, hour - policy.margin),
                              std::min(end, hour + Duration::hours(1) + policy.margin)};
            if (r.from < r.to) out.push_back({std::move(r), prediction.probability[best]});
        }
    }
    return out;
}

}  // namespace evtwin::drivers
