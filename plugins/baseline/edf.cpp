// Earliest deadline first: the vehicle that declared the earliest departure gets its full rate
// first, then the next, as far as the limits allow.
#include "allocation.hpp"

#include <evtwin/options.hpp>
#include <evtwin/plugin.hpp>

#include <algorithm>
#include <utility>

namespace evtwin::baseline {
namespace {

class EdfStrategy final : public Strategy {
public:
    explicit EdfStrategy(const StrategyOptions& options) { check_option_keys(options, {}); }

    void decide(const Observation& obs, Decision& out) override {
        clear_decision(obs, out);
        charging_candidates(obs, candidates_);
        if (candidates_.empty()) return;
        if (obs.mode == RunMode::acnsim) {
            // acnportal's earliest_deadline_first: a stable sort of the stations' order (the
            // connectors') by declared departure alone, which is a sort by departure, then connector.
            std::sort(candidates_.begin(), candidates_.end(), [](const Candidate& a, const Candidate& b) {
                if (a.session->declared_departure != b.session->declared_departure)
                    return a.session->declared_departure < b.session->declared_departure;
                return a.connector < b.connector;
            });
        } else {
            sort_by_times(candidates_,
                          [](const SessionView& s) { return std::pair(s.declared_departure, s.arrival); });
        }
        room_.reset(obs);
        allocate_in_order(obs, candidates_, room_, out);
    }

    DecisionScope scope() const override { return DecisionScope::subtree; }

private:
    std::vector<Candidate> candidates_;
    Headroom room_;
};

}  // namespace
}  // namespace evtwin::baseline

using evtwin::baseline::EdfStrategy;
EVTWIN_STRATEGY(EdfStrategy, "edf", "1.0.0")
