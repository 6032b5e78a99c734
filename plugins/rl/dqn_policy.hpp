#pragma once
// DQN's policy (LibTorch; included by dqn_policy.cpp and dqn.cpp only): the online Q-network with
// one head of `levels` rate levels per action entry, the observation normaliser, and the
// deterministic action, each head's best level. The learner (dqn.cpp) trains them in place.
#include "plugins/rl/normaliser.hpp"
#include "plugins/rl/torch_common.hpp"

#include <cstdint>
#include <vector>

namespace evtwin::rl {

struct QNetImpl : torch::nn::Module {
    QNetImpl(std::int64_t obs, std::int64_t act, std::int64_t levels,
             const std::vector<std::int64_t>& hidden);
    // [N, observation] -> [N, action, levels]
    torch::Tensor forward(const torch::Tensor& x);
    torch::nn::Sequential body{nullptr};
    std::int64_t act_, levels_;
};
TORCH_MODULE(QNet);

class DqnPolicy final : public Policy {
public:
    // The network of the options' shape (levels, hidden, layers), initialised after seeding
    // LibTorch with `seed`; option `threads` sets LibTorch's. Throws std::invalid_argument for a bad
    // option.
    DqnPolicy(const ObsLayout& layout, const Options& options, std::uint64_t seed);

    std::string algo() const override { return "dqn"; }
    const ObsLayout& layout() const override { return layout_; }
    void act(std::span<const float> obs, std::span<float> action) override;

    // Reads the header's normaliser and the online network from `bytes`, and returns the archive,
    // whose other entries (the target network, the optimiser, the replay buffer) are the learner's.
    // Throws PolicyFileError.
    torch::serialize::InputArchive load(const std::filesystem::path& file, const nlohmann::json& header,
                                        const std::string& bytes);

    long levels() const { return levels_; }
    // A level's value in policy space: the levels spread evenly over [-1, 1].
    float level_value(std::uint8_t level) const {
        return -1.0f + 2.0f * static_cast<float>(level) / static_cast<float>(levels_ - 1);
    }
    // A fresh network of the same shape (the learner's target network).
    QNet new_network() const;

    QNet& net() { return online_; }
    const QNet& net() const { return online_; }
    Normaliser& normaliser() { return norm_; }
    const Normaliser& normaliser() const { return norm_; }

private:
    ObsLayout layout_;
    long levels_;
    std::vector<std::int64_t> hidden_;
    Normaliser norm_;
    QNet online_{nullptr};
};

}  // namespace evtwin::rl
