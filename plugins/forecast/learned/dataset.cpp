#include "plugins/forecast/learned/dataset.hpp"

#include <evtwin/errors.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evtwin::forecast_learned {

Scaling fit_scaling(const ForecastSeries& series, std::size_t end) {
    Scaling s;
    for (std::size_t c = 0; c < series.channels(); ++c) {
        double top = 0.0;
        for (std::size_t i = 0; i < end; ++i) top = std::max(top, std::abs(series.at(c, i)));
        s.channel.push_back(top > 0.0 ? top : 1.0);
    }
    double price = 0.0;
    for (std::size_t i = 0; i < end && i < series.import_price.size(); ++i)
        price = std::max(price, std::abs(series.import_price[i]));
    s.price = price > 0.0 ? price : 1.0;
    return s;
}

Windows make_windows(const ForecastSeries& series, const FeatureLayout& layout, const Scaling& scaling,
                     const std::vector<std::size_t>& origins) {
    const std::size_t h = layout.history_steps, f = layout.horizon_steps;
    const std::size_t ps = h * layout.past.size(), fs = f * layout.future.size(), ts = f * layout.channels();
    Windows w;
    w.count = origins.size();
    w.origins = origins;
    w.past.resize(w.count * ps);
    w.future.resize(w.count * fs);
    w.target.resize(w.count * ts);
    ForecastInputBuffers buffers;
    std::vector<float> level(layout.channels());
    for (std::size_t n = 0; n < w.count; ++n) {
        const ForecastInput in = input_at(series, origins[n], layout.lookback_steps, f, buffers);
        build_features(layout, scaling, in, &w.past[n * ps], &w.future[n * fs], level.data());
        scaled_target(scaling, level.data(), layout.channels(), f, series.values, series.steps, origins[n],
                      &w.target[n * ts]);
    }
    return w;
}

Split split_origins(const ForecastSeries& series, std::size_t end, const FeatureLayout& layout,
                    double validation_fraction, std::size_t every) {
    const std::size_t h = layout.history_steps, f = layout.horizon_steps;
    const std::size_t needed = h + 2 * f;
    if (end < needed)
        throw DataError(series.data + ": " + std::to_string(end) +
                        " steps of data to train on, too short for a history of " + std::to_string(h) +
                        " steps and a horizon of " + std::to_string(f) + " (at least " +
                        std::to_string(needed) + " steps: one window for training and one for validation)");
    const std::size_t validation_steps =
        std::max(f, static_cast<std::size_t>(std::ceil(validation_fraction * static_cast<double>(end))));
    Split s;
    s.validation_start = std::max(h + f, end - std::min(validation_steps, end));
    every = std::max<std::size_t>(1, every);
    for (std::size_t o = h; o + f <= s.validation_start; o += every) s.train.push_back(o);
    // validation horizons lie in the validation span; their history may reach back into training's
    for (std::size_t o = s.validation_start; o + f <= end; o += every) s.validation.push_back(o);
    if (s.validation.empty()) s.validation.push_back(end - f);
    return s;
}

}  // namespace evtwin::forecast_learned
