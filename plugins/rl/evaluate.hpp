#pragma once
// Evaluation of a learner's deterministic policy on held-out seeds: one full episode per seed.
#include "plugins/rl/learner.hpp"

#include <evtwin/rl/env.hpp>

#include <cstdint>
#include <vector>

namespace evtwin::rl {

struct Evaluation {
    double reward = 0.0;         // mean episode reward
    double cost = 0.0;           // mean energy cost (import minus export) plus demand charge per episode
    double delivered_pct = 0.0;  // 100 x delivered / requested energy, over all seeds' sessions
};

Evaluation evaluate(Learner& learner, const Scenario& scenario, const EnvConfig& config,
                    const std::vector<std::uint64_t>& seeds);

}  // namespace evtwin::rl
