#include "serve/plan/step_average.hpp"

#include <algorithm>

namespace evtwin::serve {

void add_to_steps(const StepGrid& grid, Time from, Time to, double value, std::vector<double>& out) {
    const Time end = grid.start + grid.step * static_cast<std::int64_t>(grid.steps);
    from = std::max(from, grid.start);
    to = std::min(to, end);
    const double step_ms = static_cast<double>(grid.step.ms());
    while (from < to) {
        const auto i = static_cast<std::size_t>((from - grid.start) / grid.step);
        const Time step_end = grid.start + grid.step * static_cast<std::int64_t>(i + 1);
        const Time until = std::min(to, step_end);
        out[i] += value * static_cast<double>((until - from).ms()) / step_ms;
        from = until;
    }
}

}  // namespace evtwin::serve
