#include "rl/evaluate.hpp"

#include <algorithm>

namespace evtwin::rl {
namespace {

// Counts requested and delivered energy of the sessions that ended.
class SessionTally final : public RunSink {
public:
    double requested = 0.0;
    double delivered = 0.0;
    void session_end(const SessionRecord& r) override {
        requested += r.requested_kwh;
        delivered += std::min(r.delivered_kwh, r.requested_kwh);
    }
    void begin_run(const RunInfo&, const ScenarioSpec&) override {}
    void site_sample(Time, const SiteSample&) override {}
    void node_sample(Time, NodeIndex, double) override {}
    void connector_sample(Time, ConnectorIndex, double, double, PilotState) override {}
    void event(Time, EventKind, ConnectorIndex, SessionId, std::string_view) override {}
    void violation(Time, const Violation&) override {}
    void decision_time(Time, double) override {}
    void end_run(Time, bool) override {}
};

}  // namespace

Evaluation evaluate(Learner& learner, const ScenarioFactory& factory, EnvConfig config,
                    const std::vector<std::uint64_t>& seeds) {
    SessionTally tally;
    config.sink = &tally;
    Env env(factory, config);
    std::vector<float> obs(env.observation_size());
    std::vector<float> action(env.action_size());
    Evaluation e;
    for (std::uint64_t seed : seeds) {
        env.reset(seed, obs);
        bool done = false;
        while (!done) {
            learner.act(obs, action);
            e.reward += env.step(action, obs, done);
            e.cost += env.info().energy_cost + env.info().demand_charge;
        }
    }
    if (!seeds.empty()) {
        e.reward /= static_cast<double>(seeds.size());
        e.cost /= static_cast<double>(seeds.size());
    }
    e.delivered_pct = tally.requested > 0.0 ? 100.0 * tally.delivered / tally.requested : 100.0;
    return e;
}

}  // namespace evtwin::rl
