#pragma once
// How long a power takes to move an energy, in whole milliseconds. A tiny power (a strategy's
// rounding residue of 1e-13 kW) gives a time beyond any run: it saturates at "never" instead of
// overflowing the integer (which would schedule an event in the past).
#include <cmath>
#include <cstdint>
#include <limits>

namespace evtwin {

inline constexpr std::int64_t kNeverMs = std::numeric_limits<std::int64_t>::max();

// Rounded down (to reach a bound without passing it) or up (to be past a stair edge).
inline std::int64_t ms_to_move(double kwh, double kw, bool round_up = false) {
    const double ms = kwh / kw * 3'600'000.0;
    const double whole = round_up ? std::ceil(ms) : std::floor(ms);
    if (!(whole < 9.0e18)) return kNeverMs;  // also NaN
    return static_cast<std::int64_t>(whole);
}

}  // namespace evtwin
