// seasonal_naive: next week is this week again.
#include "lagged_forecaster.hpp"

#include <evtwin/plugin.hpp>

namespace evtwin::forecast {

class SeasonalNaive : public LaggedForecaster {
public:
    SeasonalNaive(ForecastTarget, const ForecasterOptions& options)
        : LaggedForecaster(options, Duration::days(7), 14) {}
};

}  // namespace evtwin::forecast

using evtwin::forecast::SeasonalNaive;
EVTWIN_FORECASTER(SeasonalNaive, "seasonal_naive", "1.0.0")
