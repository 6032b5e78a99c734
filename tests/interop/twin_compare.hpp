#pragma once
// Two observation logs (`--observation-log`, host/observation_log.hpp) of the same scenario and
// strategy, one of a simulated run and one of a live run, matched decision by decision and compared
// field by field (tests/interop/twin_equality_test.cpp).
//
// Matching. A simulated run decides at every control-period boundary and at each arrival and
// departure. The live twin decides at the first instant at or after each boundary on its own
// clock (its run starts when the server does), and when a charge point reports a transaction's
// start or end or a vehicle declares its needs: an arrival over OCPP 2.0.1 is one or two decisions
// (TransactionEvent Started, then NotifyEVChargingNeeds). So a periodic decision of the simulation
// is matched with the live decision of the same period's boundary, and a decision at an arrival or
// departure with the last live decision of the burst (decisions within `burst_ms` of its first)
// that saw the same vehicles come or go on the same connectors. The live decisions before `from_ms`
// (before the charge points are connected) are not compared.
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
#include <optional>
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
    std::int64_t time_ms = 0;      // instants (`*_ms`, durations excepted)
    std::int64_t burst_ms = 0;     // live decisions this close to the first of a burst are one event's
    double energy_kwh = 0.0;       // a vehicle's: delivered_kwh, remaining_kwh
    double site_energy_kwh = 0.0;  // the site's: interval_kwh
    double demand_kw = 0.0;        // peak_kw
    double soc = 0.0;              // soc
    double power_kw = 0.0;         // powers that move (a `*_kw` that is not a rating or a limit)
    double cost_relative = 0.0;    // expected_cost: within cost_relative × |simulated| + cost_abs
    double cost_abs = 0.0;
    // Anything else (ratings, limits, prices, efficiencies, health, wear, counts, names): equal up to
    // rounding, |Δ| <= 1e-9 × the larger value.
};

struct FieldDifference {
    std::size_t compared = 0;
    std::size_t differing = 0;
    double max_abs = 0.0;  // the largest |simulated − live| of a numeric field
    std::string first;     // where it first differed, with both values
};

struct TwinComparison {
    std::size_t simulated = 0, live = 0, matched = 0;
    // Simulated decisions with no live counterpart, and live decisions at a vehicle's coming or
    // going that the simulation did not have.
    std::vector<std::string> unmatched;
    // Live decisions the simulation has no counterpart of by design: the first of an arrival's two,
    // those after the simulated run's last instant.
    std::vector<std::string> notes;
    std::map<std::string, FieldDifference> fields;  // by field, e.g. "observation.sessions[].min_soc"
    // The simulated instant of the first decision the two runs answered differently, if any.
    std::optional<std::int64_t> first_decision_difference_ms;

    std::vector<std::string> differing_fields() const;  // one line per field that differs
};

// Compares the simulated run's decisions in [from_ms, until_ms).
TwinComparison compare_twins(const std::vector<LoggedDecision>& simulated,
                             const std::vector<LoggedDecision>& live, const Tolerances& tolerances,
                             std::int64_t from_ms, std::int64_t until_ms);

}  // namespace evtwin::test
