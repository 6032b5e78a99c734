// The feeder's tree layout and its voltages at an instant.
#include "viewer/data/feeder_map.hpp"

#include <algorithm>
#include <deque>
#include <functional>

namespace evtwin::viewer {
namespace {

// Lays the buses out as a tree from `root` (breadth first over the branches, either way round): x by
// depth, y by leaf order in a depth-first walk, a bus at the mean of its children. Buses not reached
// from the root go at depth 0 after the tree's leaves.
void lay_out(FeederMap& map, std::uint32_t root) {
    const std::size_t n = map.buses.size();
    std::vector<std::vector<std::uint32_t>> next(n);
    for (const FeederMap::Branch& b : map.branches) {
        if (b.from >= n || b.to >= n) continue;
        next[b.from].push_back(b.to);
        next[b.to].push_back(b.from);
    }
    constexpr int kUnreached = -1;
    std::vector<int> depth(n, kUnreached);
    std::vector<std::vector<std::uint32_t>> children(n);
    std::deque<std::uint32_t> queue;
    if (root < n) {
        depth[root] = 0;
        queue.push_back(root);
    }
    while (!queue.empty()) {
        const std::uint32_t at = queue.front();
        queue.pop_front();
        for (const std::uint32_t to : next[at])
            if (depth[to] == kUnreached) {
                depth[to] = depth[at] + 1;
                children[at].push_back(to);
                queue.push_back(to);
            }
    }
    float leaves = 0.f;
    std::vector<float> row(n, 0.f);
    const std::function<void(std::uint32_t)> place = [&](std::uint32_t bus) {
        if (children[bus].empty()) {
            row[bus] = leaves++;
            return;
        }
        float sum = 0.f;
        for (const std::uint32_t c : children[bus]) {
            place(c);
            sum += row[c];
        }
        row[bus] = sum / static_cast<float>(children[bus].size());
    };
    if (root < n) place(root);
    for (std::size_t b = 0; b < n; ++b)
        if (depth[b] == kUnreached) {
            depth[b] = 0;
            row[b] = leaves++;
        }
    const int deepest = std::max(1, *std::max_element(depth.begin(), depth.end()));
    const float rows = std::max(1.f, leaves - 1.f);
    for (std::size_t b = 0; b < n; ++b) {
        map.buses[b].x = static_cast<float>(depth[b]) / static_cast<float>(deepest);
        map.buses[b].y = row[b] / rows;
    }
}

}  // namespace

std::optional<double> FeederMap::voltage_at(std::size_t bus, int phase, Time t) const {
    if (bus >= buses.size() || phase < 1 || phase > 3) return std::nullopt;
    const auto& series = buses[bus].phases[static_cast<std::size_t>(phase - 1)];
    const auto after =
        std::upper_bound(series.begin(), series.end(), t,
                         [](Time at, const std::pair<Time, double>& row) { return at < row.first; });
    if (after == series.begin()) return std::nullopt;
    return std::prev(after)->second;
}

std::optional<std::pair<double, double>> FeederMap::range_at(std::size_t bus, Time t) const {
    std::optional<std::pair<double, double>> range;
    for (int phase = 1; phase <= 3; ++phase)
        if (const auto v = voltage_at(bus, phase, t))
            range = range ? std::pair{std::min(range->first, *v), std::max(range->second, *v)}
                          : std::pair{*v, *v};
    return range;
}

std::optional<FeederMap> feeder_map(const RunReader& reader, RunId run) {
    const std::optional<RecordedFeeder> recorded = reader.feeder(run);
    if (!recorded) return std::nullopt;
    FeederMap map;
    map.name = recorded->name;
    for (const RecordedFeederBus& b : recorded->buses) {
        FeederMap::Bus bus;
        bus.name = b.name;
        bus.v_min_pu = b.v_min_pu;
        bus.v_max_pu = b.v_max_pu;
        map.buses.push_back(std::move(bus));
    }
    for (const std::uint32_t s : recorded->site_buses)
        if (s < map.buses.size()) map.buses[s].site = true;
    for (const RecordedFeederBranch& b : recorded->branches)
        map.branches.push_back({b.from_bus, b.to_bus, b.transformer});
    for (const BusVoltageRow& r : reader.bus_voltages(run))
        if (r.bus < map.buses.size() && r.phase >= 1 && r.phase <= 3)
            map.buses[r.bus].phases[static_cast<std::size_t>(r.phase - 1)].emplace_back(r.t, r.v_pu);
    lay_out(map, recorded->source_bus);
    return map;
}

VoltageState voltage_state(const FeederMap::Bus& bus, std::pair<double, double> range) {
    if (range.first < bus.v_min_pu) return VoltageState::low;
    if (range.second > bus.v_max_pu) return VoltageState::high;
    return VoltageState::within;
}

}  // namespace evtwin::viewer
