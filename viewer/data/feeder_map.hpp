#pragma once
// The run's distribution feeder as the Feeder tab draws it (docs/viewer.md): its buses laid out as a
// tree from the substation, its branches, and each bus-phase's recorded voltage over time, so that a
// bus can be coloured by its voltage at the cursor.
#include "record/reader/run_reader.hpp"

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace evtwin::viewer {

struct FeederMap {
    struct Bus {
        std::string name;
        // The layout, in [0, 1]: x the depth from the substation over the deepest bus's, y the order
        // of the leaves below it (a bus at the mean of its children's).
        float x = 0.f, y = 0.f;
        double v_min_pu = 0.9, v_max_pu = 1.1;
        bool site = false;                                           // a node of the site is attached here
        std::array<std::vector<std::pair<Time, double>>, 3> phases;  // recorded (t, v_pu), by time
    };
    struct Branch {
        std::uint32_t from = 0, to = 0;
        bool transformer = false;
    };
    std::string name;
    std::vector<Bus> buses;
    std::vector<Branch> branches;

    // Phase `phase` (1..3) of bus `bus` as recorded at or before `t`; empty before its first row or
    // where the bus lacks the phase.
    std::optional<double> voltage_at(std::size_t bus, int phase, Time t) const;
    // The lowest and highest of its phases at `t`.
    std::optional<std::pair<double, double>> range_at(std::size_t bus, Time t) const;
};

// The run's feeder; empty for a run without one.
std::optional<FeederMap> feeder_map(const RunReader& reader, RunId run);

enum class VoltageState { low, within, high };
// Where a bus's lowest and highest phase voltages stand against its band (low wins over high).
VoltageState voltage_state(const FeederMap::Bus& bus, std::pair<double, double> range);

}  // namespace evtwin::viewer
