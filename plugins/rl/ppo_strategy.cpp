// The `ppo` strategy plugin: a policy trained by `evtwin train --algo ppo`.
#include "plugins/rl/policy_strategy.hpp"

#include <evtwin/plugin.hpp>

namespace evtwin::rl {

class PpoStrategy final : public PolicyStrategy {
public:
    explicit PpoStrategy(const StrategyOptions& options) : PolicyStrategy(options, "ppo") {}
};

}  // namespace evtwin::rl

using evtwin::rl::PpoStrategy;
EVTWIN_STRATEGY(PpoStrategy, "ppo", "1.0.0")
