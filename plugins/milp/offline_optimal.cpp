// The yardstick: perfect foresight over the whole run. One plan at the start covers every vehicle
// of the run; it is followed, and made again only where reality leaves it (a vehicle on another
// connector than planned, one the plan does not know, or one behind its planned energy).
#include <milp/planners.hpp>

#include <evtwin/plugin.hpp>

namespace evtwin::milp {
namespace {

std::vector<std::string> keys() {
    std::vector<std::string> k = OptionReader::common_keys();
    k.push_back("tolerance_kwh");
    return k;
}

class OfflineOptimalStrategy final : public Strategy {
public:
    explicit OfflineOptimalStrategy(const StrategyOptions& options)
        : read_("offline_optimal", options, keys()),
          planner_(read_.charging(OptionReader::with_foresight()), read_.solve(kFollowedPlanTimeLimitS), read_.number("tolerance_kwh", 0.5, 0.0)) {}
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
