#pragma once
// Helpers shared by the baseline strategies: who wants power, which setpoint a connector can hold,
// and greedy allocation in a given priority order. Header-only on purpose: every strategy is also
// compiled into test programs side by side, where an out-of-line helper would be defined twice.
#include <evtwin/headroom.hpp>
#include <evtwin/strategy.hpp>

#include <algorithm>
#include <initializer_list>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace evtwin::baseline {

inline constexpr double kEps = 1e-9;
// Under RunMode::acnsim a vehicle within this much of its request counts as charged and is left out,
// as ACN-Sim's EV.fully_charged leaves it out of the active sessions.
inline constexpr double kAcnChargedKwh = 1e-3;

// A plugged vehicle that can take energy now.
struct Candidate {
    ConnectorIndex connector = kNone;
    const SessionView* session = nullptr;
    double want_kw = 0.0;  // the most it can draw now, grid side
};

// Vehicles with energy still to get, on a working connector, able to draw power; in session order,
// into `out`.
inline void charging_candidates(const Observation& obs, std::vector<Candidate>& out) {
    out.clear();
    const double charged_kwh = obs.mode == RunMode::acnsim ? kAcnChargedKwh : kEps;
    for (const SessionView& s : obs.sessions) {
        if (s.connector >= obs.connectors.size() || s.remaining_kwh <= charged_kwh) continue;
        const ConnectorView& c = obs.connectors[s.connector];
        if (!c.usable()) continue;
        const double want = std::min(s.max_charge_kw, c.max_kw);
        if (want > kEps) out.push_back({s.connector, &s, want});
    }
}

inline std::vector<Candidate> charging_candidates(const Observation& obs) {
    std::vector<Candidate> out;
    out.reserve(obs.sessions.size());
    charging_candidates(obs, out);
    return out;
}

// The setpoint to give a connector whose vehicle draws at most `want_kw` when `room_kw` is free
// above it: the smallest allowed setpoint that covers the vehicle if one fits, else the largest one
// that fits. Never more than the room, the charger's rating or outside its setpoint set.
inline double choose_setpoint(const ConnectorView& c, double want_kw, double room_kw) {
    const double cap = feasible_setpoint_below(c, room_kw);
    if (cap <= want_kw + kEps) return cap;
    if (c.setpoints_kw.empty()) return std::max(want_kw, c.min_kw);
    double best = cap;
    for (double s : c.setpoints_kw)
        if (s >= want_kw - kEps && s < best) best = s;
    return best;
}

// The next level above `current_kw` a connector can be raised to with `room_kw` more free above
// it: one setpoint step for a finite set, as far as useful for a continuous charger. Returns
// `current_kw` when no step fits or the vehicle is already covered.
inline double next_level(const ConnectorView& c, double current_kw, double want_kw, double room_kw) {
    if (current_kw >= want_kw - kEps) return current_kw;
    if (!c.setpoints_kw.empty()) {
        double step = std::numeric_limits<double>::infinity();
        for (double s : c.setpoints_kw)
            if (s > current_kw + kEps && s <= c.max_kw + kEps && s < step) step = s;
        return step - current_kw <= room_kw + kEps ? step : current_kw;
    }
    const double desired = std::min(std::max(want_kw, c.min_kw), c.max_kw);
    const double level = std::min(desired, current_kw + room_kw);
    return level > current_kw + kEps && level >= c.min_kw - kEps ? level : current_kw;
}

// acnportal's SortedSchedulingAlgo on a continuous EVSE: the vehicle's bound `ub_kw` if it fits under
// `room_kw`, else what its bisection finds: halving [0, ub] in amperes while the interval is wider
// than 0.01 A and returning the interval's lower end, a little below the room.
inline double acn_max_feasible_kw(const ConnectorView& c, double ub_kw, double room_kw) {
    if (ub_kw <= room_kw) return ub_kw;
    if (!(room_kw > 0.0)) return 0.0;  // every midpoint is above the room: the lower end stays 0
    constexpr double kEpsA = 0.01;
    const double kw_per_a = c.voltage_v / 1000.0;
    const double room_a = room_kw / kw_per_a;
    double lb = 0.0;
    double ub = ub_kw / kw_per_a;
    while (ub - lb > kEpsA) {
        const double mid = (ub + lb) / 2.0;
        (mid <= room_a ? lb : ub) = mid;
    }
    return lb * kw_per_a;
}

// The drivers' minimum powers (SessionView::needs) first: each candidate in the given order is granted
// what it takes of its minimum, as far as the limits allow. Returns whether any was.
inline bool grant_minimums(const Observation& obs, std::span<const Candidate> ordered, Headroom& room,
                           Decision& out) {
    bool any = false;
    for (const Candidate& v : ordered) {
        const double min_kw = std::min(v.session->needs.min_charge_kw, v.want_kw);
        if (min_kw <= kEps) continue;
        const double kw = choose_setpoint(obs.connectors[v.connector], min_kw, room.charge_room(v.connector));
        room.take(v.connector, kw);
        out.connector_kw[v.connector] = kw;
        any = true;
    }
    return any;
}

// Grants power to the candidates in the given order, each as much as the limits still allow, after
// every driver's minimum power. Under RunMode::acnsim as acnportal's sorting algorithms do: the
// largest pilot within the vehicle's bound that fits (never one above it, so a finite pilot set may
// leave a vehicle short of its request), on a continuous charger as its bisection finds it.
inline void allocate_in_order(const Observation& obs, std::span<const Candidate> ordered, Headroom& room,
                              Decision& out) {
    const bool acnsim = obs.mode == RunMode::acnsim;
    const bool minimums = !acnsim && grant_minimums(obs, ordered, room, out);
    for (const Candidate& v : ordered) {
        const ConnectorView& c = obs.connectors[v.connector];
        const double granted = minimums ? out.connector_kw[v.connector] : 0.0;
        if (granted > 0.0) room.take(v.connector, -granted);  // its minimum is part of what it gets now
        const double room_kw = room.charge_room(v.connector);
        double kw = 0.0;
        if (!acnsim)
            kw = choose_setpoint(c, v.want_kw, room_kw);
        else if (c.setpoints_kw.empty())
            kw = feasible_setpoint_below(c, acn_max_feasible_kw(c, std::min(v.want_kw, c.max_kw), room_kw));
        else
            kw = feasible_setpoint_below(c, std::min(v.want_kw, room_kw));
        kw = std::max(kw, granted);
        room.take(v.connector, kw);
        out.connector_kw[v.connector] = kw;
    }
}

// Sorts candidates by `key_of(session)`, a pair of times (first, then second), then by connector:
// the connector makes every key unique, so the order is the same whatever order they came in.
template <class KeyOf>
void sort_by_times(std::vector<Candidate>& order, KeyOf key_of) {
    std::sort(order.begin(), order.end(), [&key_of](const Candidate& a, const Candidate& b) {
        const auto ka = key_of(*a.session);
        const auto kb = key_of(*b.session);
        if (ka != kb) return ka < kb;
        return a.connector < b.connector;
    });
}

// Greedy strategies start from an empty decision: no V2G, ESS idle.
inline void clear_decision(const Observation& obs, Decision& out) {
    out.connector_kw.assign(obs.connectors.size(), 0.0);
    out.ess_kw.assign(obs.ess.size(), 0.0);
}

}  // namespace evtwin::baseline
