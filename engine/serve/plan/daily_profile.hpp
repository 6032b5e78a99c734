#pragma once
// A value given by local time of day, the same every day (a base load's daily profile), as the
// piecewise-constant series of instants the engine reads.
#include "model/local_time.hpp"
#include "model/step_series.hpp"
#include "serve/plan/plan_request.hpp"

#include <vector>

namespace evtwin::serve {

// The bands' values over [from, to) in `zone`: a point at each band's start on every local day that
// reaches into the span (the first at local midnight on or before `from`). A band start that the
// clocks skip takes the zone's earlier valid instant; one that falls on or before the previous point
// replaces that point's value.
StepSeries daily_series(const std::vector<DailyBand>& bands, const TimeZone& zone, Time from, Time to);

}  // namespace evtwin::serve
