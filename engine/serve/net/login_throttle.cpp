#include "serve/net/login_throttle.hpp"

#include <algorithm>

namespace evtwin::serve {

bool LoginThrottle::forgotten(const Entry& e, Clock::time_point now) const {
    return e.failures == 0 || now >= std::max(e.last_failure, e.blocked_until) + policy_.forget_after;
}

LoginThrottle::State LoginThrottle::state_of(const Entry& e, Clock::time_point now) const {
    State s;
    if (forgotten(e, now)) return s;
    s.failures = e.failures;
    if (now < e.blocked_until) {
        s.blocked_for = e.blocked_until - now;
        s.locked_out = e.failures >= policy_.lockout_after;
    }
    return s;
}

LoginThrottle::State LoginThrottle::state(const std::string& key, Clock::time_point now) const {
    const auto it = entries_.find(key);
    if (it != entries_.end()) return state_of(it->second, now);
    return entries_.size() >= policy_.max_keys ? state_of(shared_, now) : State{};
}

bool LoginThrottle::first_refusal(const std::string& key, Clock::time_point now) {
    const auto it = entries_.find(key);
    Entry* e = it != entries_.end() ? &it->second : entries_.size() >= policy_.max_keys ? &shared_ : nullptr;
    if (!e || !state_of(*e, now).blocked() || e->refusal_seen) return false;
    e->refusal_seen = true;
    return true;
}

LoginThrottle::Entry& LoginThrottle::entry_for_failure(const std::string& key, Clock::time_point now) {
    const auto it = entries_.find(key);
    if (it != entries_.end()) return it->second;
    if (entries_.size() >= policy_.max_keys) {
        for (auto e = entries_.begin(); e != entries_.end();)
            e = forgotten(e->second, now) ? entries_.erase(e) : ++e;
        if (entries_.size() >= policy_.max_keys) return shared_;
    }
    return entries_[key];
}

LoginThrottle::State LoginThrottle::failed(const std::string& key, Clock::time_point now) {
    Entry& e = entry_for_failure(key, now);
    if (forgotten(e, now)) e = Entry{};
    ++e.failures;
    e.last_failure = now;
    e.refusal_seen = false;
    if (e.failures >= policy_.lockout_after) {
        e.blocked_until = now + policy_.lockout;
    } else if (e.failures > policy_.free_failures) {
        const unsigned doublings = std::min(e.failures - policy_.free_failures - 1, 30u);
        const auto delay = std::min<std::chrono::seconds>(
            policy_.first_delay * (std::int64_t{1} << doublings), policy_.longest_delay);
        e.blocked_until = now + delay;
    }
    return state_of(e, now);
}

}  // namespace evtwin::serve
