#include "grid/network.hpp"

namespace evtwin::grid {

std::optional<int> Network::find_bus(const std::string& bus_name) const {
    for (std::size_t i = 0; i < buses.size(); ++i)
        if (buses[i].name == bus_name) return static_cast<int>(i);
    return std::nullopt;
}

int Network::bus_named(const std::string& bus_name) {
    if (const auto found = find_bus(bus_name)) return *found;
    buses.push_back(Bus{bus_name});
    return static_cast<int>(buses.size()) - 1;
}

}  // namespace evtwin::grid
