// As late as possible (EV2Gym's ChargeAsLateAsPossible): a vehicle waits until waiting one more
// control period would leave too little time to get the rest of its request by its declared
// departure at its full rate; from then on it gets its full rate. Where the limits bind, the
// vehicles that are latest (least slack to their departure) are served first. A vehicle that
// declared no departure has no latest start: it charges at once, served last.
#include "allocation.hpp"

#include <evtwin/options.hpp>
#include <evtwin/plugin.hpp>

#include <algorithm>
#include <limits>

namespace evtwin::baseline {
namespace {

// Hours a vehicle still needs at its full rate (inlet energy over inlet power).
double hours_needed(const Candidate& v) {
    const double inlet_kw = v.want_kw * v.session->charge_efficiency;
    return inlet_kw > kEps ? v.session->remaining_kwh / inlet_kw : 0.0;
}

class AlapStrategy final : public Strategy {
public:
    explicit AlapStrategy(const StrategyOptions& options) { check_option_keys(options, {}); }

    void decide(const Observation& obs, Decision& out) override {
        clear_decision(obs, out);
        // The next decision comes at the latest one control period from now (arrivals and
        // departures may bring it earlier), so a vehicle must start now if waiting that long would
        // make it late. Without a control period, only the vehicles already due start.
        const double wait_h = obs.control_period.hours_f();
        std::vector<Candidate> due;
        std::vector<double> slack_h;
        std::vector<Candidate> minimum_only;
        for (const Candidate& v : charging_candidates(obs)) {
            if (v.session->declared_departure == Time::max()) {
                due.push_back(v);
                slack_h.push_back(std::numeric_limits<double>::infinity());
                continue;
            }
            const double left_h = (v.session->declared_departure - obs.now).hours_f();
            const double slack = left_h - hours_needed(v);
            if (slack > wait_h + kEps) {
                if (v.session->needs.min_charge_kw > kEps)  // not due: its driver's minimum alone
                    minimum_only.push_back(
                        {v.connector, v.session, std::min(v.want_kw, v.session->needs.min_charge_kw)});
                continue;
            }
            due.push_back(v);
            slack_h.push_back(slack);
        }
        std::vector<std::size_t> order(due.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            if (slack_h[a] != slack_h[b]) return slack_h[a] < slack_h[b];
            return due[a].connector < due[b].connector;
        });
        std::vector<Candidate> ordered;
        ordered.reserve(order.size());
        for (std::size_t i : order) ordered.push_back(due[i]);
        ordered.insert(ordered.end(), minimum_only.begin(), minimum_only.end());
        room_.reset(obs);
        allocate_in_order(obs, ordered, room_, out);
    }

private:
    Headroom room_;
};

}  // namespace
}  // namespace evtwin::baseline

using evtwin::baseline::AlapStrategy;
EVTWIN_STRATEGY(AlapStrategy, "alap", "1.0.0")
