#pragma once
// The safety layer (docs/rl.md, "Safety layer" and "Site import cap"), as the codec's decoder
// applies it: each session's action ratio onto its safe range, the site cap held by shedding
// flexible power, then every node's import limit held without cutting a session below its safe
// minimum, and the setpoints put onto what each charger can hold. safe_range() itself is public
// (evtwin/rl/layout.hpp).
#include <evtwin/decision.hpp>
#include <evtwin/observation.hpp>
#include <evtwin/rl/layout.hpp>

#include <span>

namespace evtwin {

// Power differences below this are rounding, not overloads: the power flow's kPowerTolerance
// (model/power_flow.hpp, below no public library; tests/rl holds the two equal).
inline constexpr double kSafetyPowerTolerance = 1e-6;

// One session's setpoint for an action ratio in [-1, 1] under the laxity layer, in its safe range
// (site_safe_ranges()): r >= 0 -> min + r x (max - min), r < 0 -> r x its discharge_kw where it may
// discharge, else its minimum. With what the later steps shed by: the safe minimum, and the laxity (hours to
// spare at full power before the declared departure).
struct SafeSetpoint {
    double kw = 0.0;
    double floor_kw = 0.0;
    double laxity_h = 0.0;
};
SafeSetpoint safe_setpoint(float ratio, const SafeRange& range, const SessionView& s, Time now);

// The site import cap an action ratio in [0, 1] asks for.
double site_cap_kw(float ratio, const Observation& o, const ObsLayout& layout);

// The import until the next decision that keeps the demand interval in progress at `cap` on average
// (what the bill measures), given what the interval has already imported.
double import_allowance_kw(double cap, const Observation& o);

// Brings the grid import down to `allowance`: the ESS's charging first, then the power above each
// session's safe minimum (`floor_kw`), sessions with the most laxity (`laxity_h`) first, then the
// ESS discharges what it can. Never below a minimum.
void hold_site_cap(double allowance, const Observation& o, std::span<const double> floor_kw,
                   std::span<const double> laxity_h, Decision& d);

// Every node's import limit held by shedding the power above the safe minima (children first),
// then each setpoint onto its charger's allowed setpoints, never below its minimum.
void keep_within_limits(const Observation& o, std::span<const double> floor_kw, Decision& d);

}  // namespace evtwin
