#include "plugins/milp/formulation/charge_taper.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace evtwin::milp {

double curve_fraction(std::span<const ChargeCurvePoint> curve, double soc) {
    if (curve.empty()) return 1.0;
    if (soc <= curve.front().soc) return curve.front().fraction;
    for (std::size_t i = 1; i < curve.size(); ++i)
        if (soc <= curve[i].soc) {
            const ChargeCurvePoint& a = curve[i - 1];
            const ChargeCurvePoint& b = curve[i];
            return a.fraction + (b.fraction - a.fraction) * (soc - a.soc) / (b.soc - a.soc);
        }
    return curve.back().fraction;
}

double curve_top_kw(std::span<const ChargeCurvePoint> curve, double rated_kw) {
    double top = curve.empty() ? 1.0 : 0.0;
    for (const ChargeCurvePoint& point : curve) top = std::max(top, point.fraction);
    return rated_kw * top;
}

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

namespace {

// The rate at SoC s: the cap or the lowest line, never below 0; `line` is the lowest line's index
// where it is under the cap, else lines.size().
double rate_at(std::span<const TaperLine> lines, double cap_kw, double s, std::size_t& line) {
    double rate = cap_kw;
    line = lines.size();
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (const double kw = lines[i].a_kw + lines[i].b_kw_per_soc * s; kw < rate) {
            rate = kw;
            line = i;
        }
    return std::max(rate, 0.0);
}

}  // namespace

TaperEnergy taper_energy(std::span<const TaperLine> lines, double cap_kw, double soc_per_kwh, double soc,
                         double hours) {
    const double k = soc_per_kwh;
    if (!(k > 0.0) || !(hours > 0.0) || !(cap_kw > 0.0)) return {};
    std::size_t line = 0;  // the piece the SoC is on: a line, or lines.size() for the cap
    const double rate_from = rate_at(lines, cap_kw, soc, line);
    double s = soc;
    double left_h = hours;
    // Piece by piece: on the cap the SoC rises linearly, on a line a + b·s decays as e^{b·k·t}; a
    // piece ends where a steeper line falls under it, which the SoC follows from there.
    while (left_h > 0.0) {
        const bool on_cap = line == lines.size();
        const double a = on_cap ? cap_kw : lines[line].a_kw;
        const double b = on_cap ? 0.0 : lines[line].b_kw_per_soc;
        const double rate = a + b * s;
        if (rate <= 0.0) break;
        double next = std::numeric_limits<double>::infinity();
        std::size_t next_line = line;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (!(lines[i].b_kw_per_soc < b)) continue;  // never falls under this piece
            const double cross = (a - lines[i].a_kw) / (lines[i].b_kw_per_soc - b);
            if (cross >= s && cross < next) {
                next = cross;
                next_line = i;
            }
        }
        double reach_h = std::numeric_limits<double>::infinity();
        if (std::isfinite(next) && a + b * next > 0.0)
            reach_h = on_cap ? (next - s) / (k * rate) : std::log((a + b * next) / rate) / (b * k);
        if (reach_h >= left_h) {
            s += on_cap ? k * rate * left_h : rate * std::expm1(b * k * left_h) / b;
            break;
        }
        s = next;
        left_h -= reach_h;
        line = next_line;
    }
    // Along ds/dt = k·r(s), a later start ends later by r(s_end) / r(s_start).
    std::size_t end_line = 0;
    const double rate_to = rate_at(lines, cap_kw, s, end_line);
    return {(s - soc) / k, rate_from > 0.0 ? (rate_to / rate_from - 1.0) / k : 0.0};
}

}  // namespace evtwin::milp
