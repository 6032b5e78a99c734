#pragma once
// The message rate limits of the server's WebSocket connections, one token bucket per key (a charge
// point): a connection that closes and comes back finds its bucket as it left it, so reconnecting
// buys no messages. Memory is bounded: when `max_keys` buckets are kept, a new key first drops the
// buckets no connection holds that have filled up again (each then as a new one), then, while still
// full, the least recently used of those no connection holds; the connection caps bound the rest.
// Thread-safe.
#include "serve/net/token_bucket.hpp"

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace evtwin::serve {

class MessageRates {
public:
    class Bucket {
    public:
        // Takes a token for a message at `now`; false when the message is over the rate.
        bool take(TokenBucket::Clock::time_point now);

    private:
        friend class MessageRates;
        Bucket(double rate, double burst, TokenBucket::Clock::time_point now)
            : bucket_(rate, burst, now), last_(now) {}
        std::mutex mutex_;
        TokenBucket bucket_;
        TokenBucket::Clock::time_point last_;  // of the latest take
    };

    // `rate` messages a second after a burst of `burst` (see TokenBucket).
    MessageRates(double rate, double burst, std::size_t max_keys = 4096)
        : rate_(rate), burst_(burst), max_keys_(max_keys) {}

    // The bucket of `key`, for a connection to hold while it is open.
    std::shared_ptr<Bucket> bucket(const std::string& key, TokenBucket::Clock::time_point now);
    std::size_t size() const;

private:
    void prune(TokenBucket::Clock::time_point now);

    const double rate_;
    const double burst_;
    const std::size_t max_keys_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Bucket>> buckets_;
};

}  // namespace evtwin::serve
