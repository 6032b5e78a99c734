#include "model/lfp_fade.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin::fade::lfp {

namespace {

// BLAST-Lite lfp_gr_SonyMurata3Ah_2018.py, _params_life (capacity part).
constexpr double kQ1b0 = 0.989687151293590;
constexpr double kQ1b1 = -2881067.56019324;   // K^2 / V^0.5
constexpr double kQ1b2 = 8742.06309157261;    // K / V^0.5
constexpr double kQ2 = 0.000130510034211874;  // 1/day
constexpr double kQ3b0 = 0.000332850281062177;
constexpr double kQ3b1 = 734553185711.369;       // K^4 / V^(1/3)
constexpr double kQ3b2 = -2.82161575620780e-06;  // 1 / (K^3 V^(1/4))
constexpr double kQ3b3 = -3284991315.45121;      // K^3 / V^(1/3)
constexpr double kQ3b4 = 0.00127227593657290;    // 1 / (K^2 V^(1/4))
constexpr double kQ5b0 = -6.81260579372875e-06;
constexpr double kQ5b1 = 2.59615973160844e-05;
constexpr double kQ5b2 = 2.11559710307295e-06;
constexpr double kQ6 = 1.12847759334355;

// The C-rate stressor is the mean of the charge and discharge rates; the tests went to 1 C charge and
// 2 C discharge. Beyond, exp(DoD^2 C^3) grows without bound (at 2.5 C: 3 % a cycle at 80 % depth, all of it
// at full depth), so the law is held at this rate.
constexpr double kMaxCRate = 1.5;

// A segment is integrated in sub-steps of at most this SoC change, each at its midpoint's stress.
constexpr double kSubstepSoc = 0.01;

}  // namespace

double anode_potential(double soc) {
    const double x = 8.5e-3 + std::clamp(soc, 0.0, 1.0) * (0.78 - 8.5e-3);  // lithiation fraction
    return 0.6379 + 0.5416 * std::exp(-305.5309 * x) + 0.044 * std::tanh(-(x - 0.1958) / 0.1088) -
           0.1978 * std::tanh((x - 1.0571) / 0.0854) - 0.6875 * std::tanh((x + 0.0117) / 0.0529) -
           0.0175 * std::tanh((x - 0.5692) / 0.0875);
}

CalendarParams calendar_params(double soc, double temperature_c) {
    const double t = kelvin(temperature_c);
    const double ua = anode_potential(soc);
    const double q1 = std::abs(kQ1b0 * std::exp(std::sqrt(ua) * (kQ1b1 / (t * t) + kQ1b2 / t)));
    const double ua3 = std::cbrt(ua);
    const double ua4 = std::sqrt(std::sqrt(ua));
    const double t2 = t * t;
    const double t3 = t2 * t;
    const double q3 = std::abs(
        kQ3b0 * std::exp(kQ3b1 / (t3 * t) * ua3 + kQ3b2 * t3 * ua4 + kQ3b3 / t3 * ua3 + kQ3b4 * t2 * ua4));
    return {q1, kQ2, q3};
}

double calendar_after(double loss, const Segment& segment) {
    if (segment.days <= 0.0) return loss;
    const double change = segment.soc1 - segment.soc0;
    const int steps = std::max(1, static_cast<int>(std::ceil(std::abs(change) / kSubstepSoc)));
    const double dt = segment.days / steps;
    for (int i = 0; i < steps; ++i) {
        const double soc = segment.soc0 + change * (i + 0.5) / steps;
        const CalendarParams p = calendar_params(soc, segment.temperature_c);
        loss = sigmoid_after(loss, p.q1, p.q2, p.q3, dt);
    }
    return loss;
}

double calendar_after_segments(double loss, std::span<const Segment> segments) {
    for (const Segment& segment : segments) loss = calendar_after(loss, segment);
    return loss;
}

double calendar_per_day(double loss, double soc, double temperature_c) {
    const CalendarParams p = calendar_params(soc, temperature_c);
    return sigmoid_slope(loss, p.q1, p.q2, p.q3, 1.0);
}

double cycling_q5(const CycleStress& stress) {
    const double dod = stress.depth();
    const double c = std::min(stress.c_rate, kMaxCRate);
    // BLAST-Lite takes |b0 + b1 DoD + b2 exp(..)|, which dips to zero near DoD 0.18 (below the tested
    // depths) and rises again for shallower cycles; holding the linear part at zero instead keeps q5 the
    // published value for DoD >= 0.26 (where b0 + b1 DoD >= 0) and non-decreasing in DoD below.
    return std::max(0.0, kQ5b0 + kQ5b1 * dod) + kQ5b2 * std::exp(dod * dod * c * c * c);
}

double cycling_after(double loss, const CycleStress& stress, double efc) {
    return power_law_after(loss, kQ6, cycling_q5(stress) * efc);
}

double cycling_per_efc(double loss, const CycleStress& stress) {
    return power_law_slope(loss, kQ6, cycling_q5(stress), 1.0);
}

}  // namespace evtwin::fade::lfp
