#include "serve/results/step_buckets.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evtwin::serve {

StepBuckets::StepBuckets(Time from, Time to, std::size_t max_buckets, std::size_t values)
    : from_(from), to_(to), values_(values), positive_ms_(values, 0.0), negative_ms_(values, 0.0) {
    if (!(from < to) || max_buckets == 0)
        throw std::invalid_argument("StepBuckets: empty window or no bucket");
    const std::int64_t span = to.ms() - from.ms();
    const auto n = static_cast<std::int64_t>(max_buckets);
    width_ = Duration((span + n - 1) / n);
    count_ = static_cast<std::size_t>((span + width_.ms() - 1) / width_.ms());
    cells_.resize(count_ * values_);
}

void StepBuckets::add(Time t, std::span<const double> values) {
    if (last_t_) hold(*last_t_, t, last_values_);
    last_t_ = t;
    last_values_.assign(values.begin(), values.end());
    last_values_.resize(values_, 0.0);
}

void StepBuckets::finish(Time until) {
    if (last_t_) hold(*last_t_, until, last_values_);
    last_t_.reset();
}

void StepBuckets::hold(Time a, Time b, const std::vector<double>& values) {
    a = std::max(a, from_);
    b = std::min(b, to_);
    if (!(a < b)) return;
    auto bucket = static_cast<std::size_t>((a.ms() - from_.ms()) / width_.ms());
    for (Time at = a; at < b && bucket < count_; ++bucket) {
        const Time end = std::min(b, start(bucket) + width_);
        const double ms = static_cast<double>(end.ms() - at.ms());
        for (std::size_t v = 0; v < values_; ++v) {
            Cell& c = cells_[bucket * values_ + v];
            const double x = values[v];
            c.lo = c.covered_ms > 0 ? std::min(c.lo, x) : x;
            c.hi = c.covered_ms > 0 ? std::max(c.hi, x) : x;
            c.weighted += x * ms;
            c.covered_ms += ms;
            (x > 0 ? positive_ms_[v] : negative_ms_[v]) += std::abs(x) * ms;
        }
        at = end;
    }
}

std::optional<double> StepBuckets::mean(std::size_t bucket, std::size_t value) const {
    const Cell& c = cell(bucket, value);
    if (c.covered_ms <= 0) return std::nullopt;
    return c.weighted / c.covered_ms;
}

std::optional<double> StepBuckets::min(std::size_t bucket, std::size_t value) const {
    const Cell& c = cell(bucket, value);
    if (c.covered_ms <= 0) return std::nullopt;
    return c.lo;
}

std::optional<double> StepBuckets::max(std::size_t bucket, std::size_t value) const {
    const Cell& c = cell(bucket, value);
    if (c.covered_ms <= 0) return std::nullopt;
    return c.hi;
}

double StepBuckets::positive_hours(std::size_t value) const {
    return positive_ms_[value] / 3'600'000.0;
}

double StepBuckets::negative_hours(std::size_t value) const {
    return negative_ms_[value] / 3'600'000.0;
}

}  // namespace evtwin::serve
