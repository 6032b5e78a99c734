#pragma once
// The live twin's clock: the wall clock (`real`), N times faster from a chosen start (`fast:N`), for
// demos, or stepped (`step`): held at the chosen start and moved only by `step_to`, so that a test
// drives the live site instant by instant as the simulator does (POST /v1/clock, docs/live.md).
// Charge points learn it from BootNotification's currentTime.
#include <evtwin/time.hpp>

#include <atomic>
#include <chrono>
#include <string>

namespace evtwin::serve {

class LiveClock {
public:
    // "real", "fast:N" (N > 0) or "step"; throws std::invalid_argument naming the expected forms. A
    // fast or stepped clock starts at `start`; the real one at the wall clock's now.
    LiveClock(const std::string& spec, Time start);

    Time now() const;
    bool real() const { return mode_ == Mode::real; }
    bool stepped() const { return mode_ == Mode::step; }
    // The wall-clock instant at which the clock shows `t`; for a stepped clock, now when `t` has come
    // and never (as far as a wait is concerned) otherwise.
    std::chrono::steady_clock::time_point wall_at(Time t) const;
    // Moves a stepped clock to `t`; throws std::logic_error on any other clock and
    // std::invalid_argument when `t` is before now.
    void step_to(Time t);

private:
    enum class Mode { real, fast, step };
    Mode mode_ = Mode::real;
    double speed_ = 1.0;
    Time start_;
    std::chrono::steady_clock::time_point origin_;
    std::atomic<std::int64_t> held_ms_{0};  // the stepped clock's time
};

}  // namespace evtwin::serve
