#include "plugins/rl/evaluate.hpp"

namespace evtwin::rl {

Evaluation evaluate(Policy& policy, const Scenario& scenario, const EnvConfig& config,
                    const std::vector<std::uint64_t>& seeds) {
    Env env(scenario, config);
    std::vector<float> obs(env.observation_size());
    std::vector<float> action(env.action_size());
    Evaluation e;
    double requested = 0.0, served = 0.0;
    for (std::uint64_t seed : seeds) {
        env.reset(seed, obs);
        bool done = false;
        while (!done) {
            policy.act(obs, action);
            e.reward += env.step(action, obs, done);
            e.cost += env.info().energy_cost + env.info().demand_charge;
            requested += env.info().ended_requested_kwh;
            served += env.info().ended_served_kwh;
        }
    }
    if (!seeds.empty()) {
        e.reward /= static_cast<double>(seeds.size());
        e.cost /= static_cast<double>(seeds.size());
    }
    e.delivered_pct = requested > 0.0 ? 100.0 * served / requested : 100.0;
    return e;
}

}  // namespace evtwin::rl
