#pragma once
// Random valid charge curves and the reference piecewise-linear curve they describe, for the
// property tests of the staircase and the vehicle.
#include "model/vehicle_spec.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace evtwin::test {

// The curve as the spec defines it: linear between points, constant before the first and after the
// last; empty means 1.
inline double curve_fraction(const std::vector<ChargeCurvePoint>& curve, double soc) {
    if (curve.empty()) return 1.0;
    if (soc <= curve.front().soc) return curve.front().fraction;
    for (std::size_t i = 0; i + 1 < curve.size(); ++i) {
        const auto [s0, f0] = curve[i];
        const auto [s1, f1] = curve[i + 1];
        if (soc == s1) return f1;  // exactly, not by interpolation
        if (soc < s1) return f0 + (f1 - f0) * (soc - s0) / (s1 - s0);
    }
    return curve.back().fraction;
}

// 1 to 6 points, SoC strictly increasing in [0, 1] and at least 0.002 apart, fractions in [0, 1];
// flat runs (equal neighbouring fractions), an end at exactly 0 or 1, and steep slopes all occur.
inline std::vector<ChargeCurvePoint> random_curve(std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const int n = std::uniform_int_distribution<int>(1, 6)(rng);
    std::vector<double> socs;
    while (static_cast<int>(socs.size()) < n) {
        const double s = u(rng) < 0.15 ? (u(rng) < 0.5 ? 0.0 : 1.0) : u(rng);
        if (std::none_of(socs.begin(), socs.end(), [&](double o) { return std::abs(o - s) < 0.002; }))
            socs.push_back(s);
    }
    std::sort(socs.begin(), socs.end());
    std::vector<ChargeCurvePoint> curve;
    for (double s : socs) {
        const double f = !curve.empty() && u(rng) < 0.3 ? curve.back().fraction : u(rng);
        curve.push_back({s, f});
    }
    return curve;
}

inline std::string to_string(const std::vector<ChargeCurvePoint>& curve) {
    std::ostringstream out;
    out.precision(17);
    for (const auto& p : curve) out << "{" << p.soc << ", " << p.fraction << "} ";
    return out.str();
}

}  // namespace evtwin::test
