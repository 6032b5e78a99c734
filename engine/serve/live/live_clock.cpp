#include "serve/live/live_clock.hpp"

#include <cmath>
#include <stdexcept>

namespace evtwin::serve {

namespace {

Time wall_now() {
    using namespace std::chrono;
    return Time(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

// A wait until "never" that stays far from the time_point's overflow.
constexpr std::chrono::hours kNever{24 * 365};

}  // namespace

LiveClock::LiveClock(const std::string& spec, Time start) : origin_(std::chrono::steady_clock::now()) {
    if (spec == "real") {
        start_ = wall_now();
        return;
    }
    if (spec == "step") {
        mode_ = Mode::step;
        held_ms_ = start.ms();
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
        throw std::invalid_argument(
            "--clock expects 'real', 'fast:N' with 0 < N <= 1000000 or 'step', got '" + spec + "'");
    mode_ = Mode::fast;
    speed_ = speed;
    start_ = start;
}

Time LiveClock::now() const {
    switch (mode_) {
        case Mode::real:
            return wall_now();
        case Mode::step:
            return Time(held_ms_.load());
        case Mode::fast:
            break;
    }
    const double elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - origin_).count();
    return start_ + Duration(static_cast<std::int64_t>(elapsed_ms * speed_));
}

std::chrono::steady_clock::time_point LiveClock::wall_at(Time t) const {
    const auto wall = std::chrono::steady_clock::now();
    if (mode_ == Mode::step) return t <= now() ? wall : wall + kNever;
    const double from_start_ms = static_cast<double>((t - (real() ? wall_now() : start_)).ms()) / speed_;
    const auto base = real() ? wall : origin_;
    return base + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double, std::milli>(from_start_ms));
}

void LiveClock::step_to(Time t) {
    if (mode_ != Mode::step) throw std::logic_error("only a stepped clock (--clock step) is moved by hand");
    std::int64_t held = held_ms_.load();
    do {
        if (t.ms() < held) throw std::invalid_argument("the clock does not go back");
    } while (!held_ms_.compare_exchange_weak(held, t.ms()));
}

}  // namespace evtwin::serve
