#pragma once
// A token bucket: `rate` tokens a second accrue up to `burst`; each event takes one. The rate limit
// of a charge point's WebSocket messages (WsLimits, MessageRates).
#include <algorithm>
#include <chrono>

namespace evtwin::serve {

class TokenBucket {
public:
    using Clock = std::chrono::steady_clock;

    // A rate or burst <= 0: no limit.
    TokenBucket(double rate, double burst, Clock::time_point now)
        : rate_(rate), burst_(burst), tokens_(burst), last_(now) {}

    // Takes a token for an event at `now`; false when there is none (the event is over the rate).
    bool take(Clock::time_point now) {
        if (rate_ <= 0 || burst_ <= 0) return true;
        if (now > last_) {
            tokens_ = std::min(burst_, tokens_ + rate_ * std::chrono::duration<double>(now - last_).count());
            last_ = now;
        }
        if (tokens_ < 1) return false;
        tokens_ -= 1;
        return true;
    }

    // Whether it holds `burst` tokens at `now`, as a new bucket does.
    bool full(Clock::time_point now) const {
        if (rate_ <= 0 || burst_ <= 0) return true;
        const double elapsed = now > last_ ? std::chrono::duration<double>(now - last_).count() : 0.0;
        return tokens_ + rate_ * elapsed >= burst_;
    }

private:
    double rate_;
    double burst_;
    double tokens_;
    Clock::time_point last_;
};

}  // namespace evtwin::serve
