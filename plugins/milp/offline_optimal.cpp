// The yardstick: perfect foresight over the whole run. One plan at the start covers every vehicle
// of the run; it is followed and made again from the state reached: at every decision where the
// plan is a linear program small enough (replans_every_decision), else where reality leaves it (a
// vehicle on another connector than planned, one the plan does not know, one behind its planned
// energy, a V2G one ahead of it). Option replan.
#include "plugins/milp/planners.hpp"

#include <evtwin/plugin.hpp>

namespace evtwin::milp {
namespace {

std::vector<std::string> keys() {
    std::vector<std::string> k = OptionReader::common_keys();
    for (const std::string& o : oracle_keys()) k.push_back(o);
    return k;
}

// Phase limits held to 10^-5 (a yardstick's plan is followed: what it plans over a limit is cut back
// where the limit binds and seldom caught up); periods cut at every arrival and departure it foresees,
// so that its plan nets import and export as the meter does.
ChargingOptions yardstick_defaults() {
    ChargingOptions o = OptionReader::with_foresight();
    o.phase_tolerance = 1e-5;
    o.event_periods = true;
    return o;
}

class OfflineOptimalStrategy final : public Strategy {
public:
    explicit OfflineOptimalStrategy(const StrategyOptions& options)
        : read_(options, keys()),
          planner_(read_.charging(yardstick_defaults()), read_.solve(kFollowedPlanTimeLimitS),
                   read_oracle_settings(read_)) {}
    Foresight foresight() const override { return planner_.foresight(); }
    void decide(const Observation& obs, Decision& out) override { planner_.decide(obs, out); }

private:
    OptionReader read_;
    OraclePlanner planner_;
};

}  // namespace
}  // namespace evtwin::milp

using evtwin::milp::OfflineOptimalStrategy;
EVTWIN_STRATEGY(OfflineOptimalStrategy, "offline_optimal", "0.1.0")
