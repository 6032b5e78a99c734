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
        order_.sort(order, [](const SessionView& s) { return std::pair(s.arrival, Time{}); });
        allocation_.allocate(obs, order, out);
    }

    DecisionScope scope() const override { return DecisionScope::subtree; }

private:
    OrderedAllocation allocation_;
    KeptOrder order_;  // arrival, then connector
};

}  // namespace
}  // namespace evtwin::baseline

using evtwin::baseline::FcfsStrategy;
EVTWIN_STRATEGY(FcfsStrategy, "fcfs", "1.0.0")
