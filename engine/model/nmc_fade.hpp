#pragma once
// NMC111/graphite capacity fade: Schmalstieg et al. (2014), as in NREL BLAST-Lite's
// nmc111_gr_Sanyo2Ah_2014.py, with the C-rate factor of Wang et al. (2014) on the cycling part
// (docs/battery.md, "Capacity fade").
#include "model/fade_trajectory.hpp"

#include <span>

namespace evtwin::fade::nmc {

// Open-circuit voltage of the Sanyo UR18650E cell at a SoC (0..1), V.
double ocv(double soc);
// RMS of the open-circuit voltage over a SoC window, taken uniformly in SoC, V.
double rms_ocv(double soc_low, double soc_high);

// Calendar: loss = alpha t^0.75, t in days; alpha = (7.543 V - 23.75) 1e6 exp(-6976 / T).
double calendar_alpha(double soc, double temperature_c);
double calendar_after(double loss, const Segment& segment);
// The same over segments one after another.
double calendar_after_segments(double loss, std::span<const Segment> segments);
double calendar_per_day(double loss, double soc, double temperature_c);

// Cycling: loss = beta Q^0.5, Q the charge throughput (charge and discharge) in A h of the 2.15 A h cell,
// Q = 4.3 EFC; beta = 7.348e-3 (V_rms - 3.667)^2 + 7.6e-4 + 4.081e-3 DoD, times the C-rate factor.
double cycling_beta(const CycleStress& stress);
double c_rate_factor(double c_rate, double temperature_c);
double cycling_after(double loss, const CycleStress& stress, double efc);
double cycling_per_efc(double loss, const CycleStress& stress);

}  // namespace evtwin::fade::nmc
