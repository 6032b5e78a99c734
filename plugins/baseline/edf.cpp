// Earliest deadline first: the vehicle that declared the earliest departure gets its full rate
// first, then the next, as far as the limits allow.
#include "allocation.hpp"

#include <evtwin/plugin.hpp>

#include <algorithm>

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
            // A total order (connectors are unique): the one order, without a stable sort's buffer.
            std::sort(order.begin(), order.end(), [](const Candidate& a, const Candidate& b) {
                const SessionView& x = *a.session;
                const SessionView& y = *b.session;
                if (x.declared_departure != y.declared_departure)
                    return x.declared_departure < y.declared_departure;
                if (x.arrival != y.arrival) return x.arrival < y.arrival;
                return a.connector < b.connector;
            });
        }
        Headroom room(obs);
        allocate_in_order(obs, order, room, out);
    }
};

}  // namespace
}  // namespace evtwin::baseline

using evtwin::baseline::EdfStrategy;
EVTWIN_STRATEGY(EdfStrategy, "edf", "1.0.0")
