#pragma once
// PPO's policy (LibTorch; included by ppo_policy.cpp and ppo.cpp only): the actor-critic networks,
// the observation normaliser and the deterministic action, the Gaussian's mean. The learner
// (ppo.cpp) trains them in place.
#include "plugins/rl/normaliser.hpp"
#include "plugins/rl/torch_common.hpp"

#include <cstdint>
#include <vector>

namespace evtwin::rl {

// The policy's mean. `joint`: one network from the whole observation to every action entry.
// `shared`: one network for every connector, applied to the time, the connector's own features and
// the site's (prices, forecasts, demand, limits), so that what it learns at one charger holds at
// all of them; a second network gives the ESS and site-cap entries from the whole observation.
struct ActorCriticImpl : torch::nn::Module {
    ActorCriticImpl(const ObsLayout& layout, bool shared, const std::vector<std::int64_t>& hidden,
                    double log_std_init);

    // [N, observation] -> [N, action]
    torch::Tensor mean(const torch::Tensor& x);

    static constexpr std::int64_t kOwn = ObsLayout::connector_features;
    std::int64_t connectors;
    torch::nn::Sequential actor{nullptr};
    torch::nn::Sequential per_connector{nullptr};
    torch::nn::Sequential site_actor{nullptr};
    torch::nn::Sequential critic{nullptr};
    torch::Tensor log_std;
};
TORCH_MODULE(ActorCritic);

class PpoPolicy final : public Policy {
public:
    // The networks of the options' shape (hidden, layers, actor, log_std_init), initialised after
    // seeding LibTorch with `seed`; option `threads` sets LibTorch's. Throws std::invalid_argument
    // for a bad option.
    PpoPolicy(const ObsLayout& layout, const Options& options, std::uint64_t seed);

    std::string algo() const override { return "ppo"; }
    const ObsLayout& layout() const override { return layout_; }
    void act(std::span<const float> obs, std::span<float> action) override;

    // Reads the header's normaliser and the networks from `bytes`, and returns the archive, whose
    // other entries (the optimiser's) are the learner's. Throws PolicyFileError.
    torch::serialize::InputArchive load(const std::filesystem::path& file, const nlohmann::json& header,
                                        const std::string& bytes);

    ActorCritic& net() { return net_; }
    const ActorCritic& net() const { return net_; }
    Normaliser& normaliser() { return norm_; }
    const Normaliser& normaliser() const { return norm_; }

private:
    ObsLayout layout_;
    Normaliser norm_;
    ActorCritic net_{nullptr};
};

}  // namespace evtwin::rl
