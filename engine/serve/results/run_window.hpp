#pragma once
// The part of a run a request asks for: from_ms and to_ms (or a date of the site's calendar),
// within the run's data, validated with errors naming the parameter.
#include "record/schema/records.hpp"
#include "serve/results/query_params.hpp"

#include <string>

namespace evtwin::serve {

struct RunWindow {
    Time from;
    Time to;           // exclusive, after from
    std::string date;  // the local date asked for, empty when the window was given in ms
};

// from_ms defaults to the run's start and to_ms to its data end; both are clamped to the run. A
// window that holds nothing of the run is a 422 naming to_ms (or from_ms when it starts after the run).
RunWindow run_window(const QueryParams& query, const RunRecord& run);
// With `date` (YYYY-MM-DD, the site's local calendar day), that day; otherwise run_window().
RunWindow day_or_window(const QueryParams& query, const RunRecord& run);

// The number of points a series answer has at most: `points`, default `fallback`, at most 10,000.
std::size_t points_of(const QueryParams& query, std::size_t fallback);

}  // namespace evtwin::serve
