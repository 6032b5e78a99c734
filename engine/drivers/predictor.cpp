// The naive baselines of a driver's next charge.
#include "drivers/predictor.hpp"

namespace evtwin::drivers {

int most_likely_slot(const DriverPrediction& prediction) {
    int best = 0;
    for (int s = 1; s < kSlots; ++s)
        if (prediction.probability[s] > prediction.probability[best]) best = s;
    return best;
}

void LastWeekBaseline::predict(const DriverView& view, const PopulationView&, DriverPrediction& out) const {
    for (int s = 0; s < kSlots; ++s) out.probability[s] = view.last_week[week_slot(view, s)] != 0 ? 1.0 : 0.0;
    out.next_kwh = view.last_kwh;
}

void FrequencyBaseline::predict(const DriverView& view, const PopulationView&, DriverPrediction& out) const {
    for (int s = 0; s < kSlots; ++s)
        out.probability[s] =
            static_cast<double>(view.weeks_with[week_slot(view, s)]) / static_cast<double>(view.weeks);
    out.next_kwh = view.mean_kwh;
}

}  // namespace evtwin::drivers
