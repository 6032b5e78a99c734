#pragma once
// The training loop behind `evtwin train`: iterations of a learner on an EnvPool, evaluation of the
// deterministic policy on held-out seeds, checkpoints (resumable exactly), the learning curve, the
// final policy file. Torch-free: the algorithms are behind plugins/rl/learner.hpp.
#include "plugins/rl/learner.hpp"

#include <evtwin/rl/env.hpp>
#include <evtwin/scenario.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::rl {

struct TrainRequest {
    std::string algo;           // ppo | dqn
    std::string scenario_name;  // for the curve and the header
    std::uint64_t steps = 0;    // environment steps in all (all environments together)
    std::filesystem::path out;  // the final policy
    std::uint64_t seed = 1;
    std::size_t envs = 4;
    std::uint64_t eval_every = 0;  // 0: steps / 10
    std::vector<std::uint64_t> eval_seeds = {1, 2, 3};
    std::uint64_t checkpoint_every = 0;  // 0: as eval_every
    std::filesystem::path checkpoint;    // empty: OUT.ckpt
    std::optional<std::filesystem::path> resume;
    std::optional<std::filesystem::path> init;
    std::optional<std::filesystem::path> db;
    Options options;  // environment keys (docs/rl.md) and algorithm keys
    bool progress = true;
    bool quiet = false;
};

struct TrainResult {
    std::uint64_t steps = 0;
    double wall_s = 0.0;
    bool interrupted = false;
    double first_eval_reward = kNoValue, last_eval_reward = kNoValue;
};

// Training seeds are 1'000'000 x (seed + 1) + i + k x envs: never the small held-out seeds.
std::uint64_t training_base_seed(std::uint64_t seed);

// Trains on `scenario`'s runs (one episode per seed). Throws std::invalid_argument (bad option,
// layout mismatch), PolicyFileError, and what drawing a run throws. `stop` set (Ctrl-C): a
// checkpoint is written and it returns early.
TrainResult train(const Scenario& scenario, const TrainRequest& request, const std::atomic<bool>& stop);

}  // namespace evtwin::rl
