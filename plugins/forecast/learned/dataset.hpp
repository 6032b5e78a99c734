#pragma once
// Training windows cut from a ForecastSeries: each origin gives one ForecastInput (input_at: history
// only, exactly what a forecaster is given at that origin), its features (features.hpp) and the
// scaled truth over the horizon that follows.
#include "forecast/series.hpp"
#include "plugins/forecast/learned/features.hpp"

#include <cstddef>
#include <vector>

namespace evtwin::forecast_learned {

// Per channel the largest value of steps [0, end) (1 where it is 0); prices likewise in absolute value.
Scaling fit_scaling(const ForecastSeries& series, std::size_t end);

struct Windows {
    std::size_t count = 0;
    std::vector<float> past, future, target;  // count × (H×P), count × (F×K), count × (F×C)
    std::vector<std::size_t> origins;
};
Windows make_windows(const ForecastSeries& series, const FeatureLayout& layout, const Scaling& scaling,
                     const std::vector<std::size_t>& origins);

// Origins for training and validation over steps [0, end): validation takes the horizons that end
// in the last `validation_fraction` of the span (at least one horizon), training those wholly before
// it. Origins every `every` steps. Throws DataError when the span cannot hold a history and a
// horizon on each side, naming the data and the lengths.
struct Split {
    std::vector<std::size_t> train, validation;
    std::size_t validation_start = 0;
};
Split split_origins(const ForecastSeries& series, std::size_t end, const FeatureLayout& layout,
                    double validation_fraction, std::size_t every);

}  // namespace evtwin::forecast_learned
