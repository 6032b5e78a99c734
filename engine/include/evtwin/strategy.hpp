#pragma once
// The interface a charging strategy implements. A strategy sees an Observation and fills a Decision;
// it never touches engine objects. The engine checks every decision against the physics and the
// site limits, and records what it had to clip as a violation.
#include <evtwin/decision.hpp>
#include <evtwin/observation.hpp>

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

class Strategy {
public:
    virtual ~Strategy() = default;
    // `out.connector_kw` arrives sized to the connectors and filled with zeros.
    virtual void decide(const Observation& obs, Decision& out) = 0;
};

}  // namespace evtwin
