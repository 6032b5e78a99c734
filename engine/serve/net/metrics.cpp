#include "serve/net/metrics.hpp"

#include <array>
#include <sstream>

namespace evtwin::serve {
namespace {

constexpr std::array<double, 11> kBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};

}  // namespace

void Metrics::observe(const std::string& method, const std::string& route, int status, double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{method, route, status}];
    Histogram& h = latency_[route];
    if (h.buckets.empty()) h.buckets.assign(kBounds.size(), 0);
    for (std::size_t i = 0; i < kBounds.size(); ++i) {
        if (seconds <= kBounds[i]) ++h.buckets[i];
    }
    ++h.count;
    h.sum += seconds;
}

std::string Metrics::prometheus(const std::vector<Counter>& counters) const {
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    out << "# HELP evtwin_http_requests_total HTTP requests answered, by method, route and status.\n"
        << "# TYPE evtwin_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
        const auto& [method, route, status] = key;
        out << "evtwin_http_requests_total{method=\"" << method << "\",route=\"" << route << "\",status=\""
            << status << "\"} " << n << "\n";
    }
    out << "# HELP evtwin_http_request_duration_seconds Time from a request read to its response written.\n"
        << "# TYPE evtwin_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
        for (std::size_t i = 0; i < kBounds.size(); ++i) {
            out << "evtwin_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << kBounds[i]
                << "\"} " << h.buckets[i] << "\n";
        }
        out << "evtwin_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
            << h.count << "\n"
            << "evtwin_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n"
            << "evtwin_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
    }
    for (const Counter& c : counters) {
        out << "# HELP " << c.name << " " << c.help << "\n# TYPE " << c.name << " counter\n"
            << c.name << " " << c.value << "\n";
    }
    return out.str();
}

}  // namespace evtwin::serve
