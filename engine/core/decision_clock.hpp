#pragma once
// The wall time a strategy takes to decide, read before and after every decision. steady_clock's
// clock_gettime() orders the processor's pipeline at every read: 21,464 reads took about 0.5 ms of
// the 13 ms that ACN-Sim's Caltech month takes to simulate. Where the processor's time-stamp counter
// runs at a constant rate (x86-64 with an invariant TSC), the counter is read instead, and its ticks
// are turned into seconds at the rate measured against steady_clock since the clock was made.
#include <chrono>
#include <cstdint>

namespace evtwin {

class DecisionClock {
public:
    using Ticks = std::uint64_t;

    DecisionClock();

    Ticks now() const {
#if defined(__x86_64__)
        if (cycles_) return __builtin_ia32_rdtsc();
#endif
        return static_cast<Ticks>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                      std::chrono::steady_clock::now().time_since_epoch())
                                      .count());
    }
    // The seconds from `from` to `to`, two readings of now().
    double seconds(Ticks from, Ticks to);
    bool counts_cycles() const {
        return cycles_;
    }

private:
    struct Reading {
        std::chrono::steady_clock::time_point steady;
        Ticks ticks;
    };
    Reading read_both() const;

    bool cycles_ = false;
    Reading made_;
    double seconds_per_tick_ = 1e-9;  // steady_clock's nanoseconds when the counter is not read
    unsigned until_rate_ = 0;         // calls to seconds() until the rate is measured again
};

}  // namespace evtwin
