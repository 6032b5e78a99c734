#pragma once
// DQN's replay buffer: a ring of transitions (raw observation, level index per action entry,
// reward, next observation, done) in flat arrays; normalisation happens when a batch is drawn, so
// stored transitions stay valid as the normaliser moves.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace evtwin::rl {

class ReplayBuffer {
public:
    ReplayBuffer(std::size_t capacity, std::size_t obs_size, std::size_t action_size);

    void add(std::span<const float> obs, std::span<const std::uint8_t> levels, float reward,
             std::span<const float> next_obs, bool done);
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return capacity_; }
    std::size_t position() const { return pos_; }
    std::size_t obs_size() const { return d_; }
    std::size_t action_size() const { return a_; }

    // Row i of each array (i < size()).
    std::span<const float> obs(std::size_t i) const { return {obs_.data() + i * d_, d_}; }
    std::span<const float> next_obs(std::size_t i) const { return {next_.data() + i * d_, d_}; }
    std::span<const std::uint8_t> levels(std::size_t i) const { return {levels_.data() + i * a_, a_}; }
    float reward(std::size_t i) const { return rewards_[i]; }
    bool done(std::size_t i) const { return dones_[i] != 0; }

    // The whole contents, for checkpoints; restore() takes them back (sizes checked).
    std::vector<float>& obs_data() { return obs_; }
    std::vector<float>& next_data() { return next_; }
    std::vector<std::uint8_t>& level_data() { return levels_; }
    std::vector<float>& reward_data() { return rewards_; }
    std::vector<std::uint8_t>& done_data() { return dones_; }
    void set_cursor(std::size_t size, std::size_t pos);

private:
    std::size_t capacity_, d_, a_;
    std::size_t size_ = 0;
    std::size_t pos_ = 0;
    std::vector<float> obs_, next_;
    std::vector<std::uint8_t> levels_;
    std::vector<float> rewards_;
    std::vector<std::uint8_t> dones_;
};

}  // namespace evtwin::rl
