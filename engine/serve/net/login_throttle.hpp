#pragma once
// Failed password attempts counted per key (a peer address, a charge point id), so that guessing
// slows down and then stops: after `free_failures` failures each further one blocks the key for
// `first_delay`, doubled with each failure (at most `longest_delay`), and the `lockout_after`-th
// blocks it for `lockout`. A key's failures are forgotten `forget_after` after its last failure or
// the end of its block, whichever is later, so a key that fails again soon after a lock-out is
// locked out again at once. At most `max_keys` keys are kept: past them (after dropping the
// forgotten ones) the failures of keys not kept count under one shared key, so that a flood of new
// keys is throttled as one. Not thread-safe; every call says when it happens.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace evtwin::serve {

class LoginThrottle {
public:
    using Clock = std::chrono::steady_clock;

    struct Policy {
        unsigned free_failures = 3;
        std::chrono::seconds first_delay{1};
        std::chrono::seconds longest_delay{60};
        unsigned lockout_after = 10;  // more than free_failures
        std::chrono::seconds lockout{15 * 60};
        std::chrono::seconds forget_after{15 * 60};
        std::size_t max_keys = 10'000;
    };

    struct State {
        unsigned failures = 0;          // counted and not yet forgotten
        Clock::duration blocked_for{};  // from now; zero when attempts are allowed
        bool locked_out = false;        // the block is a lock-out
        bool blocked() const { return blocked_for > Clock::duration::zero(); }
    };

    explicit LoginThrottle(Policy policy) : policy_(policy) {}

    State state(const std::string& key, Clock::time_point now) const;
    // Counts a failure of `key` at `now`; the key's state after it.
    State failed(const std::string& key, Clock::time_point now);
    // Counts an attempt refused at `now` while `key` is blocked; true for the first of its block,
    // the one worth a log line (a guessing flood writes one line a block, not one an attempt).
    bool first_refusal(const std::string& key, Clock::time_point now);
    // Forgets the failures of `key` (a right password).
    void succeeded(const std::string& key) { entries_.erase(key); }
    // The keys kept, the shared one aside.
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        unsigned failures = 0;
        Clock::time_point last_failure;
        Clock::time_point blocked_until;
        bool refusal_seen = false;  // an attempt was refused in the block that ends at blocked_until
    };

    bool forgotten(const Entry& e, Clock::time_point now) const;
    State state_of(const Entry& e, Clock::time_point now) const;
    // The entry a failure of `key` counts in: its own, a new one, or the shared one when full.
    Entry& entry_for_failure(const std::string& key, Clock::time_point now);

    Policy policy_;
    std::unordered_map<std::string, Entry> entries_;
    Entry shared_;  // the keys not kept
};

}  // namespace evtwin::serve
