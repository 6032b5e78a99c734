// Uncontrolled charging: every plugged vehicle that still wants energy draws as much as it can.
// When a limit binds, vehicles are served first come first served by arrival.
#include "allocation.hpp"

#include <evtwin/plugin.hpp>

#include <algorithm>

namespace evtwin::baseline {
namespace {

class UncontrolledStrategy final : public Strategy {
public:
    explicit UncontrolledStrategy(const StrategyOptions& options) {
        check_options(options, "uncontrolled", {});
    }

    void decide(const Observation& obs, Decision& out) override {
        clear_decision(obs, out);
        std::vector<Candidate> order = charging_candidates(obs);
        std::stable_sort(order.begin(), order.end(), [](const Candidate& a, const Candidate& b) {
            if (a.session->arrival != b.session->arrival) return a.session->arrival < b.session->arrival;
            return a.connector < b.connector;
        });
        Headroom room(obs);
        allocate_in_order(obs, order, room, out);
    }
};

}  // namespace
}  // namespace evtwin::baseline

using evtwin::baseline::UncontrolledStrategy;
EVTWIN_STRATEGY(UncontrolledStrategy, "uncontrolled", "1.0.0")
