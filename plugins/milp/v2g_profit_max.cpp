// Operator profit: charging revenue (charging price per kWh delivered) + what discharge sells −
// energy bought − what V2G drivers are paid (price factor x import price) − degradation per kWh of
// V2G throughput, with every driver's energy at departure (penalised slack) and every site limit
// kept. The prices are the scenario's economics (Observation::economics) unless options say else.
// mode=oracle plans the whole run with perfect foresight; mode=mpc re-plans every decision.
#include "plugins/milp/planners.hpp"

#include <evtwin/plugin.hpp>

#include <memory>
#include <variant>

namespace evtwin::milp {
namespace {

std::vector<std::string> keys() {
    std::vector<std::string> k = OptionReader::common_keys();
    for (const std::string& m : mpc_keys()) k.push_back(m);
    k.push_back("mode");
    k.push_back("charging_price");
    for (const std::string& o : oracle_keys()) k.push_back(o);
    return k;
}

ChargingOptions profit_options(const OptionReader& read) {
    ChargingOptions o = read.charging(OptionReader::with_foresight());
    o.v2g = true;
    o.revenue_per_kwh = read.number("charging_price", -1.0, 0.0, kLargestNumber);
    return o;
}

class V2gProfitMaxStrategy final : public Strategy {
public:
    explicit V2gProfitMaxStrategy(const StrategyOptions& options) : read_(options, keys()) {
        if (read_.choice("mode", "oracle", {"oracle", "mpc"}) == "mpc") {
            planner_.emplace<MpcPlanner>(profit_options(read_), read_.solve(kMpcTimeLimitS),
                                         read_mpc_settings(read_));
            return;
        }
        // The oracle solves within its decisions: a plan ahead is mpc's.
        if (read_.flag("plan_ahead", false))
            throw OptionError("option plan_ahead='true' must be false with mode='oracle' (it is mode=mpc's)");
        planner_.emplace<OraclePlanner>(profit_options(read_), read_.solve(kFollowedPlanTimeLimitS),
                                        read_oracle_settings(read_));
    }
    Foresight foresight() const override {
        return std::visit([](const auto& p) { return p.foresight(); }, planner_);
    }
    void decide(const Observation& obs, Decision& out) override {
        std::visit([&](auto& p) { p.decide(obs, out); }, planner_);
    }

private:
    OptionReader read_;
    std::variant<OraclePlanner, MpcPlanner> planner_{std::in_place_type<OraclePlanner>, ChargingOptions{},
                                                     SolveOptions{}, OracleSettings{}};
};

}  // namespace
}  // namespace evtwin::milp

using evtwin::milp::V2gProfitMaxStrategy;
EVTWIN_STRATEGY(V2gProfitMaxStrategy, "v2g_profit_max", "0.1.0")
