// Day-ahead planning: one MILP plan over the horizon for the vehicles present, then followed period
// by period. The engine shows this strategy only the vehicles plugged in (it asks for no
// foresight), so an arrival is news no plan made earlier could contain: the plan is made again
// when the set of vehicles changes (an arrival or a departure), and otherwise followed as it stands.
#include "plugins/milp/planning.hpp"

#include <evtwin/plugin.hpp>

#include <algorithm>
#include <vector>

namespace evtwin::milp {
namespace {

class DayAheadStrategy final : public Strategy {
public:
    explicit DayAheadStrategy(const StrategyOptions& options) {
        std::vector<std::string> known = OptionReader::common_keys();
        known.push_back("replan");
        const OptionReader read(options, known);
        options_ = read.charging();
        replan_every_decision_ = read.choice("replan", "changes", {"changes", "period"}) == "period";
        solver_.set_options(read.solve(kFollowedPlanTimeLimitS));
    }

    void decide(const Observation& obs, Decision& out) override {
        if (needs_plan(obs)) {
            plan_ = make_plan(obs, options_, solver_, out, nullptr, Time::min(), &plan_);
            planned_ids_ = ids(obs);
        }
        follow_plan(obs, plan_, out);
    }

private:
    static std::vector<SessionId> ids(const Observation& obs) {
        std::vector<SessionId> v;
        for (const SessionView& s : obs.sessions) v.push_back(s.id);
        std::sort(v.begin(), v.end());
        return v;
    }

    bool needs_plan(const Observation& obs) const {
        if (!plan_.solution.has_values() || replan_every_decision_ || !plan_.covers(obs.now)) return true;
        return ids(obs) != planned_ids_;
    }

    ChargingOptions options_;
    Solver solver_;
    Plan plan_;
    std::vector<SessionId> planned_ids_;
    bool replan_every_decision_ = false;
};

}  // namespace
}  // namespace evtwin::milp

using evtwin::milp::DayAheadStrategy;
EVTWIN_STRATEGY(DayAheadStrategy, "day_ahead", "0.2.0")
