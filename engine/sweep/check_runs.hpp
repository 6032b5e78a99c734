#pragma once
// What `evtwin sweep plan` checks before it writes a campaign: every scenario loads at every
// parameter point, and every strategy is found and accepts its options there. A sweep that cannot
// run fails at once, not a thousand times on a cluster.
#include "sweep/sweep_file.hpp"

#include <filesystem>

namespace evtwin::sweep {

// Throws SweepError naming the sweep file, the first run that cannot start, and why.
void check_runs(const SweepSpec& spec, const std::filesystem::path& data_dir);

}  // namespace evtwin::sweep
