#pragma once
// Rolling-origin evaluation of forecasters on a held-out span: a forecast at every origin, scored
// against what happened, per channel and lead step (docs/forecasting.md, section Evaluation).
#include "forecast/series.hpp"

#include <evtwin/forecaster.hpp>

#include <string>
#include <vector>

namespace evtwin {

struct EvalSpan {
    Time from;                               // the first origin
    Time to;                                 // forecasts end by here
    Duration every = Duration::hours(24);    // between origins
    Duration horizon = Duration::hours(24);  // of each forecast
};

struct NamedForecaster {
    std::string name;
    Forecaster* forecaster = nullptr;
};

struct EvalScore {
    std::string model;
    std::size_t channel = 0;
    int lead = -1;  // the horizon step scored, 0-based; -1 for all of them together
    std::size_t points = 0;
    double mae = 0.0, rmse = 0.0;
    double smape = 0.0;              // mean of 2|f - y| / (|f| + |y|) where either is non-zero, in %
    double pinball[3] = {};          // per quantile of kQuantileLevels
    double coverage = 0.0;           // share of values within [p10, p90]
    double coverage_nonzero = 0.0;   // the same over the values not 0 (PV: the sunny hours); NaN if none
    double skill_seasonal = 0.0;     // 1 - MAE / MAE of seasonal_naive on the same points
    double skill_persistence = 0.0;  // 1 - MAE / MAE of persistence on the same points
};

// Scores every model, and the baselines `seasonal_naive` and `persistence` the skills are measured
// against (which must be among `models`). Throws DataError when the span is empty, leaves the
// data, or starts before a model's history window is covered; ForecasterError when a model
// forecasts in another step than the series'; PluginError when a model's answer fails
// check_forecast_answer.
std::vector<EvalScore> evaluate_forecasters(const ForecastSeries& series,
                                            const std::vector<NamedForecaster>& models, const EvalSpan& span);

}  // namespace evtwin
