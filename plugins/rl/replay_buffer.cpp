#include "plugins/rl/replay_buffer.hpp"

#include <algorithm>
#include <stdexcept>

namespace evtwin::rl {

ReplayBuffer::ReplayBuffer(std::size_t capacity, std::size_t obs_size, std::size_t action_size)
    : capacity_(capacity),
      d_(obs_size),
      a_(action_size),
      obs_(capacity * obs_size),
      next_(capacity * obs_size),
      levels_(capacity * action_size),
      rewards_(capacity),
      dones_(capacity) {
    if (capacity == 0) throw std::invalid_argument("ReplayBuffer: capacity must be positive");
}

void ReplayBuffer::add(std::span<const float> obs, std::span<const std::uint8_t> levels, float reward,
                       std::span<const float> next_obs, bool done) {
    if (obs.size() != d_ || next_obs.size() != d_ || levels.size() != a_)
        throw std::invalid_argument("ReplayBuffer::add: transition of the wrong size");
    std::copy(obs.begin(), obs.end(), obs_.begin() + pos_ * d_);
    std::copy(next_obs.begin(), next_obs.end(), next_.begin() + pos_ * d_);
    std::copy(levels.begin(), levels.end(), levels_.begin() + pos_ * a_);
    rewards_[pos_] = reward;
    dones_[pos_] = done ? 1 : 0;
    pos_ = (pos_ + 1) % capacity_;
    size_ = std::min(size_ + 1, capacity_);
}

void ReplayBuffer::set_cursor(std::size_t size, std::size_t pos) {
    if (size > capacity_ || pos >= capacity_ || obs_.size() != capacity_ * d_ ||
        next_.size() != capacity_ * d_ || levels_.size() != capacity_ * a_ || rewards_.size() != capacity_ ||
        dones_.size() != capacity_)
        throw std::invalid_argument("ReplayBuffer: restored contents of the wrong size");
    size_ = size;
    pos_ = pos;
}

}  // namespace evtwin::rl
