#include "serve/plan/step_average.hpp"

#include <algorithm>

namespace evtwin::serve {

void add_to_steps(const StepGrid& grid, Time from, Time to, double value, std::vector<double>& out) {
    if (grid.steps() == 0) return;
    from = std::max(from, grid.bounds.front());
    to = std::min(to, grid.bounds.back());
    if (from >= to) return;
    auto i = static_cast<std::size_t>(std::upper_bound(grid.bounds.begin(), grid.bounds.end(), from) -
                                      grid.bounds.begin()) -
             1;
    for (; from < to; ++i) {
        const Time until = std::min(to, grid.bounds[i + 1]);
        out[i] += value * static_cast<double>((until - from).ms()) /
                  static_cast<double>((grid.bounds[i + 1] - grid.bounds[i]).ms());
        from = until;
    }
}

}  // namespace evtwin::serve
