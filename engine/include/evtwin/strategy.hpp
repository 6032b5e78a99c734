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

class Strategy {
public:
    virtual ~Strategy() = default;
    // `out.connector_kw` arrives sized to the connectors and filled with zeros, `out.ess_kw` 0,
    // `out.expected_cost` NaN and `out.events` empty.
    virtual void decide(const Observation& obs, Decision& out) = 0;
    // Asked once, before the run starts.
    virtual Foresight foresight() const { return {}; }
};

}  // namespace evtwin
