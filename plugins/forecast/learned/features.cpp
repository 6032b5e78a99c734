#include "plugins/forecast/learned/features.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace evtwin::forecast_learned {

namespace {

constexpr const char* kCalendar[] = {"hour_sin", "hour_cos", "weekday_sin", "weekday_cos", "holiday"};
// The target at the same time of earlier days and weeks, per horizon step: a day ago, the mean of
// the last 3 days, the median of the last 7 days; then a week ago, the median of the last 4 weeks,
// and the mean of two and four weeks ago (sites that follow a two-week rota, such as alternate
// Fridays off). PV has no week: it takes the daily ones only, since older weeks only add the season's
// drift.
constexpr const char* kSameTime[] = {"day_ago",  "days3_mean",    "days7_median",
                                     "week_ago", "weeks4_median", "fortnights_mean"};
constexpr std::size_t kDailySameTime = 3;

std::size_t same_time_count(ForecastTarget target) {
    return target == ForecastTarget::pv ? kDailySameTime : std::size(kSameTime);
}
// The PV shape looks back this far, or over the whole history if shorter.
constexpr std::size_t kShapeDays = 14;
// A window's level never falls below this (in scaled units), so a quiet history is not blown up.
constexpr double kMinLevel = 0.02;

void calendar_features(const CalendarStep& c, float* out) {
    const double hour = 2.0 * std::numbers::pi * c.hour / 24.0;
    const double day = 2.0 * std::numbers::pi * c.weekday / 7.0;
    out[0] = static_cast<float>(std::sin(hour));
    out[1] = static_cast<float>(std::cos(hour));
    out[2] = static_cast<float>(std::sin(day));
    out[3] = static_cast<float>(std::cos(day));
    out[4] = c.holiday ? 1.0f : 0.0f;
}

// Index of the first observed history step (before it the input holds zeros, not observations).
std::size_t first_observed(const ForecastInput& in) {
    if (in.known_from <= in.origin - in.step * static_cast<std::int64_t>(in.history_steps)) return 0;
    if (in.known_from >= in.origin) return in.history_steps;
    const std::int64_t behind = (in.origin - in.known_from).ms();
    const std::int64_t steps_behind = behind / in.step.ms();  // whole steps observed before the origin
    return in.history_steps - static_cast<std::size_t>(steps_behind);
}

// The observed history values at horizon step k's time of the period (a day, a week), from the
// latest period back, at most `count` of them.
void same_time_values(const ForecastInput& in, std::size_t channel, std::size_t k, std::size_t period,
                      std::size_t count, std::size_t first, std::vector<double>& out) {
    out.clear();
    const std::size_t h = in.history_steps;
    // the smallest number of periods back that lands in the history, then one more each
    for (std::size_t periods = k / period + 1; out.size() < count && periods * period <= h + k; ++periods) {
        const std::size_t at = h + k - periods * period;
        if (at < first) break;
        out.push_back(in.channel(channel)[at]);
    }
}

// The mean of v's first n values (all of them when fewer); v is not empty.
double mean_of(const std::vector<double>& v, std::size_t n) {
    n = std::min(n, v.size());
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) sum += v[i];
    return sum / static_cast<double>(n);
}

double median_of(std::vector<double>& v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

std::string channel_name(ForecastTarget target, std::size_t channel) {
    switch (target) {
        case ForecastTarget::pv:
            return "pv_kw";
        case ForecastTarget::load:
            return "load_kw";
        case ForecastTarget::demand:
            return channel == kDemandArrivals ? "arrivals"
                   : channel == kDemandEnergy ? "energy_kwh"
                                              : "stay_h";
    }
    return "?";
}

FeatureLayout make_layout(ForecastTarget target, Duration step, std::size_t history_steps,
                          std::size_t horizon_steps, std::size_t lookback_steps) {
    if (step.ms() <= 0 || Duration::days(1).ms() % step.ms() != 0)
        throw std::invalid_argument("the step must divide a day into whole steps");
    if (history_steps == 0 || horizon_steps == 0)
        throw std::invalid_argument("history and horizon must be at least one step");
    if (lookback_steps < history_steps)
        throw std::invalid_argument("the lookback must be at least the history");
    FeatureLayout l;
    l.target = target;
    l.step = step;
    l.history_steps = history_steps;
    l.horizon_steps = horizon_steps;
    l.lookback_steps = lookback_steps;
    for (std::size_t c = 0; c < l.channels(); ++c) l.past.push_back("y:" + channel_name(target, c));
    l.past.push_back("observed");
    for (const char* name : kCalendar) {
        l.past.push_back(name);
        l.future.push_back(name);
    }
    l.past.push_back("import_price");
    l.future.push_back("import_price");
    for (std::size_t j = 0; j < same_time_count(target); ++j)
        for (std::size_t c = 0; c < l.channels(); ++c)
            l.future.push_back(std::string(kSameTime[j]) + ":" + channel_name(target, c));
    if (target == ForecastTarget::pv) {
        l.past.push_back("pv_shape");
        l.future.push_back("pv_shape");
    }
    for (std::size_t c = 0; c < l.channels(); ++c) l.future.push_back("level:" + channel_name(target, c));
    return l;
}

std::vector<std::int64_t> same_time_columns(const FeatureLayout& layout) {
    std::vector<std::int64_t> columns;
    for (std::size_t c = 0; c < layout.channels(); ++c)
        for (std::size_t j = 0; j < same_time_count(layout.target); ++j) {
            const std::string name = std::string(kSameTime[j]) + ":" + channel_name(layout.target, c);
            const auto at = std::find(layout.future.begin(), layout.future.end(), name);
            if (at == layout.future.end())
                throw std::invalid_argument("the layout has no future feature " + name);
            columns.push_back(at - layout.future.begin());
        }
    return columns;
}

void build_features(const FeatureLayout& layout, const Scaling& scaling, const ForecastInput& in, float* past,
                    float* future, float* level) {
    const std::size_t h = layout.history_steps, f = layout.horizon_steps, channels = layout.channels();
    const std::size_t lookback = layout.lookback_steps;
    if (in.history_steps != lookback || in.horizon_steps != f || in.history.size() != lookback * channels ||
        in.calendar.size() != lookback + f || in.import_price.size() != lookback + f)
        throw ForecasterError("forecast input does not have the model's lookback (" +
                              std::to_string(lookback) + " steps) and horizon (" + std::to_string(f) +
                              " steps)");
    const std::size_t np = layout.past.size(), nf = layout.future.size();
    const std::size_t first = first_observed(in);
    const std::size_t network_from = lookback - h;  // the network reads the lookback's last h steps
    const std::size_t day = layout.steps_per_day(), week = 7 * day;
    const bool pv = layout.target == ForecastTarget::pv;

    // Each channel's level: its mean over the observed part of the network's history; what derives
    // from the target is divided by it (and the network's output multiplied), so the network sees
    // shapes, not sizes.
    std::vector<double> norm(channels);
    const std::size_t level_from = std::max(first, network_from);
    for (std::size_t c = 0; c < channels; ++c) {
        double sum = 0.0;
        for (std::size_t i = level_from; i < lookback; ++i) sum += in.channel(c)[i];
        const double mean = level_from < lookback
                                ? sum / static_cast<double>(lookback - level_from) / scaling.channel[c]
                                : 0.0;
        level[c] = static_cast<float>(std::max(mean, kMinLevel));
        norm[c] = scaling.channel[c] * level[c];
    }

    // PV: per time-of-day slot, a high quantile of the recent observed days (a clear-sky-like envelope).
    std::vector<float> shape;
    if (pv) {
        shape.assign(day, 0.0f);
        const std::size_t from =
            std::max(first, lookback > kShapeDays * day ? lookback - kShapeDays * day : std::size_t{0});
        std::vector<double> slot_values;
        for (std::size_t s = 0; s < day; ++s) {
            slot_values.clear();
            for (std::size_t i = from + (s + day - from % day) % day; i < lookback; i += day)
                slot_values.push_back(in.channel(0)[i]);
            if (slot_values.empty()) continue;
            std::sort(slot_values.begin(), slot_values.end());
            const double q =
                slot_values[static_cast<std::size_t>(0.9 * static_cast<double>(slot_values.size() - 1))];
            shape[s] = static_cast<float>(q / norm[0]);
        }
    }
    // steps a whole number of days apart share a slot (i runs over the lookback, then the horizon)
    auto slot_of = [&](std::size_t i) { return i % day; };

    for (std::size_t i = network_from; i < lookback; ++i) {
        float* row = past + (i - network_from) * np;
        const bool observed = i >= first;
        std::size_t col = 0;
        for (std::size_t c = 0; c < channels; ++c)
            row[col++] = observed ? static_cast<float>(in.channel(c)[i] / norm[c]) : 0.0f;
        row[col++] = observed ? 1.0f : 0.0f;
        calendar_features(in.calendar[i], row + col);
        col += 5;
        row[col++] = static_cast<float>(in.import_price[i] / scaling.price);
        if (pv) row[col++] = shape[slot_of(i)];
    }
    std::vector<double> values;
    // Per channel, in kSameTime's order; nothing observed gives 0, and a lag of weeks not yet
    // observed falls back to the nearest shorter one.
    const std::size_t lag_count = same_time_count(layout.target);
    std::vector<double> lags(std::size(kSameTime) * channels);
    for (std::size_t k = 0; k < f; ++k) {
        float* row = future + k * nf;
        std::size_t col = 0;
        calendar_features(in.calendar[lookback + k], row + col);
        col += 5;
        row[col++] = static_cast<float>(in.import_price[lookback + k] / scaling.price);
        for (std::size_t c = 0; c < channels; ++c) {
            double* lag = &lags[c * std::size(kSameTime)];
            same_time_values(in, c, k, day, 7, first, values);
            lag[0] = values.empty() ? 0.0 : values.front();  // day_ago
            lag[1] = values.empty() ? 0.0 : mean_of(values, 3);
            lag[2] = values.empty() ? 0.0 : median_of(values);
            if (lag_count == kDailySameTime) continue;
            same_time_values(in, c, k, week, 4, first, values);
            lag[3] = values.empty() ? lag[0] : values.front();  // week_ago
            lag[4] = values.empty() ? lag[3] : median_of(values);
            same_time_values(in, c, k, 2 * week, 2, first, values);
            lag[5] = values.empty() ? lag[3] : mean_of(values, 2);
        }
        for (std::size_t j = 0; j < lag_count; ++j)
            for (std::size_t c = 0; c < channels; ++c)
                row[col++] = static_cast<float>(lags[c * std::size(kSameTime) + j] / norm[c]);
        if (pv) row[col++] = shape[slot_of(lookback + k)];
        for (std::size_t c = 0; c < channels; ++c) row[col++] = level[c];
    }
}

void scaled_target(const Scaling& scaling, const float* level, std::size_t channels,
                   std::size_t horizon_steps, const std::vector<double>& values, std::size_t steps,
                   std::size_t origin, float* out) {
    for (std::size_t k = 0; k < horizon_steps; ++k)
        for (std::size_t c = 0; c < channels; ++c)
            out[k * channels + c] =
                static_cast<float>(values[c * steps + origin + k] / (scaling.channel[c] * level[c]));
}

}  // namespace evtwin::forecast_learned
