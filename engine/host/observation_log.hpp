#pragma once
// What a strategy was shown and what it answered, decision by decision: a decorator that passes
// every call on to the strategy it wraps and, after each decision, writes one JSON line with the
// instant, the whole Observation and the Decision (`--observation-log FILE` of `evtwin run` and of
// live `evtwin serve`; docs/strategy-sdk.md). A simulated run's file and a live run's file of the same
// scenario and strategy are the test that a strategy sees one twin
// (tests/interop/twin_equality_test.cpp).
//
// A line: {"t_ms", "time" (ISO 8601, UTC), "observation": {...}, "decision": {...}}; the field names
// are those of the SDK's structs (evtwin/observation.hpp, decision.hpp), times in ms since the epoch
// (`*_ms`), durations in ms, enums as their names, an infinite number as "inf" or "-inf", NaN as
// null. A forecast series is given by its first value (null when empty) and its length; the
// upcoming sessions by their count and ids. Doubles are printed in their shortest exact form, so the
// same run writes the same bytes.
#include <evtwin/strategy.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace evtwin {

// The log's file cannot be created or written.
struct ObservationLogError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The line's "observation" and "decision".
nlohmann::ordered_json observation_json(const Observation& obs);
nlohmann::ordered_json decision_json(const Decision& decision);

class ObservationLog final : public Strategy {
public:
    // Creates (or empties) `file`; throws ObservationLogError naming it when it cannot.
    ObservationLog(Strategy& inner, const std::filesystem::path& file);

    // The Observation is written as it is handed over, the inner strategy decides, and the line is
    // finished with its Decision and flushed, so a run that is killed keeps every decision it made. Throws
    // ObservationLogError when the file cannot be written.
    void decide(const Observation& obs, Decision& out) override;
    Foresight foresight() const override { return inner_.foresight(); }
    // The whole site at every decision, whatever the inner strategy's scope: a subtree's observation
    // would not be comparable with another run's. By the contract of DecisionScope::subtree the
    // decisions are the same; the engine only asks for more of them whole.
    DecisionScope scope() const override { return DecisionScope::site; }

    std::size_t lines() const { return lines_; }

private:
    Strategy& inner_;
    std::filesystem::path file_;
    std::ofstream out_;
    std::size_t lines_ = 0;
};

}  // namespace evtwin
