#pragma once
// Series stored "on change" (docs/results-schema.md) as columns: a row's value holds from its time
// until the next row. Lookups are binary searches, never a replay from the start.
#include <evtwin/time.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace evtwin::viewer {

inline constexpr std::size_t kNoRow = std::numeric_limits<std::size_t>::max();

// Index of the row in force at `at` (the last with t <= at); kNoRow before the first row.
std::size_t row_at(const std::vector<std::int64_t>& t, Time at);

// One bucket of a step series over a time window.
struct Bucket {
    double mean = 0.0;  // time-weighted: the bucket's energy over its duration, for kW series
    double min = 0.0;
    double max = 0.0;
    bool has_data = false;  // false where no row is in force (before the first row, after `end`)
};

// The step series (t, v), ending at `end`, over [from, to) split into `buckets` equal spans. Min and
// max cover every value in force during a bucket, so a short peak is never lost when zoomed out.
// Cost: O(rows in the window + buckets).
std::vector<Bucket> bucketize(const std::vector<std::int64_t>& t, const std::vector<double>& v, Time end,
                              Time from, Time to, std::size_t buckets);

// The integral of the step series (t, v), ending at `end`, over [from, to): kWh for a kW series.
double integrate_kwh(const std::vector<std::int64_t>& t, const std::vector<double>& v, Time end, Time from,
                     Time to);

}  // namespace evtwin::viewer
