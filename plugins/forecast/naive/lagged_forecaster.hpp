#pragma once
// A forecast that repeats the past one lag earlier (a day, a week), with quantiles from that rule's
// own errors over the history it is given (docs/forecasting.md, section Naive forecasters).
#include <evtwin/forecaster.hpp>
#include <evtwin/options.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace evtwin::forecast {

class LaggedForecaster : public Forecaster {
public:
    // Options: step_min (the forecast's step, default 60, at most a day) and history_days (default
    // `history_days`, at most a year).
    LaggedForecaster(const ForecasterOptions& options, Duration lag, int history_days) : lag_(lag) {
        if (options.contains("arg"))
            throw ForecasterError("takes no argument after ':', only the options step_min and history_days");
        check_option_keys(options, {"step_min", "history_days"});
        const double step_min = number_option(options, "step_min", 60.0, 1.0, 1440.0);
        const double days = number_option(options, "history_days", history_days, 0.0, 366.0);
        step_ = Duration(static_cast<std::int64_t>(std::llround(step_min * 60'000.0)));
        if (lag_ % step_ != Duration(0))
            throw ForecasterError("step_min must divide the lag of " + std::to_string(lag_.ms() / 3'600'000) +
                                  " h");
        lag_steps_ = static_cast<std::size_t>(lag_ / step_);
        history_steps_ = static_cast<std::size_t>(std::llround(days * 86'400'000.0 / double(step_.ms())));
        if (history_steps_ < lag_steps_)
            throw ForecasterError("history_days must cover the lag of " +
                                  std::to_string(lag_.ms() / 3'600'000) + " h");
    }

    ForecastNeeds needs() const override { return {step_, history_steps_}; }

    void forecast(const ForecastInput& in, ForecastOutput& out) override {
        const std::size_t h = in.history_steps, n = in.horizon_steps;
        // Steps before the data began are not errors of the rule: they are left out of its error spread.
        const auto first_known =
            in.known_from <= in.origin - in.step * static_cast<std::int64_t>(h)
                ? std::size_t{0}
                : std::min<std::size_t>(
                      h, static_cast<std::size_t>((in.known_from -
                                                   (in.origin - in.step * static_cast<std::int64_t>(h)) +
                                                   in.step - Duration(1)) /
                                                  in.step));
        for (std::size_t c = 0; c < channel_count(in.target); ++c) {
            const std::span<const double> x = in.channel(c);
            errors_.clear();
            for (std::size_t i = first_known + lag_steps_; i < h; ++i)
                errors_.push_back(x[i] - x[i - lag_steps_]);
            const double low = quantile(0.1), high = quantile(0.9);
            for (std::size_t k = 0; k < n; ++k) {
                // Step k of the horizon repeats the step a whole number of lags before it within the history.
                const std::size_t back = lag_steps_ * (k / lag_steps_ + 1);
                const double median = back <= h ? x[h + k - back] : 0.0;
                out.p50[c * n + k] = median;
                out.p10[c * n + k] = std::max(0.0, std::min(median, median + low));
                out.p90[c * n + k] = std::max(median, median + high);
            }
        }
    }

private:
    double quantile(double level) {
        if (errors_.empty()) return 0.0;
        const auto at = static_cast<std::size_t>(std::floor(level * double(errors_.size() - 1) + 0.5));
        std::nth_element(errors_.begin(), errors_.begin() + static_cast<std::ptrdiff_t>(at), errors_.end());
        return errors_[at];
    }

    Duration lag_;
    Duration step_;
    std::size_t lag_steps_ = 0;
    std::size_t history_steps_ = 0;
    std::vector<double> errors_;
};

}  // namespace evtwin::forecast
