// The forecaster `lstm`: an LSTM encoder-decoder model file (`--forecast pv=lstm:model.pt`).
#include "plugins/forecast/learned/learned_forecaster.hpp"

#include <evtwin/plugin.hpp>

namespace {

class LstmForecaster : public evtwin::forecast_learned::LearnedForecaster {
public:
    LstmForecaster(evtwin::ForecastTarget target, const evtwin::ForecasterOptions& options)
        : LearnedForecaster(target, options, "lstm") {}
};

}  // namespace

EVTWIN_FORECASTER(LstmForecaster, "lstm", "1.0.0")
