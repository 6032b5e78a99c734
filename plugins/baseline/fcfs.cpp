// First come, first served: every plugged vehicle that still wants energy draws as much as it can,
// and when a limit binds, vehicles are served in order of arrival (ties by connector).
#include "allocation.hpp"

#include <evtwin/plugin.hpp>

#include <algorithm>

namespace evtwin::baseline {
namespace {

class FcfsStrategy final : public Strategy {
public:
    explicit FcfsStrategy(const StrategyOptions& options) { check_options(options, "fcfs", {}); }

    void decide(const Observation& obs, Decision& out) override {
        clear_decision(obs, out);
        std::vector<Candidate> order = charging_candidates(obs);
        // A total order (connectors are unique): the one order, without a stable sort's buffer.
        std::sort(order.begin(), order.end(), [](const Candidate& a, const Candidate& b) {
            if (a.session->arrival != b.session->arrival) return a.session->arrival < b.session->arrival;
            return a.connector < b.connector;
        });
        Headroom room(obs);
        allocate_in_order(obs, order, room, out);
    }
};

}  // namespace
}  // namespace evtwin::baseline

using evtwin::baseline::FcfsStrategy;
EVTWIN_STRATEGY(FcfsStrategy, "fcfs", "1.0.0")
