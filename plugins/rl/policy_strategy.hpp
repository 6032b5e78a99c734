#pragma once
// A trained policy as a strategy: `--strategy ppo --opt model=model.pt` (or dqn). The Observation
// is encoded with the layout stored in the file (the Env's encoding, evtwin/rl/layout.hpp),
// the network's deterministic action (PPO: the mean; DQN: the argmax) decoded into setpoints.
#include <evtwin/rl/layout.hpp>
#include "plugins/rl/learner.hpp"
#include "plugins/rl/policy_file.hpp"

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
            learner_ = load_learner(it->second, algo, false).learner;
            codec_ = std::make_unique<ObsCodec>(learner_->layout());
        } catch (const std::exception& e) {
            throw StrategyError(e.what());
        }
        obs_.resize(learner_->layout().observation_size());
        action_.resize(learner_->layout().action_size());
    }

    void decide(const Observation& o, Decision& out) override {
        if (o.connectors.size() != learner_->layout().connectors() ||
            (!learner_->layout().limited_nodes.empty() &&
             o.nodes.size() <= learner_->layout().limited_nodes.back()))
            throw StrategyError(
                "the policy was trained for " + std::to_string(learner_->layout().connectors()) +
                " connectors and " + std::to_string(learner_->layout().limited_nodes.size()) +
                " limited nodes; this site has " + std::to_string(o.connectors.size()) + " connectors");
        codec_->encode(o, obs_);
        learner_->act(obs_, action_);
        codec_->decode(action_, o, out);
    }

private:
    std::unique_ptr<Learner> learner_;
    std::unique_ptr<ObsCodec> codec_;
    std::vector<float> obs_, action_;
};

}  // namespace evtwin::rl
