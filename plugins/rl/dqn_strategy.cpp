// The `dqn` strategy plugin: a policy trained by `evtwin train --algo dqn`.
#include "plugins/rl/policy_strategy.hpp"

#include <evtwin/plugin.hpp>

namespace evtwin::rl {

class DqnStrategy final : public PolicyStrategy {
public:
    explicit DqnStrategy(const StrategyOptions& options) : PolicyStrategy(options, "dqn") {}
};

}  // namespace evtwin::rl

using evtwin::rl::DqnStrategy;
EVTWIN_STRATEGY(DqnStrategy, "dqn", "1.0.0")
