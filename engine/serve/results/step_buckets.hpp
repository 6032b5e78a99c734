#pragma once
// Step functions (a results series: each row's values hold from its instant until the next row's)
// summed over equal buckets of a window [from, to), so that a page gets a bounded number of points
// whatever the window's length, and each point is exact: the average over its bucket of what the
// database holds, each value weighted by the time it held.
#include <evtwin/time.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace evtwin::serve {

class StepBuckets {
public:
    // At most `max_buckets` (>= 1) of equal width (a whole number of ms, the last one shorter when
    // the window does not divide), over `values` series. Requires from < to.
    StepBuckets(Time from, Time to, std::size_t max_buckets, std::size_t values);

    // Rows in time order; a row before `from` holds into the window until the next.
    void add(Time t, std::span<const double> values);
    // The last row's values hold until `until` (the run's data end), at most to the window's end.
    void finish(Time until);

    std::size_t size() const { return count_; }
    Duration width() const { return width_; }
    Time start(std::size_t bucket) const { return from_ + width_ * static_cast<std::int64_t>(bucket); }

    // Over the part of the bucket a row covered; empty when none did.
    std::optional<double> mean(std::size_t bucket, std::size_t value) const;
    std::optional<double> min(std::size_t bucket, std::size_t value) const;
    std::optional<double> max(std::size_t bucket, std::size_t value) const;
    // Integrals over the whole window of the value's positive and negative parts, in value-hours
    // (kWh for kW): the negative one as a positive number.
    double positive_hours(std::size_t value) const;
    double negative_hours(std::size_t value) const;

private:
    struct Cell {
        double weighted = 0.0;  // value × ms
        double covered_ms = 0.0;
        double lo = 0.0;
        double hi = 0.0;
    };
    void hold(Time a, Time b, const std::vector<double>& values);
    const Cell& cell(std::size_t bucket, std::size_t value) const { return cells_[bucket * values_ + value]; }

    Time from_;
    Time to_;
    Duration width_;
    std::size_t count_ = 0;
    std::size_t values_ = 0;
    std::vector<Cell> cells_;
    std::vector<double> positive_ms_;
    std::vector<double> negative_ms_;
    std::optional<Time> last_t_;
    std::vector<double> last_values_;
};

}  // namespace evtwin::serve
