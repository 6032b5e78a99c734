#pragma once
// Two observation logs (`--observation-log`, host/observation_log.hpp) of the same scenario and
// strategy, one of a simulated run and one of a live run, matched decision by decision and compared
// field by field (tests/interop/twin_equality_test.cpp).
//
// Matching. Both runs decide at the same instants: the simulator at every control-period boundary
// and at each arrival and departure, the live twin on a stepped clock (`--clock step`) once at each
// instant the test stops its clock at, which are the simulated run's. A decision is matched with
// the other run's at the same instant; one without a counterpart, or a second at one instant, is
// unmatched.
//
// Comparing. Sessions are matched by their connector (the two runs number sessions each their own
// way: a simulated session's id maps to one live id through the run, which is checked), a
// connector's `session` index by the connector of the session it names. Strategy events are
// compared by kind. Every other field is compared as the JSON of the two logs holds it, with a
// tolerance by what it is (Tolerances).
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace evtwin::test {

struct LoggedDecision {
    std::int64_t t_ms = 0;
    nlohmann::json observation;
    nlohmann::json decision;
};

// Every line of an observation log; throws std::runtime_error naming the file and line.
std::vector<LoggedDecision> read_observation_log(const std::filesystem::path& file);

struct Tolerances {
    double energy_kwh = 0.0;       // a vehicle's: delivered_kwh, remaining_kwh
    double site_energy_kwh = 0.0;  // the site's: interval_kwh
    double demand_kw = 0.0;        // peak_kw
    double soc = 0.0;              // soc
    double power_kw = 0.0;         // powers that move (a `*_kw` that is not a rating or a limit)
    double cost_relative = 0.0;    // expected_cost: within cost_relative × |simulated| + cost_abs
    double cost_abs = 0.0;
    // Anything else (instants, ratings, limits, prices, efficiencies, health, wear, counts, names):
    // equal up to rounding, |Δ| <= 1e-9 × the larger value.
};

struct FieldDifference {
    std::size_t compared = 0;
    std::size_t differing = 0;
    double max_abs = 0.0;  // the largest |simulated − live| of a numeric field
    std::string first;     // where it first differed, with both values
};

struct TwinComparison {
    std::size_t simulated = 0, live = 0, matched = 0;
    // Decisions of one run without a counterpart in the other.
    std::vector<std::string> unmatched;
    std::map<std::string, FieldDifference> fields;  // by field, e.g. "observation.sessions[].min_soc"

    std::vector<std::string> differing_fields() const;  // one line per field that differs
};

// Compares the two runs' decisions in [from_ms, until_ms).
TwinComparison compare_twins(const std::vector<LoggedDecision>& simulated,
                             const std::vector<LoggedDecision>& live, const Tolerances& tolerances,
                             std::int64_t from_ms, std::int64_t until_ms);

}  // namespace evtwin::test
