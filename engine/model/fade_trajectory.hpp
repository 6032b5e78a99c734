#pragma once
// The fitted trajectories of capacity fade and their state updates (docs/battery.md, "State update").
// A law gives the loss y after x (days or equivalent full cycles) at constant stress. The state is y
// itself: a stretch advances it from the x at which the trajectory, at the stretch's stress, passes
// through the present y (the "time-equivalent" x), which is the integral of the trajectory's derivative
// dy/dx = f(y, stress) that BLAST-Lite's state equations use.
#include <algorithm>
#include <cmath>

namespace evtwin::fade {

// y = (r x)^p, r the rate: BLAST-Lite's "power" form k x^p has r = k^(1/p), its "power B" form (k x)^p
// has r = k. With u = y^(1/p) the state equation is du/dx = r, so u adds up r dx over any split of a
// stretch, even with r varying along it: `rate_dx` is that sum (the integral of r dx).
inline double power_law_after(double y, double p, double rate_dx) {
    if (rate_dx <= 0.0) return y;
    return std::pow(std::pow(std::max(y, 0.0), 1.0 / p) + rate_dx, p);
}

// dy/dx at loss y and rate r. At y = 0 (where the slope is infinite for p < 1, zero for p > 1) it is
// the secant over the first `first_dx`, so that a new battery has a finite, non-zero marginal cost.
inline double power_law_slope(double y, double p, double rate, double first_dx) {
    if (rate <= 0.0) return 0.0;
    if (y <= 0.0) return std::pow(rate * first_dx, p) / first_dx;
    return p * rate * std::pow(y, (p - 1.0) / p);
}

// y = y_inf tanh((k x)^p / 2), BLAST-Lite's "sigmoid" form 2 y_inf (1/2 - 1/(1 + exp((k x)^p))).
// A loss at or above y_inf (reached under harsher stress) does not grow under this stress.
inline double sigmoid_x(double y, double y_inf, double k, double p) {
    if (y <= 0.0) return 0.0;
    return std::pow(2.0 * std::atanh(y / y_inf), 1.0 / p) / k;
}

inline double sigmoid_after(double y, double y_inf, double k, double p, double dx) {
    if (dx <= 0.0 || y_inf <= 0.0 || y >= y_inf) return y;
    const double x = sigmoid_x(y, y_inf, k, p) + dx;
    return std::max(y, y_inf * std::tanh(std::pow(k * x, p) / 2.0));
}

inline double sigmoid_slope(double y, double y_inf, double k, double p, double first_dx) {
    if (y_inf <= 0.0 || y >= y_inf) return 0.0;
    if (y <= 0.0) return sigmoid_after(0.0, y_inf, k, p, first_dx) / first_dx;
    const double x = sigmoid_x(y, y_inf, k, p);
    const double z = std::pow(k * x, p);
    const double sech = 1.0 / std::cosh(z / 2.0);
    return y_inf * sech * sech / 2.0 * p * z / x;
}

// A linear piece of a SoC trace: SoC from soc0 to soc1 over `days`, at one cell temperature.
struct Segment {
    double soc0;
    double soc1;
    double days;
    double temperature_c;
};

// The stress of one rainflow cycle: its SoC window, its C-rate (A per A h of nominal capacity) and the
// cell temperature while it ran.
struct CycleStress {
    double soc_low;
    double soc_high;
    double c_rate;
    double temperature_c;
    double depth() const { return soc_high - soc_low; }
};

inline double kelvin(double celsius) {
    return celsius + 273.15;
}

}  // namespace evtwin::fade
