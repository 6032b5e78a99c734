#pragma once
// Evaluation of a policy's deterministic action on held-out seeds: one full episode per seed.
#include "plugins/rl/policy.hpp"

#include <evtwin/rl/env.hpp>

#include <cstdint>
#include <vector>

namespace evtwin::rl {

struct Evaluation {
    double reward = 0.0;         // mean episode reward
    double cost = 0.0;           // mean energy cost (import minus export) plus demand charge per episode
    double delivered_pct = 0.0;  // 100 x delivered / requested energy, over all seeds' sessions
};

Evaluation evaluate(Policy& policy, const Scenario& scenario, const EnvConfig& config,
                    const std::vector<std::uint64_t>& seeds);

}  // namespace evtwin::rl
