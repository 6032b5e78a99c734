#include "model/charge_curve.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evtwin {

ChargeStaircase::ChargeStaircase(const std::vector<ChargeCurvePoint>& curve, double rated_kw,
                                 double max_step_soc) {
    if (!(rated_kw >= 0.0)) throw std::invalid_argument("charge curve: rated power must be >= 0");
    if (!(max_step_soc > 0.0)) throw std::invalid_argument("charge curve: the stair width must be > 0");
    std::vector<ChargeCurvePoint> points = curve;
    if (points.empty()) points = {{0.0, 1.0}, {1.0, 1.0}};
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& p = points[i];
        if (!(p.soc >= 0.0 && p.soc <= 1.0) || !(p.fraction >= 0.0 && p.fraction <= 1.0))
            throw std::invalid_argument("charge curve: points must have soc and fraction in [0, 1]");
        if (i > 0 && !(p.soc > points[i - 1].soc))
            throw std::invalid_argument("charge curve: soc values must increase");
    }
    if (points.front().soc > 0.0) points.insert(points.begin(), {0.0, points.front().fraction});
    if (points.back().soc < 1.0) points.push_back({1.0, points.back().fraction});
    rated_kw_ = rated_kw;

    const auto pieces_of = [&](std::size_t i) {
        const auto [s0, f0] = points[i];
        const auto [s1, f1] = points[i + 1];
        return f0 == f1 ? 1 : std::max(1, static_cast<int>(std::ceil((s1 - s0) / max_step_soc - 1e-9)));
    };
    // Every vehicle that plugs in builds one: size the stairs once instead of growing them.
    std::size_t most_stairs = 0;
    for (std::size_t i = 0; i + 1 < points.size(); ++i) most_stairs += static_cast<std::size_t>(pieces_of(i));
    stairs_.reserve(std::min<std::size_t>(most_stairs, 4096));
    for (std::size_t i = 0; i + 1 < points.size(); ++i) {
        const auto [s0, f0] = points[i];
        const auto [s1, f1] = points[i + 1];
        const int pieces = pieces_of(i);
        for (int k = 0; k < pieces; ++k) {
            const double a = s0 + (s1 - s0) * k / pieces;
            const double b = s0 + (s1 - s0) * (k + 1) / pieces;
            const double fa = f0 + (f1 - f0) * (a - s0) / (s1 - s0);
            const double fb = f0 + (f1 - f0) * (b - s0) / (s1 - s0);
            const double kw = std::min(fa, fb) * rated_kw;
            if (!stairs_.empty() && stairs_.back().kw == kw) continue;  // merge equal neighbours
            stairs_.push_back({a, kw, stairs_.empty() ? kw : std::max(kw, stairs_.back().most_kw_up_to)});
        }
    }
    points_ = std::move(points);
}

std::size_t ChargeStaircase::index(double soc) const {
    auto it = std::upper_bound(stairs_.begin(), stairs_.end(), soc + kSocTolerance,
                               [](double s, const Stair& st) { return s < st.soc_start; });
    return it == stairs_.begin() ? 0 : static_cast<std::size_t>(it - stairs_.begin()) - 1;
}

double ChargeStaircase::soc_after_charging(double soc, double inlet_cap_kw, double hours, double capacity_kwh,
                                           double efficiency, double stop_soc) const {
    // SoC gained per hour at inlet power P is P * efficiency / capacity. On each segment of the
    // curve the limit is linear in SoC, f(s) = a + b s (kW): where the cap binds, SoC rises linearly;
    // where the curve binds, ds/dt = k (a + b s), so a + b s grows (or decays) as exp(b k t).
    const double k = efficiency / capacity_kwh;
    double s = soc;
    double left = hours;
    // Each pass ends a regime or a segment, so a few per curve point suffice; the bound only guards
    // against rounding keeping s on a boundary.
    for (std::size_t pass = 0;
         pass < 4 * points_.size() + 8 && left > 0.0 && s < stop_soc && inlet_cap_kw > 0.0; ++pass) {
        std::size_t i = 0;
        while (i + 2 < points_.size() && s >= points_[i + 1].soc) ++i;
        const auto [x0, y0] = points_[i];
        const auto [x1, y1] = points_[i + 1];
        const double b = rated_kw_ * (y1 - y0) / (x1 - x0);
        const double a = rated_kw_ * y0 - b * x0;
        const double f = a + b * s;
        double limit = std::min(x1, stop_soc);
        // At the cap exactly, the slope says which limit holds from here on.
        const bool cap_binds = f > inlet_cap_kw + 1e-12 || (f >= inlet_cap_kw - 1e-12 && b >= 0.0);
        if (cap_binds) {
            // The cap binds until the curve falls to it (or the segment ends).
            if (b < 0.0) limit = std::min(limit, (inlet_cap_kw - a) / b);
            const double rate = inlet_cap_kw * k;
            const double dt = (limit - s) / rate;
            if (dt >= left) return std::min(stop_soc, s + rate * left);
            s = limit;
            left -= dt;
            continue;
        }
        if (f <= 0.0) break;  // the curve allows nothing more
        if (b == 0.0) {
            const double dt = (limit - s) / (f * k);
            if (dt >= left) return std::min(stop_soc, s + f * k * left);
            s = limit;
            left -= dt;
            continue;
        }
        if (b > 0.0) limit = std::min(limit, (inlet_cap_kw - a) / b);  // rising to the cap
        const double f_limit = a + b * limit;
        const double dt = f_limit > 0.0 ? std::log(f_limit / f) / (b * k) : INFINITY;
        if (dt >= left) return std::min(stop_soc, (f * std::exp(b * k * left) - a) / b);
        s = limit;
        left -= dt;
    }
    return std::min(s, stop_soc);
}

}  // namespace evtwin
