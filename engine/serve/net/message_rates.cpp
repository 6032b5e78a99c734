#include "serve/net/message_rates.hpp"

#include <algorithm>
#include <iterator>

namespace evtwin::serve {

bool MessageRates::Bucket::take(TokenBucket::Clock::time_point now) {
    std::lock_guard lock(mutex_);
    last_ = std::max(last_, now);
    return bucket_.take(now);
}

std::shared_ptr<MessageRates::Bucket> MessageRates::bucket(const std::string& key,
                                                           TokenBucket::Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (const auto it = buckets_.find(key); it != buckets_.end()) return it->second;
    if (buckets_.size() >= max_keys_) prune(now);
    std::shared_ptr<Bucket> fresh(new Bucket(rate_, burst_, now));
    buckets_.emplace(key, fresh);
    return fresh;
}

std::size_t MessageRates::size() const {
    std::lock_guard lock(mutex_);
    return buckets_.size();
}

// Under mutex_: no connection takes a bucket that it does not hold, nor gets one meanwhile.
void MessageRates::prune(TokenBucket::Clock::time_point now) {
    const auto unheld = [](const std::shared_ptr<Bucket>& b) { return b.use_count() == 1; };
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        bool full = false;
        if (unheld(it->second)) {
            std::lock_guard lock(it->second->mutex_);
            full = it->second->bucket_.full(now);
        }
        it = full ? buckets_.erase(it) : std::next(it);
    }
    while (buckets_.size() >= max_keys_) {
        auto oldest = buckets_.end();
        TokenBucket::Clock::time_point oldest_take;
        for (auto it = buckets_.begin(); it != buckets_.end(); ++it) {
            if (!unheld(it->second)) continue;
            std::lock_guard lock(it->second->mutex_);
            if (oldest == buckets_.end() || it->second->last_ < oldest_take) {
                oldest = it;
                oldest_take = it->second->last_;
            }
        }
        if (oldest == buckets_.end()) return;  // every bucket is held: the connection caps bound them
        buckets_.erase(oldest);
    }
}

}  // namespace evtwin::serve
