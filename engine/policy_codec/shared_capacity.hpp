#pragma once
// The laxity layer's site-wide part (docs/rl.md, "Safety layer"): the sessions' safe ranges taken
// together under the grid connection's import limit, so that postponing every vehicle to its own
// last moment cannot leave the site more to deliver than the connection can carry.
#include <evtwin/observation.hpp>
#include <evtwin/rl/layout.hpp>

#include <span>

namespace evtwin {

// Each plugged session's safe range (`ranges[i]` for o.sessions[i]): safe_range() of its own, then
// its minimum raised by what cannot be placed in the later periods before its declared departure
// (less `margin`), where the site's spare import (the grid connection's limit less the forecast base
// load and PV) is shared as late as possible, the sessions that still want most first. A V2G
// discharge is bounded by the spare import left to put it back before the vehicle leaves, shared
// in proportion among the sessions that may discharge. Without a finite import limit, safe_range().
void site_safe_ranges(const Observation& o, Duration margin, std::span<SafeRange> ranges);

}  // namespace evtwin
