// Earliest deadline first: the vehicle that declared the earliest departure gets its full rate
// first, then the next, as far as the limits allow.
#include "allocation.hpp"

#include <evtwin/plugin.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

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
            sort_by_deadline(order);
        }
        Headroom room(obs);
        allocate_in_order(obs, order, room, out);
    }

private:
    // Departure, then arrival, then connector: a total order (connectors are unique), so the one
    // order without a stable sort's buffer.
    struct Key {
        std::int64_t departure_ms, arrival_ms;
        ConnectorIndex connector;
        std::uint32_t candidate;  // index into this decision's candidates
        bool same_vehicle(const Key& k) const {
            return departure_ms == k.departure_ms && arrival_ms == k.arrival_ms && connector == k.connector;
        }
        bool operator<(const Key& k) const {
            if (departure_ms != k.departure_ms) return departure_ms < k.departure_ms;
            if (arrival_ms != k.arrival_ms) return arrival_ms < k.arrival_ms;
            return connector < k.connector;
        }
    };

    // Between two decisions only a few vehicles come, go or finish: the candidates that were in the
    // last decision's order keep it, and only the others are sorted and merged in. The order is the
    // same as sorting them all (the keys are unique), whatever the last decision was.
    void sort_by_deadline(std::vector<Candidate>& order) {
        keys_.clear();
        for (std::size_t i = 0; i < order.size(); ++i) {
            const SessionView& s = *order[i].session;
            keys_.push_back({s.declared_departure.ms(), s.arrival.ms(), order[i].connector,
                             static_cast<std::uint32_t>(i)});
            if (order[i].connector >= candidate_at_.size()) candidate_at_.resize(order[i].connector + 1, 0);
            candidate_at_[order[i].connector] = static_cast<std::uint32_t>(i + 1);
        }
        kept_.clear();
        for (const Key& k : last_order_) {
            if (k.connector >= candidate_at_.size()) continue;
            const std::uint32_t at = candidate_at_[k.connector];
            if (at == 0 || !keys_[at - 1].same_vehicle(k)) continue;
            kept_.push_back(keys_[at - 1]);
            candidate_at_[k.connector] = 0;  // taken
        }
        fresh_.clear();
        for (const Key& k : keys_) {
            if (candidate_at_[k.connector] != 0) fresh_.push_back(k);
            candidate_at_[k.connector] = 0;
        }
        std::sort(fresh_.begin(), fresh_.end());
        last_order_.resize(kept_.size() + fresh_.size());
        std::merge(kept_.begin(), kept_.end(), fresh_.begin(), fresh_.end(), last_order_.begin());
        sorted_.clear();
        for (const Key& k : last_order_) sorted_.push_back(order[k.candidate]);
        order.swap(sorted_);
    }

    // Buffers kept from decision to decision: the last order, and the rest for reuse.
    std::vector<Key> last_order_;
    std::vector<Key> keys_, kept_, fresh_;
    std::vector<std::uint32_t> candidate_at_;  // per connector: its candidate's index + 1, else 0
    std::vector<Candidate> sorted_;
};

}  // namespace
}  // namespace evtwin::baseline

using evtwin::baseline::EdfStrategy;
EVTWIN_STRATEGY(EdfStrategy, "edf", "1.0.0")
