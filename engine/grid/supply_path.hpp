#pragma once
// The branches that carry a bus's supply from the substation: the lines and transformers on the
// path from the source's bus to it, the source's end first. On a radial feeder it is the only path;
// where the network has loops, the one of fewest branches (the first found). Branches are numbered
// as the power flow's solution and the recorded loadings number them: the lines, then the
// transformers.
#include "grid/network.hpp"

#include <cstddef>
#include <vector>

namespace evtwin::grid {

// Empty for the source's own bus and for a bus the source does not reach.
std::vector<std::size_t> supply_path(const Network& network, int bus);

}  // namespace evtwin::grid
