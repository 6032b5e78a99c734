#pragma once
// The engine's checks on what a forecaster answers, the same for a run and for `forecast eval`: a
// plugin's answer reaches the strategies only as numbers its channels can mean.
#include <evtwin/forecaster.hpp>

#include <cstddef>
#include <string_view>

namespace evtwin {

// Throws a PluginError naming the forecaster, the value, its channel and step unless each quantile
// holds horizon × channel_count(target) values, each within its channel's range (numbers within
// +-1e15; for demand at most 1,000 arrivals a step and stays of at most kMostHours, so that the
// vehicles expected from it stay countable and their departures representable), with
// p10 <= p50 <= p90 at every value.
void check_forecast_answer(std::string_view forecaster, ForecastTarget target, std::size_t horizon,
                           const ForecastOutput& answer);

}  // namespace evtwin
