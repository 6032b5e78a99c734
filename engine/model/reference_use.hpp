#pragma once
// The reference use that expected_soh() and the initial state of a used battery refer to
// (docs/battery.md, "Reference use"): 20 °C, parked at 60 % SoC, and 300 equivalent full cycles a year
// of 40 % depth at 0.3 C (excursions 60 -> 40 -> 80 -> 60 % SoC), simulated with the model itself in
// weekly stretches. The weekly states of 60 years are simulated when evtwin is built
// (engine/tools/reference_weeks.cpp), so that a run looks them up.
#include "model/battery_ageing.hpp"

#include <vector>

namespace evtwin {

// The reference use's SoC trace from one age to another (days, from <= to).
std::vector<SocPoint> reference_trace(double from_days, double to_days);

struct ReferenceLoss {
    double calendar = 0.0;
    double cycling = 0.0;
    double total() const { return calendar + cycling; }
};

// The losses after `age_days` of the reference use.
ReferenceLoss reference_loss(Chemistry chemistry, double age_days);

// The states after weeks 0..last_week of the reference use, simulated (week 0: a new battery).
std::vector<ReferenceLoss> compute_reference_weeks(Chemistry chemistry, std::size_t last_week);
// The last week the build-time table holds: 60 years, as far as reference_split() looks.
std::size_t reference_table_weeks();

// A loss split between calendar and cycling in the proportion the reference use has when its total
// loss is `loss` (interpolated between weekly states; past 60 years, the proportion at 60 years).
ReferenceLoss reference_split(Chemistry chemistry, double loss);

}  // namespace evtwin
