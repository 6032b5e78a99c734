#pragma once
// `guarded`: wraps any strategy (the inner) and a baseline, both loaded by name like any plugin.
// At each decision both decide on the same observation (so stateful ones stay consistent); when
// the inner's expected cost for its horizon exceeds the baseline's by more than `margin`, the
// baseline's decision is followed. The baseline's expected cost is its own when it gives one,
// else a roll-out of a second baseline object over the same horizon (host/baseline_rollout.hpp).
// A `guard` strategy event is recorded on every switch between the two, not every period.
//
// options: inner=NAME (required), baseline=NAME (default edf), margin=X (default 0, currency),
//          unmet_penalty=X (per kWh, default 10 as the MILP's), horizon_h=H (roll-out cap, 48),
//          inner.<k>=v and baseline.<k>=v (passed on as k=v).
#include "host/baseline_rollout.hpp"
#include "host/host_strategies.hpp"
#include "host/plugin_loader.hpp"

#include <evtwin/plugin.hpp>

#include <string>

namespace evtwin {

class GuardedStrategy : public Strategy {
public:
    explicit GuardedStrategy(const StrategyOptions& options);
    void decide(const Observation& obs, Decision& out) override;
    Foresight foresight() const override;

private:
    enum class Following { inner, baseline };

    StrategyHandle inner_, baseline_, rollout_;
    std::string inner_name_, baseline_name_;
    double margin_ = 0.0;
    RolloutOptions rollout_options_;
    Decision inner_out_, baseline_out_;
    Following following_ = Following::inner;
    bool told_no_cost_ = false;
};

const evtwin_plugin_descriptor* guarded_descriptor();
// inner (no default) and baseline (default edf).
const std::vector<NestedStrategyOption>& guarded_nested_strategy_options();

}  // namespace evtwin
