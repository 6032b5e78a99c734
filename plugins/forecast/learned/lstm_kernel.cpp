#include "plugins/forecast/learned/lstm_kernel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace evtwin::forecast_learned {

namespace {

// e^x for |x| <= 88 to about 2 ulp, branch-free so that the loops below vectorise: x = k·ln2 + r,
// e^r by its degree-6 Taylor polynomial around 0 (|r| <= ln2/2), 2^k put into the exponent bits.
inline float exp_approx(float x) {
    x = std::clamp(x, -87.0f, 87.0f);
    constexpr float round_shift = 12582912.0f;  // 1.5 · 2^23: adding it rounds to an integer (no libm call)
    const float k = (x * 1.44269504088896341f + round_shift) - round_shift;
    const float r = x - k * 0.693145751953125f - k * 1.428606765330187e-06f;
    float p = 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    const std::int32_t bits = (static_cast<std::int32_t>(k) + 127) << 23;
    float scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

inline float sigmoid(float v) {
    return 1.0f / (1.0f + exp_approx(-v));
}
inline float tanh_approx(float v) {
    return 2.0f / (1.0f + exp_approx(-2.0f * v)) - 1.0f;
}

}  // namespace

void lstm_recurrence(const float* gates_in, const float* w_hh_t, std::size_t steps, std::size_t n, float* h,
                     float* c, float* out) {
    const std::size_t four = 4 * n;
    std::vector<float> g(four), act(four);
    for (std::size_t t = 0; t < steps; ++t) {
        std::copy(gates_in + t * four, gates_in + (t + 1) * four, g.begin());
        for (std::size_t j = 0; j < n; ++j) {
            const float hj = h[j];
            const float* row = w_hh_t + j * four;
            for (std::size_t r = 0; r < four; ++r) g[r] += hj * row[r];
        }
        for (std::size_t r = 0; r < four; ++r) act[r] = sigmoid(g[r]);
        for (std::size_t j = 0; j < n; ++j) act[2 * n + j] = tanh_approx(g[2 * n + j]);
        for (std::size_t j = 0; j < n; ++j) c[j] = act[n + j] * c[j] + act[j] * act[2 * n + j];
        for (std::size_t j = 0; j < n; ++j) h[j] = act[3 * n + j] * tanh_approx(c[j]);
        std::copy(h, h + n, out + t * n);
    }
}

}  // namespace evtwin::forecast_learned
