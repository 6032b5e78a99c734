#include "model/cycling_fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace evtwin {

namespace {

using Vec3 = std::array<double, 3>;
using Mat3 = std::array<Vec3, 3>;

constexpr double kMinP = 0.05;
constexpr double kMaxP = 3.0;

// Solves a x = y by Gaussian elimination with partial pivoting; false when a is singular.
bool solve3(Mat3 a, Vec3 y, Vec3& x) {
    for (int c = 0; c < 3; ++c) {
        int pivot = c;
        for (int r = c + 1; r < 3; ++r)
            if (std::abs(a[r][c]) > std::abs(a[pivot][c])) pivot = r;
        if (std::abs(a[pivot][c]) < 1e-300) return false;
        std::swap(a[c], a[pivot]);
        std::swap(y[c], y[pivot]);
        for (int r = c + 1; r < 3; ++r) {
            const double f = a[r][c] / a[c][c];
            for (int k = c; k < 3; ++k) a[r][k] -= f * a[c][k];
            y[r] -= f * y[c];
        }
    }
    for (int r = 2; r >= 0; --r) {
        double s = y[r];
        for (int k = r + 1; k < 3; ++k) s -= a[r][k] * x[k];
        x[r] = s / a[r][r];
    }
    return true;
}

struct Problem {
    std::vector<double> x;  // EFC of the kept points
    std::vector<double> y;  // their capacity, A h
    double rated;

    double model(const Vec3& t, double efc) const { return t[0] - rated * t[1] * std::pow(efc, t[2]); }

    double sse(const Vec3& t) const {
        double s = 0.0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double r = y[i] - model(t, x[i]);
            s += r * r;
        }
        return s;
    }

    // J^T J and J^T r of the residuals r = y - model.
    void normal_equations(const Vec3& t, Mat3& jtj, Vec3& jtr) const {
        jtj = {};
        jtr = {};
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double xp = x[i] > 0.0 ? std::pow(x[i], t[2]) : 0.0;
            const double lx = x[i] > 0.0 ? std::log(x[i]) : 0.0;
            const Vec3 j{1.0, -rated * xp, -rated * t[1] * xp * lx};
            const double r = y[i] - model(t, x[i]);
            for (int a = 0; a < 3; ++a) {
                jtr[a] += j[a] * r;
                for (int b = 0; b < 3; ++b) jtj[a][b] += j[a] * j[b];
            }
        }
    }
};

Vec3 clamp_params(Vec3 t) {
    t[1] = std::max(t[1], 1e-12);
    t[2] = std::clamp(t[2], kMinP, kMaxP);
    return t;
}

// Levenberg-Marquardt from `start`; returns the parameters and whether the steps converged.
std::pair<Vec3, bool> levenberg_marquardt(const Problem& problem, Vec3 t) {
    double lambda = 1e-3;
    double sse = problem.sse(t);
    for (int iteration = 0; iteration < 500; ++iteration) {
        Mat3 jtj;
        Vec3 jtr;
        problem.normal_equations(t, jtj, jtr);
        bool improved = false;
        while (lambda < 1e12) {
            Mat3 a = jtj;
            for (int d = 0; d < 3; ++d) a[d][d] += lambda * std::max(jtj[d][d], 1e-30);
            Vec3 step{};
            if (!solve3(a, jtr, step)) {
                lambda *= 10.0;
                continue;
            }
            const Vec3 next = clamp_params({t[0] + step[0], t[1] + step[1], t[2] + step[2]});
            const double next_sse = problem.sse(next);
            if (next_sse < sse) {
                const double gain = sse - next_sse;
                t = next;
                sse = next_sse;
                lambda = std::max(lambda / 10.0, 1e-12);
                improved = true;
                if (gain <= 1e-14 * std::max(sse, 1e-30)) return {t, true};
                break;
            }
            lambda *= 10.0;
        }
        if (!improved) return {t, true};  // no step lowers the error: a minimum to working precision
    }
    return {t, false};
}

double rmse_pct(const CyclingFit& fit, std::span<const double> capacity_ah, double rated, bool kept_only) {
    double sum = 0.0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < capacity_ah.size(); ++i) {
        if (kept_only && !fit.kept[i]) continue;
        const double r = capacity_ah[i] - fit.capacity_at(fit.efc[i], rated);
        sum += r * r;
        ++n;
    }
    return n == 0 ? 0.0 : 100.0 * std::sqrt(sum / static_cast<double>(n)) / rated;
}

}  // namespace

double CyclingFit::capacity_at(double at_efc, double rated_ah) const {
    return initial_ah - rated_ah * b * std::pow(std::max(at_efc, 0.0), p);
}

std::vector<double> throughput_efc(std::span<const double> capacity_ah, double rated_ah) {
    std::vector<double> efc;
    double sum = 0.0;
    for (const double c : capacity_ah) {
        efc.push_back(sum / rated_ah);
        sum += c;
    }
    return efc;
}

std::vector<bool> regeneration_mask(std::span<const double> capacity_ah, double threshold_ah) {
    std::vector<bool> kept;
    double lowest = std::numeric_limits<double>::infinity();
    for (const double c : capacity_ah) {
        kept.push_back(c <= lowest + threshold_ah);
        lowest = std::min(lowest, c);
    }
    return kept;
}

CyclingFit fit_cycling(std::span<const double> capacity_ah, const CyclingFitOptions& options) {
    const double rated = options.rated_ah;
    CyclingFit fit;
    fit.efc = throughput_efc(capacity_ah, rated);
    fit.kept = regeneration_mask(capacity_ah, options.regeneration_threshold * rated);
    Problem problem{{}, {}, rated};
    for (std::size_t i = 0; i < capacity_ah.size(); ++i) {
        if (!fit.kept[i]) continue;
        problem.x.push_back(fit.efc[i]);
        problem.y.push_back(capacity_ah[i]);
    }
    fit.excluded = capacity_ah.size() - problem.x.size();
    if (problem.x.size() < 3) throw std::invalid_argument("a cycling fit needs at least 3 points");

    // Starts from a straight line through the first and last kept points, with three exponents; keeps
    // the best end point.
    const double c0 = problem.y.front();
    const double slope = std::max((c0 - problem.y.back()) / (rated * std::max(problem.x.back(), 1e-9)), 1e-9);
    double best_sse = std::numeric_limits<double>::infinity();
    for (const double p : {0.5, 1.0, 1.5}) {
        const Vec3 start{c0, slope * std::pow(std::max(problem.x.back(), 1.0), 1.0 - p), p};
        const auto [t, converged] = levenberg_marquardt(problem, start);
        const double sse = problem.sse(t);
        if (sse < best_sse) {
            best_sse = sse;
            fit.initial_ah = t[0];
            fit.b = t[1];
            fit.p = t[2];
            fit.converged = converged;
        }
    }
    fit.rmse_all_pct = rmse_pct(fit, capacity_ah, rated, false);
    fit.rmse_kept_pct = rmse_pct(fit, capacity_ah, rated, true);
    return fit;
}

}  // namespace evtwin
