#pragma once
// N environments stepped together into contiguous buffers: observations N x observation_size,
// rewards N, dones N. An environment whose episode ends is reset at once (auto-reset): its row of
// observations is then the new episode's first, and its done flag says the reward was the last of
// the old episode. Environment i's k-th episode uses seed base_seed + i + k * N.
#include "core/env.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace evtwin {

class VecEnv {
public:
    // Without a config, each Env takes the scenario's rl{} block (as Env(factory) does).
    VecEnv(std::size_t n, const ScenarioFactory& factory);
    VecEnv(std::size_t n, const ScenarioFactory& factory, const EnvConfig& config);

    std::size_t size() const { return envs_.size(); }
    std::size_t observation_size() const { return envs_.front()->observation_size(); }
    std::size_t action_size() const { return envs_.front()->action_size(); }

    // Resets every environment; fills observations().
    void reset(std::uint64_t base_seed);
    // `actions`: N x action_size() floats, row-major. Fills observations(), rewards() and dones().
    void step(std::span<const float> actions);

    std::span<const float> observations() const { return obs_; }
    std::span<const float> rewards() const { return rewards_; }
    std::span<const std::uint8_t> dones() const { return dones_; }
    Env& env(std::size_t i) { return *envs_[i]; }
    std::uint64_t episodes_finished() const { return finished_; }

private:
    std::vector<std::unique_ptr<Env>> envs_;
    std::vector<float> obs_;
    std::vector<float> rewards_;
    std::vector<std::uint8_t> dones_;
    std::vector<std::uint64_t> episode_;  // per environment: episodes started
    std::uint64_t base_seed_ = 0;
    std::uint64_t finished_ = 0;
};

}  // namespace evtwin
