// Least laxity first: laxity = time to declared departure - time to deliver the remaining energy
// at the vehicle's maximum rate. The vehicle with the least slack is served first.
#include "allocation.hpp"

#include <evtwin/plugin.hpp>

#include <algorithm>

namespace evtwin::baseline {
namespace {

// Hours of slack; the remaining energy is counted at the inlet, so the grid-side rate is reduced by
// the charger's efficiency.
double laxity_h(const Observation& obs, const Candidate& v) {
    const SessionView& s = *v.session;
    if (s.declared_departure == Time::max()) return kUnlimited;  // no departure declared
    const double inlet_kw = v.want_kw * (s.charge_efficiency > 0.0 ? s.charge_efficiency : 1.0);
    return (s.declared_departure - obs.now).hours_f() - s.remaining_kwh / inlet_kw;
}

class LlfStrategy final : public Strategy {
public:
    explicit LlfStrategy(const StrategyOptions& options) { check_options(options, "llf", {}); }

    void decide(const Observation& obs, Decision& out) override {
        clear_decision(obs, out);
        std::vector<Candidate> order = charging_candidates(obs);
        std::vector<std::pair<double, Candidate>> keyed;
        keyed.reserve(order.size());
        for (const Candidate& v : order) keyed.emplace_back(laxity_h(obs, v), v);
        std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
            if (a.first != b.first) return a.first < b.first;
            if (a.second.session->declared_departure != b.second.session->declared_departure)
                return a.second.session->declared_departure < b.second.session->declared_departure;
            return a.second.connector < b.second.connector;
        });
        for (std::size_t i = 0; i < keyed.size(); ++i) order[i] = keyed[i].second;
        Headroom room(obs);
        allocate_in_order(obs, order, room, out);
    }
};

}  // namespace
}  // namespace evtwin::baseline

using evtwin::baseline::LlfStrategy;
EVTWIN_STRATEGY(LlfStrategy, "llf", "1.0.0")
