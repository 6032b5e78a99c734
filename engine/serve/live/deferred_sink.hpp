#pragma once
// A sink that keeps what it is told, to pass it on later in the same order. The live twin reports
// under its lock, which every charge point's answer waits for; what it reported is written into the
// run's database outside that lock (LiveTwin::flush).
#include "core/run_sink.hpp"

#include <functional>
#include <vector>

namespace evtwin::serve {

class DeferredSink final : public RunSink {
public:
    using Call = std::function<void(RunSink&)>;

    // What was kept since the last take, in order; the sink keeps nothing after.
    std::vector<Call> take();
    // Tells `out` each of `calls`, in order.
    static void pass_on(const std::vector<Call>& calls, RunSink& out);

    void begin_run(const RunInfo& info, const ScenarioSpec& spec) override;
    void site_sample(Time t, const SiteSample& s) override;
    void node_sample(Time t, NodeIndex node, double flow_kw) override;
    void ess_sample(Time t, std::uint32_t ess, double grid_kw, double soc) override;
    void connector_sample(Time t, ConnectorIndex c, double grid_kw, double soc, PilotState state) override;
    void session_end(const SessionRecord& r) override;
    void event(Time t, EventKind kind, ConnectorIndex c, SessionId session, std::string_view detail) override;
    void violation(Time t, const Violation& v) override;
    void decision_time(Time t, double seconds) override;
    void battery_health(const BatteryUsage& u) override;
    void bus_voltage(Time t, std::uint32_t bus, int phase, double v_pu) override;
    void branch_loading(Time t, std::uint32_t branch, double loading) override;
    void feeder_sample(Time t, const FeederSample& s) override;
    void feeder_violation(Time t, const FeederViolation& v) override;
    void flush() override;
    void end_run(Time end, bool interrupted) override;

private:
    std::vector<Call> calls_;
};

}  // namespace evtwin::serve
