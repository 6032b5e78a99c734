#include "core/vec_env.hpp"

#include <stdexcept>

namespace evtwin {

VecEnv::VecEnv(std::size_t n, const ScenarioFactory& factory)
    : VecEnv(n, factory, factory ? env_config_of(factory(0)) : EnvConfig{}) {}

VecEnv::VecEnv(std::size_t n, const ScenarioFactory& factory, const EnvConfig& config) {
    if (n == 0) throw std::invalid_argument("VecEnv: needs at least one environment");
    for (std::size_t i = 0; i < n; ++i) envs_.push_back(std::make_unique<Env>(factory, config));
    obs_.assign(n * observation_size(), 0.0f);
    rewards_.assign(n, 0.0f);
    dones_.assign(n, 0);
    episode_.assign(n, 0);
}

void VecEnv::reset(std::uint64_t base_seed) {
    base_seed_ = base_seed;
    const std::size_t d = observation_size();
    for (std::size_t i = 0; i < envs_.size(); ++i) {
        episode_[i] = 0;
        envs_[i]->reset(base_seed_ + i, std::span<float>(obs_).subspan(i * d, d));
        rewards_[i] = 0.0f;
        dones_[i] = 0;
    }
}

void VecEnv::step(std::span<const float> actions) {
    const std::size_t n = envs_.size();
    const std::size_t a = action_size();
    const std::size_t d = observation_size();
    if (actions.size() != n * a)
        throw std::invalid_argument("VecEnv::step: expected " + std::to_string(n * a) + " actions, got " +
                                    std::to_string(actions.size()));
    for (std::size_t i = 0; i < n; ++i) {
        const std::span<float> row = std::span<float>(obs_).subspan(i * d, d);
        bool done = false;
        rewards_[i] = envs_[i]->step(actions.subspan(i * a, a), row, done);
        dones_[i] = done ? 1 : 0;
        if (done) {
            ++finished_;
            ++episode_[i];
            envs_[i]->reset(base_seed_ + i + episode_[i] * n, row);
        }
    }
}

}  // namespace evtwin
