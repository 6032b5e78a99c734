#include "model/rainflow.hpp"

#include <cmath>

namespace evtwin {

std::vector<std::size_t> turning_points(std::span<const double> series) {
    std::vector<std::size_t> points;
    if (series.empty()) return points;
    points.push_back(0);
    int direction = 0;
    std::size_t last_move = 0;  // first index of the latest value reached (a plateau keeps its first index)
    for (std::size_t i = 1; i < series.size(); ++i) {
        const double step = series[i] - series[last_move];
        if (step == 0.0) continue;
        const int next = step > 0.0 ? 1 : -1;
        if (direction != 0 && next != direction) points.push_back(last_move);
        direction = next;
        last_move = i;
    }
    if (points.back() != series.size() - 1) points.push_back(series.size() - 1);
    return points;
}

std::vector<RainflowCycle> rainflow(std::span<const double> series) {
    std::vector<RainflowCycle> cycles;
    const auto cycle = [&](std::size_t a, std::size_t b, double count) {
        const double range = std::abs(series[b] - series[a]);
        if (range > 0.0) cycles.push_back({range, 0.5 * (series[a] + series[b]), count, a, b});
    };
    // The stack of turning points not yet counted; its first element is the series' start until the
    // start is counted in a half cycle (ASTM E1049-85, 5.4.4).
    std::vector<std::size_t> stack;
    for (const std::size_t point : turning_points(series)) {
        stack.push_back(point);
        while (stack.size() >= 3) {
            const std::size_t n = stack.size();
            const double x = std::abs(series[stack[n - 1]] - series[stack[n - 2]]);
            const double y = std::abs(series[stack[n - 2]] - series[stack[n - 3]]);
            if (x < y) break;
            if (n == 3) {
                cycle(stack[0], stack[1], 0.5);
                stack.erase(stack.begin());
            } else {
                cycle(stack[n - 3], stack[n - 2], 1.0);
                stack.erase(stack.begin() + static_cast<std::ptrdiff_t>(n - 3),
                            stack.begin() + static_cast<std::ptrdiff_t>(n - 1));
            }
        }
    }
    for (std::size_t i = 0; i + 1 < stack.size(); ++i) cycle(stack[i], stack[i + 1], 0.5);
    return cycles;
}

}  // namespace evtwin
