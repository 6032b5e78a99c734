// Least laxity first: laxity = time to declared departure - time to deliver the remaining energy
// at the vehicle's maximum rate. The vehicle with the least slack is served first.
#include "allocation.hpp"

#include <evtwin/options.hpp>
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

// acnportal's laxity, in periods: periods to the declared departure less the remaining demand in
// amp-periods over the EVSE's largest pilot (whatever the vehicle itself can take).
double acn_laxity_periods(const Observation& obs, const Candidate& v) {
    const SessionView& s = *v.session;
    const ConnectorView& c = obs.connectors[v.connector];
    if (s.declared_departure == Time::max()) return kUnlimited;
    const double period_h = obs.control_period.hours_f();
    const double amp_periods = s.remaining_kwh * 1000.0 / c.voltage_v / period_h;
    const double max_pilot_a = c.max_kw * 1000.0 / c.voltage_v;
    return (s.declared_departure - obs.now).hours_f() / period_h - amp_periods / max_pilot_a;
}

class LlfStrategy final : public Strategy {
public:
    explicit LlfStrategy(const StrategyOptions& options) { check_option_keys(options, {}); }

    void decide(const Observation& obs, Decision& out) override {
        clear_decision(obs, out);
        std::vector<Candidate> order = charging_candidates(obs);
        std::vector<std::pair<double, Candidate>> keyed;
        keyed.reserve(order.size());
        const bool acnsim = obs.mode == RunMode::acnsim;
        for (const Candidate& v : order)
            keyed.emplace_back(acnsim ? acn_laxity_periods(obs, v) : laxity_h(obs, v), v);
        std::stable_sort(keyed.begin(), keyed.end(), [acnsim](const auto& a, const auto& b) {
            if (acnsim) return a.first < b.first;  // acnportal: a stable sort of the stations' order
            if (a.first != b.first) return a.first < b.first;
            if (a.second.session->declared_departure != b.second.session->declared_departure)
                return a.second.session->declared_departure < b.second.session->declared_departure;
            return a.second.connector < b.second.connector;
        });
        for (std::size_t i = 0; i < keyed.size(); ++i) order[i] = keyed[i].second;
        room_.reset(obs);
        allocate_in_order(obs, order, room_, out);
    }

private:
    Headroom room_;
};

}  // namespace
}  // namespace evtwin::baseline

using evtwin::baseline::LlfStrategy;
EVTWIN_STRATEGY(LlfStrategy, "llf", "1.0.0")
