// The forecaster `tft`: a Temporal-Fusion-Transformer-style model file (`--forecast pv=tft:model.pt`).
#include "plugins/forecast/learned/learned_forecaster.hpp"

#include <evtwin/plugin.hpp>

namespace {

class TftForecaster : public evtwin::forecast_learned::LearnedForecaster {
public:
    TftForecaster(evtwin::ForecastTarget target, const evtwin::ForecasterOptions& options)
        : LearnedForecaster(target, options, "tft") {}
};

}  // namespace

EVTWIN_FORECASTER(TftForecaster, "tft", "1.0.0")
