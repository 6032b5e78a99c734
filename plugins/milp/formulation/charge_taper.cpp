#include "plugins/milp/formulation/charge_taper.hpp"

#include <cmath>

namespace evtwin::milp {

std::vector<TaperLine> taper_lines(std::span<const ChargeCurvePoint> curve, double rated_kw) {
    std::vector<ChargeCurvePoint> points(curve.begin(), curve.end());
    if (points.empty() || rated_kw <= 0.0) return {};
    if (points.front().soc > 0.0) points.insert(points.begin(), {0.0, points.front().fraction});
    if (points.back().soc < 1.0) points.push_back({1.0, points.back().fraction});
    // The upper hull, left to right: a point under the chord of its neighbours is dropped.
    std::vector<ChargeCurvePoint> hull;
    const auto on_or_under_chord = [](const ChargeCurvePoint& o, const ChargeCurvePoint& a,
                                      const ChargeCurvePoint& b) {
        return (a.soc - o.soc) * (b.fraction - o.fraction) - (a.fraction - o.fraction) * (b.soc - o.soc) >=
               0.0;
    };
    for (const ChargeCurvePoint& p : points) {
        while (hull.size() >= 2 && on_or_under_chord(hull[hull.size() - 2], hull.back(), p)) hull.pop_back();
        hull.push_back(p);
    }
    std::vector<TaperLine> lines;
    for (std::size_t i = 0; i + 1 < hull.size(); ++i) {
        const double slope = (hull[i + 1].fraction - hull[i].fraction) / (hull[i + 1].soc - hull[i].soc);
        if (!(slope < 0.0)) continue;
        lines.push_back({rated_kw * (hull[i].fraction - slope * hull[i].soc), rated_kw * slope});
    }
    return lines;
}

double taper_hours(const TaperLine& line, double soc_per_kwh, double hours) {
    const double rate = line.b_kw_per_soc * soc_per_kwh;  // per hour, < 0
    if (std::abs(rate * hours) < 1e-9) return hours;
    return std::expm1(rate * hours) / rate;
}

}  // namespace evtwin::milp
