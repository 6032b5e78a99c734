#pragma once
// The observation and action layout of a scenario's site (docs/rl.md).
#include "model/scenario_spec.hpp"

#include <evtwin/rl/layout.hpp>

namespace evtwin {

// A scale <= 0 is derived from the site (docs/rl.md). Throws std::invalid_argument for a
// non-positive departure scale.
ObsLayout make_obs_layout(const ScenarioSpec& site, std::size_t window, double price_scale,
                          double power_scale_kw, Duration departure_scale);

}  // namespace evtwin
