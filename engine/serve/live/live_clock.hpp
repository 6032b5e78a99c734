#pragma once
// The live twin's clock: the wall clock (`real`), or N times faster from a chosen start (`fast:N`),
// for tests and demos. Charge points learn it from BootNotification's currentTime.
#include <evtwin/time.hpp>

#include <chrono>
#include <string>

namespace evtwin::serve {

class LiveClock {
public:
    // "real" or "fast:N" (N > 0); throws std::invalid_argument naming the expected forms. A fast
    // clock starts at `fast_start`; the real one at the wall clock's now.
    LiveClock(const std::string& spec, Time fast_start);

    Time now() const;
    double speed() const { return speed_; }
    bool real() const { return speed_ == 1.0 && real_; }
    // The wall-clock instant at which the clock shows `t`.
    std::chrono::steady_clock::time_point wall_at(Time t) const;

private:
    bool real_ = true;
    double speed_ = 1.0;
    Time start_;
    std::chrono::steady_clock::time_point origin_;
};

}  // namespace evtwin::serve
