#include "core/decision_clock.hpp"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace evtwin {

namespace {

// The rate is measured again after this many decisions: one steady_clock read every so often keeps
// it as exact as the time since the clock was made allows.
constexpr unsigned kDecisionsPerRate = 1024;

bool invariant_time_stamp_counter() {
#if defined(__x86_64__)
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid(0x80000007, &a, &b, &c, &d) && (d & (1u << 8)) != 0;
#else
    return false;
#endif
}

}  // namespace

DecisionClock::DecisionClock() : cycles_(invariant_time_stamp_counter()), made_(read_both()) {}

// steady_clock with the counter read just before and after it: of three tries, the one whose counter
// reads are closest (the thread was not stopped between them), the counter taken halfway.
DecisionClock::Reading DecisionClock::read_both() const {
    Reading best{};
    Ticks best_gap = ~Ticks{0};
    for (int i = 0; i < 3; ++i) {
        const Ticks before = now();
        const auto steady = std::chrono::steady_clock::now();
        const Ticks after = now();
        if (after - before < best_gap) {
            best_gap = after - before;
            best = {steady, before + (after - before) / 2};
        }
    }
    return best;
}

double DecisionClock::seconds(Ticks from, Ticks to) {
    if (cycles_ && until_rate_-- == 0) {
        until_rate_ = kDecisionsPerRate - 1;
        const Reading here = read_both();
        const double elapsed = std::chrono::duration<double>(here.steady - made_.steady).count();
        const Ticks ticks = here.ticks - made_.ticks;
        if (ticks > 0 && elapsed > 0.0) seconds_per_tick_ = elapsed / static_cast<double>(ticks);
    }
    return to > from ? static_cast<double>(to - from) * seconds_per_tick_ : 0.0;
}

}  // namespace evtwin
