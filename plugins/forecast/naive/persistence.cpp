// persistence: tomorrow is today again.
#include "lagged_forecaster.hpp"

#include <evtwin/plugin.hpp>

namespace evtwin::forecast {

class Persistence : public LaggedForecaster {
public:
    Persistence(ForecastTarget, const ForecasterOptions& options)
        : LaggedForecaster(options, Duration::days(1), 7) {}
};

}  // namespace evtwin::forecast

using evtwin::forecast::Persistence;
EVTWIN_FORECASTER(Persistence, "persistence", "1.0.0")
