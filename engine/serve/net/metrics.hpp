#pragma once
// Request counts and latencies of `evtwin serve`, written in Prometheus' text format (GET /metrics).
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace evtwin::serve {

class Metrics {
public:
    // One answered request: `route` is the route's pattern ("/v1/plans/{id}"), never the raw path,
    // so that the number of series stays bounded.
    void observe(const std::string& method, const std::string& route, int status, double seconds);

    // Counters of the service's own (plans computed, fallbacks), appended as they are given.
    struct Counter {
        std::string name;
        std::string help;
        std::uint64_t value = 0;
    };
    std::string prometheus(const std::vector<Counter>& counters) const;

private:
    struct Histogram {
        std::vector<std::uint64_t> buckets;  // cumulative counts, one per bound
        std::uint64_t count = 0;
        double sum = 0.0;
    };
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_;  // by route
};

}  // namespace evtwin::serve
