#pragma once
// The environments a learner collects from: N Envs stepped together into contiguous buffers, reset
// as soon as an episode ends (environment i's k-th episode runs seed base_seed + i + k*N, as in
// VecEnv). Unlike VecEnv it can save and restore its state exactly: it keeps the actions of each
// episode in progress, and restoring replays them on the episode's seed (the simulation is
// deterministic), so a resumed training run continues from the very same states.
#include <evtwin/rl/env.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace evtwin::rl {

class EnvPool {
public:
    EnvPool(std::size_t n, const Scenario& scenario, const EnvConfig& config, std::uint64_t base_seed);

    std::size_t size() const { return envs_.size(); }
    std::size_t observation_size() const { return envs_.front()->observation_size(); }
    std::size_t action_size() const { return envs_.front()->action_size(); }
    const ObsLayout& layout() const { return envs_.front()->layout(); }

    // `actions`: size() x action_size(). Fills rewards() and dones(); observations() then holds each
    // environment's next observation (a new episode's first where done).
    void step(std::span<const float> actions);
    std::span<const float> observations() const { return obs_; }
    std::span<const float> rewards() const { return rewards_; }
    std::span<const std::uint8_t> dones() const { return dones_; }

    std::uint64_t env_steps() const { return env_steps_; }
    // Sum of rewards of each episode finished since the last call.
    std::vector<double> take_finished_returns();

    nlohmann::json state() const;
    // Throws std::invalid_argument when the state does not fit this pool.
    void restore(const nlohmann::json& state);

private:
    void start_episode(std::size_t i);

    std::vector<std::unique_ptr<Env>> envs_;
    std::uint64_t base_seed_;
    std::vector<std::uint64_t> episode_;       // per environment: index of the episode in progress
    std::vector<std::vector<float>> history_;  // per environment: actions of the episode in progress
    std::vector<double> running_return_;
    std::vector<double> finished_returns_;
    std::vector<float> obs_;
    std::vector<float> rewards_;
    std::vector<std::uint8_t> dones_;
    std::uint64_t env_steps_ = 0;
};

}  // namespace evtwin::rl
