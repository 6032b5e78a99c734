#include "grid/supply_path.hpp"

#include <algorithm>
#include <deque>
#include <limits>

namespace evtwin::grid {

std::vector<std::size_t> supply_path(const Network& network, int bus) {
    const std::size_t buses = network.buses.size();
    const std::size_t lines = network.lines.size();
    constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
    // The branches meeting each bus, each with the bus at its other end.
    std::vector<std::vector<std::pair<std::size_t, int>>> meeting(buses);
    const auto join = [&](std::size_t branch, int a, int b) {
        if (a < 0 || b < 0 || static_cast<std::size_t>(a) >= buses || static_cast<std::size_t>(b) >= buses)
            return;
        meeting[static_cast<std::size_t>(a)].push_back({branch, b});
        meeting[static_cast<std::size_t>(b)].push_back({branch, a});
    };
    for (std::size_t l = 0; l < lines; ++l) join(l, network.lines[l].from.bus, network.lines[l].to.bus);
    for (std::size_t t = 0; t < network.transformers.size(); ++t) {
        const auto& w = network.transformers[t].windings;
        for (std::size_t k = 1; k < w.size(); ++k) join(lines + t, w[0].terminal.bus, w[k].terminal.bus);
    }
    const int source = network.source.bus;
    if (source < 0 || bus < 0 || static_cast<std::size_t>(source) >= buses ||
        static_cast<std::size_t>(bus) >= buses)
        return {};
    std::vector<std::size_t> reached_by(buses, kNone);  // the branch a bus was first reached by
    std::vector<int> previous(buses, -1);
    std::vector<bool> seen(buses, false);
    std::deque<int> queue{source};
    seen[static_cast<std::size_t>(source)] = true;
    while (!queue.empty()) {
        const int at = queue.front();
        queue.pop_front();
        for (const auto& [branch, other] : meeting[static_cast<std::size_t>(at)]) {
            if (seen[static_cast<std::size_t>(other)]) continue;
            seen[static_cast<std::size_t>(other)] = true;
            reached_by[static_cast<std::size_t>(other)] = branch;
            previous[static_cast<std::size_t>(other)] = at;
            queue.push_back(other);
        }
    }
    std::vector<std::size_t> path;
    for (int at = bus; at != source && reached_by[static_cast<std::size_t>(at)] != kNone;
         at = previous[static_cast<std::size_t>(at)])
        path.push_back(reached_by[static_cast<std::size_t>(at)]);
    if (bus != source && path.empty()) return {};
    std::reverse(path.begin(), path.end());
    return path;
}

}  // namespace evtwin::grid
