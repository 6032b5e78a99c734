#pragma once
// The learned forecasters' inputs, computed in one place for training and forecasting alike: from a
// ForecastInput (the lookback's history only, calendar and prices over lookback and horizon) to two
// row-major float matrices, the past (the lookback's last history_steps × past features) and the
// known future (horizon_steps × future features, among them the target at the same time of earlier
// days and weeks of the lookback). The feature names, in order, are stored in the model file
// (docs/forecasting.md).
#include <evtwin/forecaster.hpp>
#include <evtwin/time.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace evtwin::forecast_learned {

// Target values are divided by a per-channel scale (the training span's maximum), then by the
// window's level (build_features); prices by the largest absolute price. Zero stays zero, so
// unobserved steps and scaled zeros agree.
struct Scaling {
    std::vector<double> channel;
    double price = 1.0;
};

struct FeatureLayout {
    ForecastTarget target = ForecastTarget::pv;
    Duration step = Duration::hours(1);
    std::size_t history_steps = 0;  // the network's past: the lookback's last steps
    std::size_t horizon_steps = 0;
    std::size_t lookback_steps = 0;   // the history a forecast is given (>= history_steps)
    std::vector<std::string> past;    // per history step
    std::vector<std::string> future;  // per horizon step (known ahead, or derived from history)

    std::size_t channels() const { return channel_count(target); }
    std::size_t steps_per_day() const { return static_cast<std::size_t>(Duration::days(1) / step); }
};

// The layout this version builds; throws std::invalid_argument when a day is not a whole number of
// steps, a window is empty or the lookback is shorter than the history.
FeatureLayout make_layout(ForecastTarget target, Duration step, std::size_t history_steps,
                          std::size_t horizon_steps, std::size_t lookback_steps);

std::string channel_name(ForecastTarget target, std::size_t channel);

// The columns of the same-time features (the target a day, a week... earlier) among layout.future,
// channel after channel: channels × (same-time features per channel) indices.
std::vector<std::int64_t> same_time_columns(const FeatureLayout& layout);

// Fills past[history_steps × layout.past.size()], future[horizon_steps × layout.future.size()] and
// level[channels]: each channel's mean over the observed part of the network's history (scaled, at
// least 0.02), by which every target-derived input is divided; the network predicts in those units
// (value / (scale · level)). `in` must have the layout's lookback and horizon lengths (the caller
// adapts others).
void build_features(const FeatureLayout& layout, const Scaling& scaling, const ForecastInput& in, float* past,
                    float* future, float* level);

// The target over the horizon that follows the origin, in the network's units, [horizon_steps ×
// channels], for training: `values` holds the channels' true values channel-major, `steps` each.
void scaled_target(const Scaling& scaling, const float* level, std::size_t channels,
                   std::size_t horizon_steps, const std::vector<double>& values, std::size_t steps,
                   std::size_t origin, float* out);

}  // namespace evtwin::forecast_learned
