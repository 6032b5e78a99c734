// Earliest deadline first: the vehicle that declared the earliest departure gets its full rate
// first, then the next, as far as the limits allow.
#include "allocation.hpp"

#include <evtwin/plugin.hpp>

#include <algorithm>
#include <utility>

namespace evtwin::baseline {
namespace {

class EdfStrategy final : public Strategy {
public:
    explicit EdfStrategy(const StrategyOptions& options) { check_options(options, "edf", {}); }

    void decide(const Observation& obs, Decision& out) override {
        clear_decision(obs, out);
        std::vector<Candidate> order = charging_candidates(obs);
        if (obs.mode == RunMode::acnsim) {
            // acnportal's earliest_deadline_first: a stable sort of the stations' order (the
            // connectors') by declared departure alone.
            std::stable_sort(order.begin(), order.end(), [](const Candidate& a, const Candidate& b) {
                return a.session->declared_departure < b.session->declared_departure;
            });
        } else {
            order_.sort(order,
                        [](const SessionView& s) { return std::pair(s.declared_departure, s.arrival); });
        }
        Headroom room(obs);
        allocate_in_order(obs, order, room, out);
    }

    DecisionScope scope() const override { return DecisionScope::subtree; }

private:
    KeptOrder order_;  // departure, then arrival, then connector
};

}  // namespace
}  // namespace evtwin::baseline

using evtwin::baseline::EdfStrategy;
EVTWIN_STRATEGY(EdfStrategy, "edf", "1.0.0")
