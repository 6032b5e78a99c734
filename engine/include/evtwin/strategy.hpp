#pragma once
// The interface a charging strategy implements. A strategy sees an Observation and fills a Decision;
// it never touches engine objects. The engine checks every decision against the physics and the
// site limits, and records what it had to clip as a violation.
#include <evtwin/decision.hpp>
#include <evtwin/observation.hpp>

#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

namespace evtwin {

// Options given on the command line (--opt key=value) or by the scenario.
using StrategyOptions = std::map<std::string, std::string>;

// Thrown by a strategy whose options are wrong; the host reports it and exits non-zero.
struct StrategyError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// How far ahead a strategy sees the vehicles to come (Observation::upcoming) and the forecast. The
// engine shows it what the run's data says, so any horizon is perfect foresight, recorded as such.
struct Foresight {
    Duration horizon;  // zero: none (the default)
    static constexpr Duration whole_run() { return Duration(std::numeric_limits<std::int64_t>::max()); }
};

// What a decision depends on, which lets the engine ask for less than the whole site's.
enum class DecisionScope {
    site,  // anything in the observation: every decision is of the whole site (the default)
    // A greedy grant, vehicle by vehicle: the setpoint of each connector depends only on its
    // charger, on its session's connector, arrival, declared departure, max_charge_kw and
    // max_discharge_kw (and on remaining_kwh only as far as max_charge_kw already does), and on the
    // room the grants before it left at the nodes above it, where a room of at least the charger's
    // max_kw counts as unlimited; no ESS setpoint, no foresight, and nothing read of the time,
    // prices, forecasts or the previous decision. When a vehicle comes, goes or changes what it
    // takes, and no node above some subtree limits a grant before or after, the decision of that
    // subtree alone (an observation whose nodes are the subtree, its top node the root, every index
    // renumbered) is the site's decision there, and every other connector keeps its setpoint. The
    // engine of an event-mode run then asks only for such decisions, a full one at every control
    // tick and after anything else changed (PV, loads, limits, faults, a clipped power).
    subtree,
};

class Strategy {
public:
    virtual ~Strategy() = default;
    // `out.connector_kw` arrives sized to the connectors and `out.ess_kw` to the batteries, both
    // filled with zeros, `out.expected_cost` NaN and `out.events` empty.
    virtual void decide(const Observation& obs, Decision& out) = 0;
    // Asked once, before the run starts.
    virtual Foresight foresight() const { return {}; }
    // Asked once, before the run starts.
    virtual DecisionScope scope() const { return DecisionScope::site; }
};

}  // namespace evtwin
