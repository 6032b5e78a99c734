#pragma once
// Averages of a piecewise-constant signal over the plan's steps.
#include <evtwin/time.hpp>

#include <vector>

namespace evtwin::serve {

// The plan's steps, of any lengths: step i is [bounds[i], bounds[i + 1]).
struct StepGrid {
    std::vector<Time> bounds;  // increasing; one more than the steps

    std::size_t steps() const { return bounds.empty() ? 0 : bounds.size() - 1; }
    double hours(std::size_t i) const { return (bounds[i + 1] - bounds[i]).hours_f(); }
};

// Adds value × (its share of each step) to `out` (size grid.steps()) for a value holding on
// [from, to); parts outside the grid are ignored.
void add_to_steps(const StepGrid& grid, Time from, Time to, double value, std::vector<double>& out);

}  // namespace evtwin::serve
