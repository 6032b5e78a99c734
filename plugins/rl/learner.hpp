#pragma once
// The learning algorithms behind one torch-free interface, so the trainer, the evaluation and the
// tests never include LibTorch (its headers cost tens of seconds per translation unit). A learner
// trains a policy (policy.hpp) in place and adds what training needs: PPO's optimiser in ppo.cpp,
// DQN's target network, optimiser and replay buffer in dqn.cpp. Options are key=value strings
// (docs/rl.md lists them), read with evtwin/options.hpp.
#include "plugins/rl/env_pool.hpp"
#include "plugins/rl/policy.hpp"

#include <evtwin/options.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>

namespace evtwin::rl {

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

// What one iteration did; losses the algorithm does not have are NaN.
struct IterationStats {
    double policy_loss = kNoValue;  // PPO: clipped surrogate
    double value_loss = kNoValue;   // PPO: value; DQN: TD (Huber) loss
    double entropy = kNoValue;      // PPO: Gaussian entropy per action
    double epsilon = kNoValue;      // DQN: exploration rate at the end of the iteration
};

class Learner {
public:
    virtual ~Learner() = default;
    // The policy being trained: its algo, its layout and its deterministic action.
    virtual Policy& policy() = 0;
    virtual const Policy& policy() const = 0;
    // Collects from `pool` and updates: PPO one rollout of `n_steps` per environment and its
    // epochs; DQN `n_steps` per environment with its gradient steps.
    virtual IterationStats iterate(EnvPool& pool) = 0;
    // Writes weights, normaliser and optimiser state; with `training`, also what resuming needs
    // beyond them (DQN's replay buffer). `extra` goes into the header as "training".
    virtual void save(const std::filesystem::path& file, const nlohmann::json& extra,
                      bool training) const = 0;
};

// A fresh learner; throws std::invalid_argument for an unknown algo or a bad option.
std::unique_ptr<Learner> make_learner(const std::string& algo, const ObsLayout& layout,
                                      const Options& options, std::uint64_t seed);

struct LoadedLearner {
    std::unique_ptr<Learner> learner;
    nlohmann::json training;  // the header's "training" object (null when absent)
};

// Loads a policy or checkpoint file. `algo` empty: any; else it must match. With `training`, the
// optimiser and replay state are restored too (resume); without, the weights only (--init).
// Throws PolicyFileError naming the file and what is wrong.
LoadedLearner load_learner(const std::filesystem::path& file, const std::string& algo, bool training,
                           const Options& options = {});

// The most environment steps a step-count option may name (far beyond any training run).
inline constexpr long kMostSteps = 1'000'000'000'000;

// The PPO and DQN makers and loaders (ppo.cpp, dqn.cpp).
std::unique_ptr<Learner> make_ppo(const ObsLayout& layout, const Options& options, std::uint64_t seed);
std::unique_ptr<Learner> make_dqn(const ObsLayout& layout, const Options& options, std::uint64_t seed);
std::unique_ptr<Learner> load_ppo(const std::filesystem::path& file, const nlohmann::json& header,
                                  const std::string& archive, bool training, const Options& options);
std::unique_ptr<Learner> load_dqn(const std::filesystem::path& file, const nlohmann::json& header,
                                  const std::string& archive, bool training, const Options& options);

}  // namespace evtwin::rl
