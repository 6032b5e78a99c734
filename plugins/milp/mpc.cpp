// Model predictive control: plans again at every decision (each control period and each arrival or
// departure) over a receding horizon, with the vehicles to come taken from a forecast source:
// perfect (the run's data), persistence (what this strategy saw one day earlier) or noisy (the
// run's data with seeded errors). Only the plan's first period is applied.
#include "plugins/milp/planners.hpp"

#include <evtwin/plugin.hpp>

namespace evtwin::milp {
namespace {

std::vector<std::string> keys() {
    std::vector<std::string> k = OptionReader::common_keys();
    for (const std::string& m : mpc_keys()) k.push_back(m);
    return k;
}

// Binaries (minimum power, setpoints, no simultaneous charge and discharge) over the first two
// hours only: the first period is what is applied, and a week of decisions stays fast.
ChargingOptions mpc_defaults() {
    ChargingOptions o = OptionReader::with_foresight();
    o.integer_horizon = Duration::hours(2);
    return o;
}

class MpcStrategy final : public Strategy {
public:
    explicit MpcStrategy(const StrategyOptions& options)
        : read_(options, keys()),
          planner_(read_.charging(mpc_defaults()), read_.solve(kMpcTimeLimitS), read_mpc_settings(read_)) {}
    Foresight foresight() const override { return planner_.foresight(); }
    void decide(const Observation& obs, Decision& out) override { planner_.decide(obs, out); }

private:
    OptionReader read_;
    MpcPlanner planner_;
};

}  // namespace
}  // namespace evtwin::milp

using evtwin::milp::MpcStrategy;
EVTWIN_STRATEGY(MpcStrategy, "mpc", "0.1.0")
