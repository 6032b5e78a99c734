#include "plugins/rl/env_pool.hpp"

#include <stdexcept>

namespace evtwin::rl {

EnvPool::EnvPool(std::size_t n, const Scenario& scenario, const EnvConfig& config, std::uint64_t base_seed)
    : base_seed_(base_seed) {
    if (n == 0) throw std::invalid_argument("EnvPool: at least one environment");
    for (std::size_t i = 0; i < n; ++i) envs_.push_back(std::make_unique<Env>(scenario, config));
    episode_.assign(n, 0);
    history_.resize(n);
    running_return_.assign(n, 0.0);
    obs_.resize(n * observation_size());
    rewards_.resize(n);
    dones_.resize(n);
    for (std::size_t i = 0; i < n; ++i) start_episode(i);
}

void EnvPool::start_episode(std::size_t i) {
    const std::size_t d = observation_size();
    envs_[i]->reset(base_seed_ + i + episode_[i] * size(), std::span<float>(obs_).subspan(i * d, d));
    history_[i].clear();
    running_return_[i] = 0.0;
}

void EnvPool::step(std::span<const float> actions) {
    const std::size_t d = observation_size();
    const std::size_t a = action_size();
    if (actions.size() != size() * a) throw std::invalid_argument("EnvPool::step: actions of the wrong size");
    for (std::size_t i = 0; i < size(); ++i) {
        const std::span<const float> act = actions.subspan(i * a, a);
        bool done = false;
        rewards_[i] = envs_[i]->step(act, std::span<float>(obs_).subspan(i * d, d), done);
        dones_[i] = done ? 1 : 0;
        running_return_[i] += rewards_[i];
        history_[i].insert(history_[i].end(), act.begin(), act.end());
        ++env_steps_;
        if (done) {
            finished_returns_.push_back(running_return_[i]);
            ++episode_[i];
            start_episode(i);
        }
    }
}

std::vector<double> EnvPool::take_finished_returns() {
    return std::exchange(finished_returns_, {});
}

nlohmann::json EnvPool::state() const {
    return {{"base_seed", base_seed_},
            {"episode", episode_},
            {"history", history_},
            {"running_return", running_return_},
            {"finished_returns", finished_returns_},
            {"env_steps", env_steps_}};
}

void EnvPool::restore(const nlohmann::json& s) {
    std::vector<std::uint64_t> episode;
    std::vector<std::vector<float>> history;
    std::vector<double> running;
    try {
        if (s.at("base_seed").get<std::uint64_t>() != base_seed_)
            throw std::invalid_argument("the checkpoint's environments run other seeds (--seed differs)");
        episode = s.at("episode").get<std::vector<std::uint64_t>>();
        history = s.at("history").get<std::vector<std::vector<float>>>();
        running = s.at("running_return").get<std::vector<double>>();
        finished_returns_ = s.at("finished_returns").get<std::vector<double>>();
        env_steps_ = s.at("env_steps").get<std::uint64_t>();
    } catch (const nlohmann::json::exception& e) {
        throw std::invalid_argument(std::string("environment state: ") + e.what());
    }
    if (episode.size() != size() || history.size() != size() || running.size() != size())
        throw std::invalid_argument("the checkpoint has " + std::to_string(episode.size()) +
                                    " environments, this run " + std::to_string(size()) +
                                    " (--envs differs)");
    const std::size_t d = observation_size();
    const std::size_t a = action_size();
    std::vector<float> scratch(d);
    for (std::size_t i = 0; i < size(); ++i) {
        if (history[i].size() % a != 0)
            throw std::invalid_argument("environment state: actions of the wrong size");
        episode_[i] = episode[i];
        start_episode(i);
        for (std::size_t k = 0; k < history[i].size(); k += a) {
            bool done = false;
            envs_[i]->step(std::span<const float>(history[i]).subspan(k, a),
                           std::span<float>(obs_).subspan(i * d, d), done);
            if (done)
                throw std::invalid_argument(
                    "environment state: the replayed episode ended early (other scenario?)");
        }
        history_[i] = std::move(history[i]);
        running_return_[i] = running[i];
    }
}

}  // namespace evtwin::rl
