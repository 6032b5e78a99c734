#pragma once
// The discrete-event simulation of one site under one strategy. The clock jumps from event to event
// (arrivals, departures, control ticks, battery curve edges, profile steps); power is constant in
// between, so energy is integrated exactly. All events of one instant are handled first; then the
// strategy decides if something asked for it (a tick, an arrival, a departure), the engine checks
// the decision against physics and limits, and the new powers are recorded where they changed.
#include "core/run_sink.hpp"
#include "model/scenario_spec.hpp"

#include <evtwin/strategy.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>

namespace evtwin {

struct SimulationOptions {
    const std::atomic<bool>* interrupt = nullptr;  // set (e.g. by SIGINT) to stop at the next instant
    std::function<void(Time now)> progress;        // called every few thousand instants
};

struct RunSummary {
    std::uint64_t events = 0;
    std::uint64_t decisions = 0;
    std::uint64_t violations = 0;
    std::uint64_t sessions_served = 0;
    std::uint64_t sessions_rejected = 0;
    bool interrupted = false;
};

class Simulator {
public:
    // Throws SiteError for a malformed site.
    Simulator(const ScenarioSpec& spec, Strategy& strategy, RunSink& sink);
    ~Simulator();
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    // A simulator stepped from outside (start/advance/apply): no strategy; run() refuses it.
    Simulator(const ScenarioSpec& spec, RunSink& sink);

    // The whole run under the strategy: start(), then advance() and apply() the strategy's decision
    // at every decision point. A simulator runs once.
    RunSummary run(const RunInfo& info, const SimulationOptions& options = {});

    // Stepping, for callers that decide themselves (the reinforcement-learning Env):
    //   start(info); while (advance()) { fill decision() from observation(); apply(decision()); }
    void start(const RunInfo& info, const SimulationOptions& options = {});
    // Runs the events up to the next instant where a decision is needed and builds its observation
    // (true), or to the end of the run, which is then recorded (false).
    bool advance();
    // Valid after advance() returned true, until apply().
    const Observation& observation() const;
    // The decision buffer, sized to the connectors and zeroed by advance(): fill it and apply it.
    Decision& decision();
    // Checks the decision against physics and limits (violations recorded as in run()), then
    // settles the instant. `decision_seconds` is recorded as the decision's wall time.
    void apply(const Decision& decision, double decision_seconds = 0.0);
    // Ends the run now if it has not ended (marked interrupted) and returns its summary.
    RunSummary finish();
    const RunSummary& summary() const;
    Time now() const;  // the current instant
    // Powers drawn now (grid side), after the last settling: what the engine let through.
    std::span<const double> connector_kw() const;
    double ess_kw(std::size_t battery) const;  // battery: an index into ScenarioSpec::ess

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace evtwin
