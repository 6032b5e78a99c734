#include "serve/live/live_clock.hpp"

#include <cmath>
#include <stdexcept>

namespace evtwin::serve {

namespace {

Time wall_now() {
    using namespace std::chrono;
    return Time(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

}  // namespace

LiveClock::LiveClock(const std::string& spec, Time fast_start) : origin_(std::chrono::steady_clock::now()) {
    if (spec == "real") {
        start_ = wall_now();
        return;
    }
    const std::string prefix = "fast:";
    double speed = 0.0;
    std::size_t used = 0;
    try {
        if (spec.rfind(prefix, 0) == 0) speed = std::stod(spec.substr(prefix.size()), &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != spec.size() - prefix.size() || !(speed > 0.0) || !std::isfinite(speed) ||
        speed > 1e6)
        throw std::invalid_argument("--clock expects 'real' or 'fast:N' with 0 < N <= 1000000, got '" + spec +
                                    "'");
    real_ = false;
    speed_ = speed;
    start_ = fast_start;
}

Time LiveClock::now() const {
    if (real_) return wall_now();
    const double elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - origin_).count();
    return start_ + Duration(static_cast<std::int64_t>(elapsed_ms * speed_));
}

std::chrono::steady_clock::time_point LiveClock::wall_at(Time t) const {
    const double from_start_ms = static_cast<double>((t - (real_ ? wall_now() : start_)).ms()) / speed_;
    const auto base = real_ ? std::chrono::steady_clock::now() : origin_;
    return base + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double, std::milli>(from_start_ms));
}

}  // namespace evtwin::serve
