#include "model/charge_curve.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evtwin {

// SoC values this close to a stair edge count as on it: integration rounding must not leave the
// battery one femto-SoC short of an edge it has crossed.
constexpr double kSocTolerance = 1e-12;

ChargeStaircase::ChargeStaircase(const std::vector<ChargeCurvePoint>& curve, double rated_kw, double max_step_soc) {
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

    for (std::size_t i = 0; i + 1 < points.size(); ++i) {
        const auto [s0, f0] = points[i];
        const auto [s1, f1] = points[i + 1];
        const int pieces = f0 == f1 ? 1 : std::max(1, static_cast<int>(std::ceil((s1 - s0) / max_step_soc - 1e-9)));
        for (int k = 0; k < pieces; ++k) {
            const double a = s0 + (s1 - s0) * k / pieces;
            const double b = s0 + (s1 - s0) * (k + 1) / pieces;
            const double fa = f0 + (f1 - f0) * (a - s0) / (s1 - s0);
            const double fb = f0 + (f1 - f0) * (b - s0) / (s1 - s0);
            const double kw = std::min(fa, fb) * rated_kw;
            if (!stairs_.empty() && stairs_.back().kw == kw) continue;  // merge equal neighbours
            stairs_.push_back({a, kw});
        }
    }
}

std::size_t ChargeStaircase::index(double soc) const {
    auto it = std::upper_bound(stairs_.begin(), stairs_.end(), soc + kSocTolerance,
                               [](double s, const Stair& st) { return s < st.soc_start; });
    return it == stairs_.begin() ? 0 : static_cast<std::size_t>(it - stairs_.begin()) - 1;
}

double ChargeStaircase::next_edge(double soc) const {
    const std::size_t i = index(soc);
    return i + 1 < stairs_.size() ? stairs_[i + 1].soc_start : 1.0;
}

}  // namespace evtwin
