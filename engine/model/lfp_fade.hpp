#pragma once
// LFP/graphite capacity fade: the Sony-Murata 3 Ah cell of Naumann et al. (2018, 2020), model identified
// by NREL, as in BLAST-Lite's lfp_gr_SonyMurata3Ah_2018.py (docs/battery.md, "Capacity fade").
#include "model/fade_trajectory.hpp"

#include <span>

namespace evtwin::fade::lfp {

// Graphite anode potential vs Li at a SoC, V (Safari and Delacourt 2011, as in BLAST-Lite's _get_Ua).
double anode_potential(double soc);

// Calendar: loss = q1 tanh((q2 t)^q3 / 2), t in days; q1 and q3 depend on temperature and anode potential.
struct CalendarParams {
    double q1;  // asymptotic loss
    double q2;  // 1/day
    double q3;  // exponent
};
CalendarParams calendar_params(double soc, double temperature_c);
double calendar_after(double loss, const Segment& segment);
// The same over segments one after another.
double calendar_after_segments(double loss, std::span<const Segment> segments);
double calendar_per_day(double loss, double soc, double temperature_c);

// Cycling: loss = (q5 EFC)^q6; q5 = max(0, b0 + b1 DoD) + b2 exp(DoD^2 C^3), C capped at 1.5, q6 = 1.1285.
double cycling_q5(const CycleStress& stress);
double cycling_after(double loss, const CycleStress& stress, double efc);
double cycling_per_efc(double loss, const CycleStress& stress);

}  // namespace evtwin::fade::lfp
