#include "viewer/data/step_columns.hpp"

#include <algorithm>

namespace evtwin::viewer {

std::size_t row_at(const std::vector<std::int64_t>& t, Time at) {
    const auto it = std::upper_bound(t.begin(), t.end(), at.ms());
    if (it == t.begin()) return kNoRow;
    return static_cast<std::size_t>(it - t.begin()) - 1;
}

std::vector<Bucket> bucketize(const std::vector<std::int64_t>& t, const std::vector<double>& v, Time end,
                              Time from, Time to, std::size_t buckets) {
    std::vector<Bucket> out(buckets);
    if (buckets == 0 || to <= from || t.empty()) return out;
    const double span = static_cast<double>((to - from).ms());
    const auto bucket_start = [&](std::size_t b) {
        return from.ms() +
               static_cast<std::int64_t>(span * static_cast<double>(b) / static_cast<double>(buckets));
    };
    std::vector<double> covered(buckets, 0.0);
    std::size_t i = row_at(t, from);
    if (i == kNoRow) i = 0;
    const std::int64_t stop = std::min(to.ms(), end.ms());
    for (; i < t.size() && t[i] < stop; ++i) {
        const std::int64_t a = std::max(t[i], from.ms());
        const std::int64_t b = std::min(i + 1 < t.size() ? t[i + 1] : end.ms(), stop);
        if (b <= a) continue;
        // The buckets [a, b) touches.
        auto first = static_cast<std::size_t>(static_cast<double>(a - from.ms()) / span *
                                              static_cast<double>(buckets));
        first = std::min(first, buckets - 1);
        while (first > 0 && bucket_start(first) > a) --first;
        while (first + 1 < buckets && bucket_start(first + 1) <= a) ++first;
        for (std::size_t k = first; k < buckets; ++k) {
            const std::int64_t lo = std::max(a, bucket_start(k));
            const std::int64_t hi = std::min(b, k + 1 < buckets ? bucket_start(k + 1) : to.ms());
            if (hi <= lo) break;
            Bucket& bk = out[k];
            if (!bk.has_data) {
                bk.min = bk.max = v[i];
                bk.has_data = true;
            } else {
                bk.min = std::min(bk.min, v[i]);
                bk.max = std::max(bk.max, v[i]);
            }
            const auto w = static_cast<double>(hi - lo);
            bk.mean += v[i] * w;
            covered[k] += w;
        }
    }
    for (std::size_t k = 0; k < buckets; ++k)
        if (covered[k] > 0.0) out[k].mean /= covered[k];
    return out;
}

double integrate_kwh(const std::vector<std::int64_t>& t, const std::vector<double>& v, Time end, Time from,
                     Time to) {
    const std::int64_t stop = std::min(to.ms(), end.ms());
    std::size_t i = row_at(t, from);
    if (i == kNoRow) i = 0;
    double kw_ms = 0.0;
    for (; i < t.size() && t[i] < stop; ++i) {
        const std::int64_t a = std::max(t[i], from.ms());
        const std::int64_t b = std::min(i + 1 < t.size() ? t[i + 1] : end.ms(), stop);
        if (b > a) kw_ms += v[i] * static_cast<double>(b - a);
    }
    return kw_ms / 3'600'000.0;
}

}  // namespace evtwin::viewer
