#pragma once
// Averages of a piecewise-constant signal over the plan's steps.
#include <evtwin/time.hpp>

#include <vector>

namespace evtwin::serve {

struct StepGrid {
    Time start;
    Duration step;
    std::size_t steps = 0;
};

// Adds value × (its share of each step) to `out` (size grid.steps) for a value holding on
// [from, to); parts outside the grid are ignored.
void add_to_steps(const StepGrid& grid, Time from, Time to, double value, std::vector<double>& out);

}  // namespace evtwin::serve
