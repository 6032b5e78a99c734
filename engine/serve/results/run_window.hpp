#pragma once
// The part of a run a request asks for: from_ms and to_ms (or a date of the site's calendar),
// within the run's data, validated with errors naming the parameter.
#include "record/reader/run_reader.hpp"
#include "record/schema/records.hpp"
#include "serve/net/query_params.hpp"

#include <string>

namespace evtwin::serve {

struct RunWindow {
    Time from;
    Time to;           // exclusive, after from
    Time data_end;     // the run's last stored value holds until here (data_end_of)
    std::string date;  // the local date asked for, empty when the window was given in ms
};

// Where the run's data ends: the end it reported, or for a run still being written (status
// running, no end yet) the latest instant its rows reach (RunReader::last_instant), not its
// scheduled end, so that its last values are not drawn into a future not yet simulated.
Time data_end_of(const RunReader& reader, const RunRecord& run);

// from_ms defaults to the run's start and to_ms to its data end; both are clamped to the run. A
// window that holds nothing of the run is a 422 naming to_ms (or from_ms when it starts after the run).
RunWindow run_window(const QueryParams& query, const RunRecord& run, Time data_end);
// With `date` (YYYY-MM-DD, the site's local calendar day), that day; otherwise run_window().
RunWindow day_or_window(const QueryParams& query, const RunRecord& run, Time data_end);

// The number of points a series answer has at most: `points`, default `fallback`, at most 10,000.
std::size_t points_of(const QueryParams& query, std::size_t fallback);

}  // namespace evtwin::serve
