#pragma once
// A forecast target's observed history on a regular grid, read from reference data: what
// `evtwin forecast train` learns from and `evtwin forecast eval` scores on (docs/forecasting.md).
#include "model/vehicle_spec.hpp"

#include <evtwin/forecaster.hpp>

#include <span>

#include <string>
#include <vector>

namespace evtwin {

struct ForecastSeries {
    ForecastTarget target = ForecastTarget::pv;
    std::string data;  // the data spec it was read from, for messages and tables
    Time start;        // step i covers [start + i·step, +step)
    Duration step;
    std::size_t steps = 0;
    std::vector<double> values;          // steps per channel, channel after channel (see ForecastInput)
    std::vector<CalendarStep> calendar;  // one per step
    std::vector<double> import_price;    // one per step; zeros where the data has no prices
    std::string timezone = "UTC";        // of the calendar
    std::string holidays = "none";       // HolidayCalendar name

    std::size_t channels() const { return channel_count(target); }
    double at(std::size_t channel, std::size_t i) const { return values[channel * steps + i]; }
    Time time_of(std::size_t i) const { return start + step * static_cast<std::int64_t>(i); }
    // The step that starts at `t`, which must be on the grid; throws DataError otherwise.
    std::size_t index_of(Time t) const;
    // A date or time as the user types it ("2019-05-15", "2019-05-15T08:00", with or without an
    // offset), local to the series' zone. Throws std::invalid_argument with the forms expected.
    Time parse_local(const std::string& text) const;
    // Steps [first, last) as a series of their own.
    ForecastSeries slice(std::size_t first, std::size_t last) const;
};

// Demand channels (see ForecastTarget) of the sessions arriving in [start, start + n·step), channel
// after channel.
std::vector<double> aggregate_demand(std::span<const SessionSpec> sessions, Time start, Duration step,
                                     std::size_t n);

// Reads `spec` (see docs/forecasting.md, section Data): files separated by '+', each a PV profile
// CSV (target pv) or a session file (ACN-Data CSV or JSON, the Norway CSV; target demand), then
// optional ',key=value' settings: tz (IANA zone; the format's own by default), holidays (us, no,
// nl, kr or none), year (the year a typical-year PV profile is laid onto), scale (multiplies PV kW).
// Relative paths are read from the working directory, then from the reference data directory.
// Throws DataError naming the file and what was expected.
ForecastSeries read_forecast_series(const std::string& spec, ForecastTarget target, Duration step);

// The ForecastInput for a forecast made at step `origin` of `series` (history from the steps before
// it, calendar and prices over history and horizon). The buffers are filled and stay owned by
// `buffers`. Steps before the series' start count as unobserved (known_from). Throws DataError when
// the horizon runs past the series' end.
struct ForecastInputBuffers {
    std::vector<double> history;
    std::vector<CalendarStep> calendar;
    std::vector<double> import_price;
};
ForecastInput input_at(const ForecastSeries& series, std::size_t origin, std::size_t history_steps,
                       std::size_t horizon_steps, ForecastInputBuffers& buffers);

}  // namespace evtwin
