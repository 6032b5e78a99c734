#pragma once
// EV2Gym's distribution networks (its data/network_data/node_N folders): a nodes file
// (NODES, Tb, and optionally PD, QD, Pct, Ict, Zct) and a lines file (FROM, TO, R, X, B, STATUS,
// TAP), as EV2Gym's power flow reads them: a balanced network given per phase, R and X in ohms, B
// in siemens (half at each end), PD and QD in kW and kvar, and no voltage in the files (EV2Gym
// takes 11 kV unless told). Read as a three-phase network whose phases are uncoupled copies of the
// per-phase data: each line's impedance is R + jX on each phase; each node's load is PD + jQD in
// all, wye, split into its constant power, current and impedance shares (Pct, Ict, Zct); the Tb = 1
// node is the source. At line-to-line `kv` this gives the per-unit voltages EV2Gym's own solution
// gives at base voltage `kv` and the load's base power (docs/grid.md, "EV2Gym's networks").
#include "grid/network.hpp"

#include <filesystem>
#include <string_view>

namespace evtwin {

struct Ev2gymBase {
    double kv = 11.0;       // line to line; EV2Gym's default base voltage
    double per_unit = 1.0;  // the source's voltage
    double frequency_hz = 50.0;
    double normal_amps = 400.0;  // the files rate no line: each is compared with this (OpenDSS's default)
};

// Bad input is a DataError naming the file, the line and the column: a missing column, a node
// twice, a line to an unknown node, not exactly one source node, shares that do not add up to 1,
// a tap other than 1 (EV2Gym's files have none), a line without impedance.
grid::Network read_ev2gym_feeder(const std::filesystem::path& nodes, const std::filesystem::path& lines,
                                 const Ev2gymBase& base);
// The same from the two files' text; the paths name them in messages.
grid::Network parse_ev2gym_feeder(const std::filesystem::path& nodes, std::string_view nodes_text,
                                  const std::filesystem::path& lines, std::string_view lines_text,
                                  const Ev2gymBase& base);

}  // namespace evtwin
