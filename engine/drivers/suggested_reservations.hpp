#pragma once
// Reservations offered to returning drivers for the hour their next charge is predicted in (issue
// "the driver's next charge"; docs/drivers.md, section Suggested reservations). Each local day at
// midnight, every driver with sessions before then and not plugged in is predicted; the most likely
// hour of that day, when its probability reaches the threshold, is offered as a reservation of the
// driver's most used charger from `margin` before the hour to `margin` after it. A prediction at
// midnight sees only the sessions that arrived before it.
#include "drivers/predictor.hpp"
#include "model/scenario_spec.hpp"

#include <string>
#include <vector>

namespace evtwin::drivers {

struct SuggestionPolicy {
    double min_probability = 0.5;
    Duration margin = Duration::hours(1);
};

struct SuggestedReservation {
    ReservationSpec reservation;  // the driver's id as its token
    double probability = 0.0;     // of a session starting in the predicted hour
};

// The offers for the days of [start, end) from `sessions` (any order; those before `start` are
// history only), by day, then driver id. `predictor` answers for every driver alike.
std::vector<SuggestedReservation> suggest_reservations(const std::vector<SessionSpec>& sessions,
                                                       const TimeZone& zone, Time start, Time end,
                                                       const Predictor& predictor,
                                                       const SuggestionPolicy& policy);

}  // namespace evtwin::drivers
