#pragma once
// "name" or "name:arg" (e.g. "lstm:models/pv.pt", "noisy:0.1"), as the scenario's forecast{} block and
// `--forecast TARGET=CHOICE` name a forecaster.
#include "model/scenario_spec.hpp"

#include <string>

namespace evtwin {

// Throws std::invalid_argument for an empty name, or an engine forecaster given a bad argument.
ForecasterChoice parse_forecaster_choice(const std::string& text);
// Checks an engine forecaster's options (noisy: noise >= 0). Throws std::invalid_argument.
void check_forecaster_choice(const ForecasterChoice& choice);
// "pv", "load" or "demand"; throws std::invalid_argument naming them otherwise.
ForecastTarget parse_forecast_target(const std::string& text);

}  // namespace evtwin
