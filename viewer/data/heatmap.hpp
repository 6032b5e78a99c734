#pragma once
// Vehicles × time: the mean grid-side power of each connector in each time bucket of a window.
#include "viewer/data/run_data.hpp"

#include <vector>

namespace evtwin::viewer {

struct Heatmap {
    std::size_t rows = 0;     // connectors
    std::size_t columns = 0;  // time buckets
    std::vector<float> kw;    // rows × columns, row-major; NaN where the connector has no data
    double max_abs_kw = 0.0;
    float at(std::size_t r, std::size_t c) const { return kw[r * columns + c]; }
};

Heatmap power_heatmap(const RunData& run, Time from, Time to, std::size_t columns);

}  // namespace evtwin::viewer
