#pragma once
// A RunSink that keeps everything in memory, for tests of the simulator.
#include "core/run_sink.hpp"
#include "core/simulator.hpp"
#include "model/scenario_spec.hpp"

#include <map>
#include <string>
#include <vector>

namespace evtwin::test {

struct ConnectorSample {
    Time t;
    ConnectorIndex connector;
    double kw;
    double soc;
    PilotState state;
    bool operator==(const ConnectorSample&) const = default;
};

struct EssSample {
    Time t;
    std::uint32_t ess;
    double kw;
    double soc;
};

struct RecordedEvent {
    Time t;
    EventKind kind;
    ConnectorIndex connector;
    SessionId session;
    std::string detail;
};

class MemorySink : public RunSink {
public:
    void begin_run(const RunInfo& info, const ScenarioSpec&) override { this->info = info; }
    void site_sample(Time t, const SiteSample& s) override { site.emplace_back(t, s); }
    void node_sample(Time t, NodeIndex node, double kw) override { nodes[node].emplace_back(t, kw); }
    void connector_sample(Time t, ConnectorIndex c, double kw, double soc, PilotState state) override {
        connector_samples.push_back({t, c, kw, soc, state});
    }
    void ess_sample(Time t, std::uint32_t ess, double kw, double soc) override {
        ess_samples.push_back({t, ess, kw, soc});
    }
    void session_end(const SessionRecord& r) override { sessions.push_back(r); }
    void event(Time t, EventKind kind, ConnectorIndex c, SessionId s, std::string_view detail) override {
        events.push_back({t, kind, c, s, std::string(detail)});
    }
    void violation(Time t, const Violation& v) override { violations.emplace_back(t, v); }
    void decision_time(Time, double) override { ++decisions; }
    void battery_health(const BatteryUsage& u) override { batteries.push_back(u); }
    void end_run(Time t, bool was_interrupted) override {
        end = t;
        interrupted = was_interrupted;
    }

    // Energy (kWh) drawn on the grid side by connector c over the run, from its samples.
    double connector_grid_kwh(ConnectorIndex c) const {
        double kwh = 0.0;
        const ConnectorSample* open = nullptr;
        for (const auto& s : connector_samples) {
            if (s.connector != c) continue;
            if (open) kwh += open->kw * (s.t - open->t).hours_f();
            open = &s;
        }
        if (open) kwh += open->kw * (end - open->t).hours_f();
        return kwh;
    }

    RunInfo info;
    std::vector<std::pair<Time, SiteSample>> site;
    std::map<NodeIndex, std::vector<std::pair<Time, double>>> nodes;
    std::vector<ConnectorSample> connector_samples;
    std::vector<EssSample> ess_samples;
    std::vector<SessionRecord> sessions;
    std::vector<BatteryUsage> batteries;
    std::vector<RecordedEvent> events;
    std::vector<std::pair<Time, Violation>> violations;
    int decisions = 0;
    Time end;
    bool interrupted = false;
};

// Runs `spec` with `strategy` into a MemorySink.
inline MemorySink simulate(const ScenarioSpec& spec, Strategy& strategy) {
    MemorySink sink;
    Simulator sim(spec, strategy, sink);
    sim.run(RunInfo{});
    return sink;
}

}  // namespace evtwin::test
