#include "model/nmc_fade.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace evtwin::fade::nmc {

namespace {

struct OcvPoint {
    double soc;
    double volts;
};

// Open-circuit voltage of the Sanyo UR18650E vs SoC, as tabulated in BLAST-Lite (Ecker et al. 2014 for
// 0 and 10 % SoC, Schmalstieg et al. 2014, Fig. 1, for the rest).
// clang-format off
constexpr std::array<OcvPoint, 58> kOcv{{
    {0, 3.331}, {0.008637153, 3.345014187}, {0.026779514, 3.37917149}, {0.044921875, 3.411603677},
    {0.063064236, 3.440585632}, {0.081206597, 3.466289865}, {0.099348958, 3.490268982},
    {0.117491319, 3.511315401}, {0.135633681, 3.529946658}, {0.153776042, 3.547197821},
    {0.171918403, 3.561688798}, {0.190060764, 3.574972194}, {0.208203125, 3.586357962},
    {0.226345486, 3.597053683}, {0.244487847, 3.605506753}, {0.262630208, 3.613442288},
    {0.280772569, 3.620342753}, {0.298914931, 3.626380661}, {0.317057292, 3.632073544},
    {0.335199653, 3.63690387}, {0.353342014, 3.642079219}, {0.371484375, 3.646909545},
    {0.389626736, 3.652084894}, {0.407769097, 3.657605266}, {0.425911458, 3.663470662},
    {0.444053819, 3.670198615}, {0.462196181, 3.677444104}, {0.480338542, 3.686759732},
    {0.498480903, 3.696420384}, {0.516623264, 3.708323686}, {0.534765625, 3.720572012},
    {0.552907986, 3.734372943}, {0.571050347, 3.749553967}, {0.589192708, 3.765252525},
    {0.607335069, 3.781123596}, {0.625477431, 3.797857224}, {0.643619792, 3.814590852},
    {0.661762153, 3.832532062}, {0.679904514, 3.849783226}, {0.698046875, 3.866861877},
    {0.716189236, 3.884458064}, {0.734331597, 3.900846669}, {0.752473958, 3.917752809},
    {0.770616319, 3.934831461}, {0.788758681, 3.953462717}, {0.806901042, 3.971921462},
    {0.825043403, 3.991415276}, {0.843185764, 4.011771649}, {0.861328125, 4.03195551},
    {0.879470486, 4.05196686}, {0.897612847, 4.070770628}, {0.915755208, 4.087849279},
    {0.933897569, 4.104237884}, {0.952039931, 4.120108955}, {0.970182292, 4.135980025},
    {0.988324653, 4.152541142}, {0.998220486, 4.160649189}, {1, 4.162}
}};
// clang-format on

// Schmalstieg et al. (2014), Table 3 / Eq. 8-9 (BLAST-Lite's qcal_* and qcyc_*).
constexpr double kCalA = 7.543;     // 1/V
constexpr double kCalB = -23.75;    // -
constexpr double kCalScale = 1e6;   // the fit's scale of the voltage term
constexpr double kCalC = -6976.0;   // K
constexpr double kCalP = 0.75;      // loss grows as t^0.75 (t in days)
constexpr double kCycA = 7.348e-3;  // 1/(V^2 Ah^0.5)
constexpr double kCycB = 3.667;     // V
constexpr double kCycC = 7.6e-4;    // 1/Ah^0.5
constexpr double kCycD = 4.081e-3;  // 1/Ah^0.5 per unit DoD
constexpr double kCycP = 0.5;       // loss grows as Q^0.5
constexpr double kCellAh = 2.15;    // the cell's nominal capacity: Q = 2 * 2.15 Ah per EFC
constexpr double kAhPerEfc = 2.0 * kCellAh;
// Wang et al. (2014), cycle-life model exp((d T + e) I): d in 1/(K C-rate), e in 1/C-rate.
constexpr double kRateD = -6.7e-3;
constexpr double kRateE = 2.35;
constexpr double kReferenceRate = 1.0;  // Schmalstieg's cycling tests ran at 1C

double arrhenius(double temperature_c) {
    return std::exp(kCalC / kelvin(temperature_c));
}

constexpr double kCalQ = 1.0 / kCalP;

// arrhenius(T)^(1/p), at every segment of every trace: one temperature holds for long stretches of
// them, so the last one's is kept.
double arrhenius_rate(double temperature_c) {
    thread_local double last_c = std::numeric_limits<double>::quiet_NaN();
    thread_local double last_rate = 0.0;
    if (temperature_c != last_c) {
        last_rate = std::pow(arrhenius(temperature_c), kCalQ);
        last_c = temperature_c;
    }
    return last_rate;
}

// The table's piece that holds `soc` (the last one for SoC 1).
std::size_t piece_of(double soc) {
    const auto upper = std::upper_bound(kOcv.begin() + 1, kOcv.end() - 1, soc,
                                        [](double s, const OcvPoint& p) { return s < p.soc; });
    return static_cast<std::size_t>(upper - kOcv.begin()) - 1;
}

double volts_in(std::size_t piece, double soc) {
    const OcvPoint& p0 = kOcv[piece];
    const OcvPoint& p1 = kOcv[piece + 1];
    return p0.volts + (p1.volts - p0.volts) * (soc - p0.soc) / (p1.soc - p0.soc);
}

// w = (kCalA V(s) + kCalB) kCalScale on a piece of the table.
double w_in(std::size_t piece, double soc) {
    return (kCalA * volts_in(piece, soc) + kCalB) * kCalScale;
}

double w_power(std::size_t, double, double w) {
    return std::pow(w, kCalQ + 1.0);
}

// Over [lo, hi] inside one piece of the table: the integral of w(s)^q. V is linear on the piece, so is
// w, and the integral of a power of a linear function is exact. `power(piece, soc, w)` is w^(q+1).
template <class Power>
double power_over(std::size_t piece, double lo, double hi, Power&& power) {
    if (hi <= lo) return 0.0;
    const double w0 = w_in(piece, lo);
    const double w1 = w_in(piece, hi);
    const double dw = w1 - w0;
    const double mid = 0.5 * (w0 + w1);
    if (std::abs(dw) < 1e-4 * mid) {
        const double r = dw / mid;  // second-order expansion about the midpoint, exact to O(r^4)
        return (hi - lo) * std::pow(mid, kCalQ) * (1.0 + kCalQ * (kCalQ - 1.0) * r * r / 24.0);
    }
    return (hi - lo) * (power(piece, hi, w1) - power(piece, lo, w0)) / ((kCalQ + 1.0) * dw);
}

double power_over(std::size_t piece, double lo, double hi) {
    return power_over(piece, lo, hi, w_power);
}

// Over [lo, hi] inside one piece: the integral of V(s)^2.
double square_over(std::size_t piece, double lo, double hi) {
    if (hi <= lo) return 0.0;
    const double v0 = volts_in(piece, lo);
    const double v1 = volts_in(piece, hi);
    return (hi - lo) * (v0 * v0 + v0 * v1 + v1 * v1) / 3.0;
}

// Both integrals from SoC 0 to each point of the table, so that a span's takes two partial pieces
// and a difference: the laws are evaluated for every segment and cycle of every battery. And w^(q+1)
// at each point, on the piece below it and on the piece above.
struct Running {
    std::array<double, kOcv.size()> power{}, square{}, power_below{}, power_above{};
    Running() {
        for (std::size_t i = 0; i + 1 < kOcv.size(); ++i) {
            power[i + 1] = power[i] + power_over(i, kOcv[i].soc, kOcv[i + 1].soc);
            square[i + 1] = square[i] + square_over(i, kOcv[i].soc, kOcv[i + 1].soc);
            power_above[i] = w_power(i, kOcv[i].soc, w_in(i, kOcv[i].soc));
            power_below[i + 1] = w_power(i, kOcv[i + 1].soc, w_in(i, kOcv[i + 1].soc));
        }
    }
};

// The integral of `over` from a to b (0 <= a <= b <= 1), from its running sums.
template <class Over>
double integral(double a, double b, const std::array<double, kOcv.size()>& running, Over over) {
    const std::size_t i = piece_of(a), j = piece_of(b);
    if (i == j) return over(i, a, b);
    return over(i, a, kOcv[i + 1].soc) + (running[j] - running[i + 1]) + over(j, kOcv[j].soc, b);
}

const Running& running() {
    static const Running sums;
    return sums;
}

// w^(q+1) at the ends of a trace's segments: at a point of the table from its table, else the last
// two computed, since consecutive segments share an end. The same values as w_power's.
class EndPowers {
public:
    double operator()(std::size_t piece, double soc, double w) {
        if (soc == kOcv[piece].soc) return running().power_above[piece];
        if (soc == kOcv[piece + 1].soc) return running().power_below[piece + 1];
        for (const Known& k : known_)
            if (k.piece == piece && k.soc == soc) return k.power;
        Known& k = known_[next_];
        next_ ^= 1;
        k = {piece, soc, w_power(piece, soc, w)};
        return k.power;
    }

private:
    struct Known {
        std::size_t piece = kOcv.size();
        double soc = 0.0;
        double power = 0.0;
    };
    std::array<Known, 2> known_{};
    std::size_t next_ = 0;
};

// The integral over the segment's time of alpha^(1/p), the rate of the power law's u = loss^(1/p): the
// SoC is linear in time, so it is the SoC-average of alpha^(1/p) times the duration.
double calendar_rate_dx(const Segment& segment, EndPowers& ends) {
    if (segment.days <= 0.0) return 0.0;
    const double a = std::clamp(std::min(segment.soc0, segment.soc1), 0.0, 1.0);
    const double b = std::clamp(std::max(segment.soc0, segment.soc1), 0.0, 1.0);
    double mean_rate;
    if (b - a < 1e-12) {
        mean_rate = std::pow(calendar_alpha(a, segment.temperature_c), kCalQ);
    } else {
        const auto over = [&ends](std::size_t piece, double lo, double hi) {
            return power_over(piece, lo, hi, ends);
        };
        mean_rate = integral(a, b, running().power, over) / (b - a) * arrhenius_rate(segment.temperature_c);
    }
    return mean_rate * segment.days;
}

}  // namespace

double ocv(double soc) {
    soc = std::clamp(soc, kOcv.front().soc, kOcv.back().soc);
    return volts_in(piece_of(soc), soc);
}

double rms_ocv(double soc_low, double soc_high) {
    soc_low = std::clamp(soc_low, 0.0, 1.0);
    soc_high = std::clamp(soc_high, 0.0, 1.0);
    if (soc_high - soc_low < 1e-12) return ocv(0.5 * (soc_low + soc_high));
    return std::sqrt(integral(soc_low, soc_high, running().square, square_over) / (soc_high - soc_low));
}

double calendar_alpha(double soc, double temperature_c) {
    return std::max(0.0, (kCalA * ocv(soc) + kCalB) * kCalScale) * arrhenius(temperature_c);
}

double calendar_after(double loss, const Segment& segment) {
    return calendar_after_segments(loss, std::span<const Segment>(&segment, 1));
}

// u adds up the segments' rate x days (fade_trajectory.hpp): one power law for all of them.
double calendar_after_segments(double loss, std::span<const Segment> segments) {
    EndPowers ends;
    double rate_dx = 0.0;
    for (const Segment& segment : segments) rate_dx += calendar_rate_dx(segment, ends);
    return power_law_after(loss, kCalP, rate_dx);
}

double calendar_per_day(double loss, double soc, double temperature_c) {
    const double rate = std::pow(calendar_alpha(soc, temperature_c), kCalQ);
    return power_law_slope(loss, kCalP, rate, 1.0);
}

double c_rate_factor(double c_rate, double temperature_c) {
    return std::exp((kRateD * kelvin(temperature_c) + kRateE) * (c_rate - kReferenceRate));
}

double cycling_beta(const CycleStress& stress) {
    const double v = rms_ocv(stress.soc_low, stress.soc_high) - kCycB;
    const double beta = kCycA * v * v + kCycC + kCycD * stress.depth();
    return beta * c_rate_factor(stress.c_rate, stress.temperature_c);
}

double cycling_after(double loss, const CycleStress& stress, double efc) {
    const double rate = std::pow(cycling_beta(stress), 1.0 / kCycP);  // per Ah
    return power_law_after(loss, kCycP, rate * kAhPerEfc * efc);
}

double cycling_per_efc(double loss, const CycleStress& stress) {
    const double rate = std::pow(cycling_beta(stress), 1.0 / kCycP) * kAhPerEfc;  // per EFC
    return power_law_slope(loss, kCycP, rate, 1.0);
}

}  // namespace evtwin::fade::nmc
