// First come, first served: every plugged vehicle that still wants energy draws as much as it can,
// and when a limit binds, vehicles are served in order of arrival (ties by connector).
#include "allocation.hpp"

#include <evtwin/options.hpp>
#include <evtwin/plugin.hpp>

#include <utility>

namespace evtwin::baseline {
namespace {

class FcfsStrategy final : public Strategy {
public:
    explicit FcfsStrategy(const StrategyOptions& options) { check_option_keys(options, {}); }

    void decide(const Observation& obs, Decision& out) override {
        clear_decision(obs, out);
        std::vector<Candidate> order = charging_candidates(obs);
        sort_by_times(order, [](const SessionView& s) { return std::pair(s.arrival, Time{}); });
        room_.reset(obs);
        allocate_in_order(obs, order, room_, out);
    }

    DecisionScope scope() const override { return DecisionScope::subtree; }

private:
    Headroom room_;
};

}  // namespace
}  // namespace evtwin::baseline

using evtwin::baseline::FcfsStrategy;
EVTWIN_STRATEGY(FcfsStrategy, "fcfs", "1.0.0")
