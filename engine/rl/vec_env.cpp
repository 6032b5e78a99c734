#include <evtwin/rl/vec_env.hpp>

#include <stdexcept>

namespace evtwin {

VecEnv::VecEnv(std::size_t n, const Scenario& scenario) : VecEnv(n, scenario, env_config_of(scenario)) {}

VecEnv::VecEnv(std::size_t n, const Scenario& scenario, const EnvConfig& config, Autoreset autoreset)
    : autoreset_(autoreset) {
    if (n == 0) throw std::invalid_argument("VecEnv: needs at least one environment");
    for (std::size_t i = 0; i < n; ++i) envs_.push_back(std::make_unique<Env>(scenario, config));
    obs_.assign(n * observation_size(), 0.0f);
    rewards_.assign(n, 0.0f);
    dones_.assign(n, 0);
    resets_.assign(n, 0);
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
        resets_[i] = 0;
    }
}

void VecEnv::start_next_episode(std::size_t i) {
    const std::size_t d = observation_size();
    ++episode_[i];
    envs_[i]->reset(base_seed_ + i + episode_[i] * envs_.size(), std::span<float>(obs_).subspan(i * d, d));
}

void VecEnv::step(std::span<const float> actions) {
    const std::size_t n = envs_.size();
    const std::size_t a = action_size();
    const std::size_t d = observation_size();
    if (actions.size() != n * a)
        throw std::invalid_argument("VecEnv::step: expected " + std::to_string(n * a) + " actions, got " +
                                    std::to_string(actions.size()));
    for (std::size_t i = 0; i < n; ++i) {
        resets_[i] = 0;
        if (autoreset_ == Autoreset::next_step && envs_[i]->done()) {
            start_next_episode(i);
            rewards_[i] = 0.0f;
            dones_[i] = 0;
            resets_[i] = 1;
            continue;
        }
        bool done = false;
        rewards_[i] =
            envs_[i]->step(actions.subspan(i * a, a), std::span<float>(obs_).subspan(i * d, d), done);
        dones_[i] = done ? 1 : 0;
        if (!done) continue;
        ++finished_;
        if (autoreset_ == Autoreset::same_step) start_next_episode(i);
    }
}

}  // namespace evtwin
