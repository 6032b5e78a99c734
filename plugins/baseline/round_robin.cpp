// Round robin (fair share): the vehicles that want energy get equal shares of what the limits
// allow (water-filling: all rise together until a vehicle is satisfied or a node on its path is
// full). Chargers with a finite setpoint set get their share rounded down, then the remaining room
// is handed out one setpoint step at a time in rotation. The rotation's first vehicle moves on at
// every decision, so whoever gets the odd step changes over time.
#include "allocation.hpp"

#include <evtwin/options.hpp>
#include <evtwin/plugin.hpp>

#include <algorithm>
#include <deque>
#include <limits>
#include <map>

namespace evtwin::baseline {
namespace {

// Equal-increment shares for the vehicles with `active` set, within `cap_kw` each and within the
// node rooms left by `room`. Dropped vehicles (active false) get 0.
std::vector<double> water_fill(const Observation& obs, std::span<const Candidate> vs,
                               std::vector<bool> active, const std::vector<double>& cap_kw,
                               const Headroom& room) {
    const std::size_t n_nodes = obs.nodes.size();
    std::vector<double> node_room(n_nodes);
    for (NodeIndex n = 0; n < n_nodes; ++n) node_room[n] = obs.nodes[n].import_limit_kw - room.flow_kw(n);

    std::vector<std::vector<NodeIndex>> paths(vs.size());
    for (std::size_t i = 0; i < vs.size(); ++i)
        for (NodeIndex n = obs.connectors[vs[i].connector].node; n != kNone; n = obs.nodes[n].parent)
            paths[i].push_back(n);

    std::vector<double> level(vs.size(), 0.0);
    std::vector<std::size_t> count(n_nodes);
    for (;;) {
        std::fill(count.begin(), count.end(), 0);
        bool any = false;
        double delta = std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < vs.size(); ++i) {
            if (!active[i]) continue;
            any = true;
            delta = std::min(delta, cap_kw[i] - level[i]);
            for (NodeIndex n : paths[i]) ++count[n];
        }
        if (!any) break;
        for (NodeIndex n = 0; n < n_nodes; ++n)
            if (count[n] > 0) delta = std::min(delta, node_room[n] / static_cast<double>(count[n]));
        delta = std::max(delta, 0.0);
        for (NodeIndex n = 0; n < n_nodes; ++n) node_room[n] -= delta * static_cast<double>(count[n]);
        // Each round freezes at least the vehicle or the node that set delta.
        for (std::size_t i = 0; i < vs.size(); ++i) {
            if (!active[i]) continue;
            level[i] += delta;
            bool frozen = cap_kw[i] - level[i] <= kEps;
            for (NodeIndex n : paths[i]) frozen = frozen || node_room[n] <= kEps;
            if (frozen) active[i] = false;
        }
    }
    return level;
}

// Fair shares in which every continuous charger can hold its share (at least its minimum power).
// Vehicles whose share is below their minimum are grouped by the full node that holds them back;
// in each group only as many as the group's power can keep at the minimum stay, the last ones in
// the rotation drop out, and the rest share again.
std::vector<double> fair_shares(const Observation& obs, std::span<const Candidate> vs, const Headroom& room) {
    // A continuous charger below its minimum power still needs the minimum as its setpoint.
    std::vector<double> cap(vs.size());
    for (std::size_t i = 0; i < vs.size(); ++i) {
        const ConnectorView& c = obs.connectors[vs[i].connector];
        cap[i] =
            c.setpoints_kw.empty() ? std::min(std::max(vs[i].want_kw, c.min_kw), c.max_kw) : vs[i].want_kw;
    }
    std::vector<bool> active(vs.size(), true);
    std::vector<double> node_room(obs.nodes.size());
    for (;;) {
        std::vector<double> share = water_fill(obs, vs, active, cap, room);
        for (NodeIndex n = 0; n < obs.nodes.size(); ++n)
            node_room[n] = obs.nodes[n].import_limit_kw - room.flow_kw(n);
        for (std::size_t i = 0; i < vs.size(); ++i)
            for (NodeIndex n = obs.connectors[vs[i].connector].node; n != kNone; n = obs.nodes[n].parent)
                node_room[n] -= share[i];

        std::map<NodeIndex, std::vector<std::size_t>> short_of_minimum;  // by the node holding them back
        for (std::size_t i = 0; i < vs.size(); ++i) {
            const ConnectorView& c = obs.connectors[vs[i].connector];
            if (!active[i] || !c.setpoints_kw.empty() || share[i] >= c.min_kw - kEps) continue;
            NodeIndex bottleneck = kNone;  // kNone: the charger cannot reach its own minimum
            for (NodeIndex n = c.node; n != kNone && bottleneck == kNone; n = obs.nodes[n].parent)
                if (node_room[n] <= kEps) bottleneck = n;
            short_of_minimum[bottleneck].push_back(i);
        }
        if (short_of_minimum.empty()) return share;
        for (const auto& [bottleneck, members] : short_of_minimum) {
            double power = 0.0;
            double smallest_min = kUnlimited;
            for (std::size_t i : members) {
                power += share[i];
                smallest_min = std::min(smallest_min, obs.connectors[vs[i].connector].min_kw);
            }
            std::size_t keep =
                bottleneck == kNone ? 0 : static_cast<std::size_t>(power / smallest_min + kEps);
            keep = std::min(keep, members.size() - 1);  // at least one drops, so this ends
            for (std::size_t k = keep; k < members.size(); ++k) active[members[k]] = false;
        }
    }
}

// acnportal's increment on a continuous charger, in amperes.
constexpr double kAcnIncrementA = 0.1;

// acnportal's RoundRobin(first_come_first_served), as ACN-compatible mode (RunMode::acnsim) runs it:
// the vehicles, in order of arrival (ties: the stations' order), all start at nothing; in turn each
// rises one level (0.1 A more on a continuous charger, the next pilot of a finite set, never above
// its bound) and goes to the back of the queue if that keeps every limit; a vehicle whose next level
// does not fit keeps its level and leaves the queue, as does one at its bound.
void acn_round_robin(const Observation& obs, Decision& out) {
    std::vector<Candidate> order = charging_candidates(obs);
    std::stable_sort(order.begin(), order.end(), [](const Candidate& a, const Candidate& b) {
        return a.session->arrival < b.session->arrival;
    });
    // Each vehicle's levels (kW), lowest first: 0 and the pilots up to its bound.
    std::vector<std::vector<double>> levels(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        const ConnectorView& c = obs.connectors[order[i].connector];
        std::vector<double>& ladder = levels[i];
        ladder.push_back(0.0);
        if (c.setpoints_kw.empty()) {
            const double kw_per_a = c.voltage_v / 1000.0;
            // The bound in amperes as acnportal has it: the EVSE's largest pilot (never lost to
            // rounding) or the remaining demand in amp-periods, computed in its order.
            const SessionView& s = *order[i].session;
            const double remaining_a = s.remaining_kwh / s.charge_efficiency * 1000.0 / c.voltage_v * 60.0 /
                                       (obs.control_period.hours_f() * 60.0);
            const double top_a = std::min(c.max_kw / kw_per_a + kEps, remaining_a);
            for (int k = 1; k * kAcnIncrementA <= top_a; ++k) {
                const double kw = k * kAcnIncrementA * kw_per_a;
                if (kw >= c.min_kw - kEps) ladder.push_back(kw);
            }
        } else {
            for (double p : c.setpoints_kw)
                if (p > kEps && p <= order[i].want_kw + kEps) ladder.push_back(p);
            std::sort(ladder.begin(), ladder.end());
        }
    }
    Headroom room(obs);
    std::vector<std::size_t> at(order.size(), 0);
    std::deque<std::size_t> queue;
    for (std::size_t i = 0; i < order.size(); ++i) queue.push_back(i);
    while (!queue.empty()) {
        const std::size_t i = queue.front();
        queue.pop_front();
        if (at[i] + 1 >= levels[i].size()) continue;
        const ConnectorIndex c = order[i].connector;
        const double step = levels[i][at[i] + 1] - levels[i][at[i]];
        if (step > room.charge_room(c) + kEps) continue;
        room.take(c, step);
        ++at[i];
        queue.push_back(i);
    }
    for (std::size_t i = 0; i < order.size(); ++i) out.connector_kw[order[i].connector] = levels[i][at[i]];
}

class RoundRobinStrategy final : public Strategy {
public:
    explicit RoundRobinStrategy(const StrategyOptions& options) { check_option_keys(options, {}); }

    void decide(const Observation& obs, Decision& out) override {
        clear_decision(obs, out);
        if (obs.mode == RunMode::acnsim) return acn_round_robin(obs, out);
        std::vector<Candidate> order = charging_candidates(obs);
        if (order.empty()) return;
        std::sort(order.begin(), order.end(),
                  [](const Candidate& a, const Candidate& b) { return a.connector < b.connector; });
        const auto first = std::find_if(order.begin(), order.end(),
                                        [&](const Candidate& v) { return v.connector >= next_start_; });
        std::rotate(order.begin(), first == order.end() ? order.begin() : first, order.end());
        next_start_ = order.front().connector + 1;

        Headroom room(obs);
        // The drivers' minimum powers first; the shares are of what they leave, and a vehicle gets
        // the larger of its minimum and its share.
        const bool minimums = grant_minimums(obs, order, room, out);
        const std::vector<double> share = fair_shares(obs, order, room);
        std::vector<double> level(order.size(), 0.0);
        for (std::size_t i = 0; i < order.size(); ++i) {
            const ConnectorIndex c = order[i].connector;
            const double granted = minimums ? out.connector_kw[c] : 0.0;
            if (granted > 0.0) room.take(c, -granted);
            level[i] = std::max(
                granted, feasible_setpoint_below(obs.connectors[c], std::min(share[i], room.charge_room(c))));
            room.take(c, level[i]);
        }
        // What rounding down left over goes out one step at a time, in rotation.
        for (bool changed = true; changed;) {
            changed = false;
            for (std::size_t i = 0; i < order.size(); ++i) {
                const ConnectorIndex c = order[i].connector;
                const double up =
                    next_level(obs.connectors[c], level[i], order[i].want_kw, room.charge_room(c));
                if (up <= level[i]) continue;
                room.take(c, up - level[i]);
                level[i] = up;
                changed = true;
            }
        }
        for (std::size_t i = 0; i < order.size(); ++i) out.connector_kw[order[i].connector] = level[i];
    }

private:
    ConnectorIndex next_start_ = 0;  // the rotation starts at the first vehicle on this connector or after
};

}  // namespace
}  // namespace evtwin::baseline

using evtwin::baseline::RoundRobinStrategy;
EVTWIN_STRATEGY(RoundRobinStrategy, "round_robin", "1.0.0")
