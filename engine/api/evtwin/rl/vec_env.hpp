#pragma once
// N environments stepped together into contiguous buffers: observations N x observation_size,
// rewards N, dones N. Environment i's k-th episode runs the scenario's seed base_seed + i + k * N.
// An environment whose episode ends is reset automatically, in one of two ways:
//  - same_step: at once; its row of observations is the new episode's first, and its done flag
//    says the reward was the last of the old episode;
//  - next_step (Gymnasium's default): its row holds the final observation (all zero) with done set;
//    the next step() resets it instead of stepping it (its action is ignored, its reward 0, done
//    clear), and resets() says which rows were reset.
#include <evtwin/rl/env.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace evtwin {

enum class Autoreset { same_step, next_step };

class VecEnv {
public:
    // Without a config, each Env takes the scenario's rl{} block (as Env(scenario) does).
    VecEnv(std::size_t n, const Scenario& scenario);
    VecEnv(std::size_t n, const Scenario& scenario, const EnvConfig& config,
           Autoreset autoreset = Autoreset::same_step);

    std::size_t size() const { return envs_.size(); }
    std::size_t observation_size() const { return envs_.front()->observation_size(); }
    std::size_t action_size() const { return envs_.front()->action_size(); }
    const ObsLayout& layout() const { return envs_.front()->layout(); }

    // Resets every environment; fills observations().
    void reset(std::uint64_t base_seed);
    // `actions`: N x action_size() floats, row-major. Fills observations(), rewards() and dones().
    void step(std::span<const float> actions);

    std::span<const float> observations() const { return obs_; }
    std::span<const float> rewards() const { return rewards_; }
    std::span<const std::uint8_t> dones() const { return dones_; }
    // next_step: the rows the last step() reset rather than stepped.
    std::span<const std::uint8_t> resets() const { return resets_; }
    Env& env(std::size_t i) { return *envs_[i]; }
    const Env& env(std::size_t i) const { return *envs_[i]; }
    std::uint64_t episodes_finished() const { return finished_; }

private:
    void start_next_episode(std::size_t i);

    std::vector<std::unique_ptr<Env>> envs_;
    Autoreset autoreset_ = Autoreset::same_step;
    std::vector<float> obs_;
    std::vector<float> rewards_;
    std::vector<std::uint8_t> dones_;
    std::vector<std::uint8_t> resets_;
    std::vector<std::uint64_t> episode_;  // per environment: episodes started
    std::uint64_t base_seed_ = 0;
    std::uint64_t finished_ = 0;
};

}  // namespace evtwin
