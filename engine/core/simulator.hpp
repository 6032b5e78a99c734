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

    RunSummary run(const RunInfo& info, const SimulationOptions& options = {});

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace evtwin
