#include "viewer/data/heatmap.hpp"

#include <cmath>
#include <limits>

namespace evtwin::viewer {

Heatmap power_heatmap(const RunData& run, Time from, Time to, std::size_t columns) {
    Heatmap h;
    h.rows = run.connectors.size();
    h.columns = columns;
    h.kw.assign(h.rows * columns, std::numeric_limits<float>::quiet_NaN());
    for (std::size_t r = 0; r < h.rows; ++r) {
        const auto& c = run.connectors[r];
        const auto buckets = bucketize(c.t, c.kw, run.end(), from, to, columns);
        for (std::size_t k = 0; k < columns; ++k) {
            if (!buckets[k].has_data) continue;
            h.kw[r * columns + k] = static_cast<float>(buckets[k].mean);
            h.max_abs_kw = std::max(h.max_abs_kw, std::abs(buckets[k].mean));
        }
    }
    return h;
}

}  // namespace evtwin::viewer
