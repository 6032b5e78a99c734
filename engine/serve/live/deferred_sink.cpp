#include "serve/live/deferred_sink.hpp"

#include <string>

namespace evtwin::serve {

std::vector<DeferredSink::Call> DeferredSink::take() {
    std::vector<Call> calls;
    calls.swap(calls_);
    return calls;
}

void DeferredSink::pass_on(const std::vector<Call>& calls, RunSink& out) {
    for (const Call& call : calls) call(out);
}

void DeferredSink::begin_run(const RunInfo& info, const ScenarioSpec& spec) {
    calls_.emplace_back([info, &spec](RunSink& out) { out.begin_run(info, spec); });
}

void DeferredSink::site_sample(Time t, const SiteSample& s) {
    calls_.emplace_back([t, s](RunSink& out) { out.site_sample(t, s); });
}

void DeferredSink::node_sample(Time t, NodeIndex node, double flow_kw) {
    calls_.emplace_back([=](RunSink& out) { out.node_sample(t, node, flow_kw); });
}

void DeferredSink::ess_sample(Time t, std::uint32_t ess, double grid_kw, double soc) {
    calls_.emplace_back([=](RunSink& out) { out.ess_sample(t, ess, grid_kw, soc); });
}

void DeferredSink::connector_sample(Time t, ConnectorIndex c, double grid_kw, double soc, PilotState state) {
    calls_.emplace_back([=](RunSink& out) { out.connector_sample(t, c, grid_kw, soc, state); });
}

void DeferredSink::session_end(const SessionRecord& r) {
    calls_.emplace_back([r](RunSink& out) { out.session_end(r); });
}

void DeferredSink::event(Time t, EventKind kind, ConnectorIndex c, SessionId session,
                         std::string_view detail) {
    calls_.emplace_back(
        [=, text = std::string(detail)](RunSink& out) { out.event(t, kind, c, session, text); });
}

void DeferredSink::violation(Time t, const Violation& v) {
    calls_.emplace_back([t, v](RunSink& out) { out.violation(t, v); });
}

void DeferredSink::decision_time(Time t, double seconds) {
    calls_.emplace_back([=](RunSink& out) { out.decision_time(t, seconds); });
}

void DeferredSink::battery_health(const BatteryUsage& u) {
    calls_.emplace_back([u](RunSink& out) { out.battery_health(u); });
}

void DeferredSink::bus_voltage(Time t, std::uint32_t bus, int phase, double v_pu) {
    calls_.emplace_back([=](RunSink& out) { out.bus_voltage(t, bus, phase, v_pu); });
}

void DeferredSink::branch_loading(Time t, std::uint32_t branch, double loading) {
    calls_.emplace_back([=](RunSink& out) { out.branch_loading(t, branch, loading); });
}

void DeferredSink::feeder_sample(Time t, const FeederSample& s) {
    calls_.emplace_back([t, s](RunSink& out) { out.feeder_sample(t, s); });
}

void DeferredSink::feeder_violation(Time t, const FeederViolation& v) {
    calls_.emplace_back([t, v](RunSink& out) { out.feeder_violation(t, v); });
}

void DeferredSink::flush() {
    calls_.emplace_back([](RunSink& out) { out.flush(); });
}

void DeferredSink::end_run(Time end, bool interrupted) {
    calls_.emplace_back([=](RunSink& out) { out.end_run(end, interrupted); });
}

}  // namespace evtwin::serve
