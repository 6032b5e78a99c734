#include "forecast/learned/features.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace evtwin::forecast_learned {

namespace {

constexpr const char* kCalendar[] = {"hour_sin", "hour_cos", "weekday_sin", "weekday_cos", "holiday"};
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

// The observed history value one period (or more) before horizon step k, or none.
bool lag_value(const ForecastInput& in, std::size_t channel, std::size_t k, std::size_t period,
               std::size_t first, double& value) {
    const std::size_t h = in.history_steps;
    const std::size_t periods = k / period + 1;  // the smallest number of periods that lands in the history
    if (periods * period > h + k) return false;
    const std::size_t at = h + k - periods * period;
    if (at < first) return false;
    value = in.channel(channel)[at];
    return true;
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
                          std::size_t horizon_steps) {
    if (step.ms() <= 0 || Duration::days(1).ms() % step.ms() != 0)
        throw std::invalid_argument("the step must divide a day into whole steps");
    if (history_steps == 0 || horizon_steps == 0)
        throw std::invalid_argument("history and horizon must be at least one step");
    FeatureLayout l;
    l.target = target;
    l.step = step;
    l.history_steps = history_steps;
    l.horizon_steps = horizon_steps;
    for (std::size_t c = 0; c < l.channels(); ++c) l.past.push_back("y:" + channel_name(target, c));
    l.past.push_back("observed");
    for (const char* name : kCalendar) {
        l.past.push_back(name);
        l.future.push_back(name);
    }
    l.past.push_back("import_price");
    l.future.push_back("import_price");
    for (std::size_t c = 0; c < l.channels(); ++c) l.future.push_back("day_ago:" + channel_name(target, c));
    for (std::size_t c = 0; c < l.channels(); ++c) l.future.push_back("week_ago:" + channel_name(target, c));
    if (target == ForecastTarget::pv) {
        l.past.push_back("pv_shape");
        l.future.push_back("pv_shape");
    }
    for (std::size_t c = 0; c < l.channels(); ++c) l.future.push_back("level:" + channel_name(target, c));
    return l;
}

void build_features(const FeatureLayout& layout, const Scaling& scaling, const ForecastInput& in, float* past,
                    float* future, float* level) {
    const std::size_t h = layout.history_steps, f = layout.horizon_steps, channels = layout.channels();
    if (in.history_steps != h || in.horizon_steps != f || in.history.size() != h * channels ||
        in.calendar.size() != h + f || in.import_price.size() != h + f)
        throw ForecasterError("forecast input does not have the model's history (" + std::to_string(h) +
                              " steps) and horizon (" + std::to_string(f) + " steps)");
    const std::size_t np = layout.past.size(), nf = layout.future.size();
    const std::size_t first = first_observed(in);
    const std::size_t day = layout.steps_per_day(), week = 7 * day;
    const bool pv = layout.target == ForecastTarget::pv;

    // Each channel's level: its mean over the observed history; what derives from the target is
    // divided by it (and the network's output multiplied), so the network sees shapes, not sizes.
    std::vector<double> norm(channels);
    for (std::size_t c = 0; c < channels; ++c) {
        double sum = 0.0;
        for (std::size_t i = first; i < h; ++i) sum += in.channel(c)[i];
        const double mean = first < h ? sum / static_cast<double>(h - first) / scaling.channel[c] : 0.0;
        level[c] = static_cast<float>(std::max(mean, kMinLevel));
        norm[c] = scaling.channel[c] * level[c];
    }

    // PV: per time-of-day slot, a high quantile of the recent observed days (a clear-sky-like envelope).
    std::vector<float> shape;
    if (pv) {
        shape.assign(day, 0.0f);
        const std::size_t from =
            std::max(first, h > kShapeDays * day ? h - kShapeDays * day : std::size_t{0});
        std::vector<double> slot_values;
        for (std::size_t s = 0; s < day; ++s) {
            slot_values.clear();
            for (std::size_t i = from + (s + day - from % day) % day; i < h; i += day)
                slot_values.push_back(in.channel(0)[i]);
            if (slot_values.empty()) continue;
            std::sort(slot_values.begin(), slot_values.end());
            const double q =
                slot_values[static_cast<std::size_t>(0.9 * static_cast<double>(slot_values.size() - 1))];
            shape[s] = static_cast<float>(q / norm[0]);
        }
    }
    // steps a whole number of days apart share a slot (i runs over the history, then the horizon)
    auto slot_of = [&](std::size_t i) { return i % day; };

    for (std::size_t i = 0; i < h; ++i) {
        float* row = past + i * np;
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
    for (std::size_t k = 0; k < f; ++k) {
        float* row = future + k * nf;
        std::size_t col = 0;
        calendar_features(in.calendar[h + k], row + col);
        col += 5;
        row[col++] = static_cast<float>(in.import_price[h + k] / scaling.price);
        for (std::size_t c = 0; c < channels; ++c) {
            double v = 0.0;
            row[col++] = lag_value(in, c, k, day, first, v) ? static_cast<float>(v / norm[c]) : 0.0f;
        }
        for (std::size_t c = 0; c < channels; ++c) {
            double v = 0.0;
            // a history shorter than a week falls back to a day ago
            const bool found = lag_value(in, c, k, week, first, v) || lag_value(in, c, k, day, first, v);
            row[col++] = found ? static_cast<float>(v / norm[c]) : 0.0f;
        }
        if (pv) row[col++] = shape[slot_of(h + k)];
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
