#pragma once
// A trained policy as a strategy: `--strategy ppo --opt model=model.pt` (or dqn). The Observation
// is encoded with the layout stored in the file (the Env's encoding, evtwin/rl/layout.hpp),
// the network's deterministic action (PPO: the mean; DQN: the argmax) decoded into setpoints.
#include <evtwin/rl/layout.hpp>
#include "plugins/rl/policy.hpp"

#include <evtwin/options.hpp>
#include <evtwin/strategy.hpp>

#include <memory>
#include <string>
#include <vector>

namespace evtwin::rl {

class PolicyStrategy : public Strategy {
public:
    PolicyStrategy(const StrategyOptions& options, const std::string& algo) {
        check_option_keys(options, {"model"});
        const auto it = options.find("model");
        if (it == options.end() || it->second.empty())
            throw StrategyError("option model=FILE (a policy written by `evtwin train --algo " + algo +
                                "`) is required");
        try {
            policy_ = load_policy(it->second, algo);
            codec_ = std::make_unique<ObsCodec>(policy_->layout());
        } catch (const std::exception& e) {
            throw StrategyError(e.what());
        }
        obs_.resize(policy_->layout().observation_size());
        action_.resize(policy_->layout().action_size());
    }

    void decide(const Observation& o, Decision& out) override {
        if (o.connectors.size() != policy_->layout().connectors() ||
            (!policy_->layout().limited_nodes.empty() &&
             o.nodes.size() <= policy_->layout().limited_nodes.back()))
            throw StrategyError(
                "the policy was trained for " + std::to_string(policy_->layout().connectors()) +
                " connectors and " + std::to_string(policy_->layout().limited_nodes.size()) +
                " limited nodes; this site has " + std::to_string(o.connectors.size()) + " connectors");
        codec_->encode(o, obs_);
        policy_->act(obs_, action_);
        codec_->decode(action_, o, out);
    }

private:
    std::unique_ptr<Policy> policy_;
    std::unique_ptr<ObsCodec> codec_;
    std::vector<float> obs_, action_;
};

}  // namespace evtwin::rl
