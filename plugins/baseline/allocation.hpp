#pragma once
// Helpers shared by the baseline strategies: who wants power, which setpoint a connector can hold,
// and greedy allocation in a given priority order. Header-only on purpose: every strategy is also
// compiled into test programs side by side, where an out-of-line helper would be defined twice.
#include <evtwin/headroom.hpp>
#include <evtwin/strategy.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
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

// Grants power to the candidates in the given order, each as much as the limits still allow. Under
// RunMode::acnsim as acnportal's sorting algorithms do: the largest pilot within the vehicle's bound
// that fits (never one above it, so a finite pilot set may leave a vehicle short of its request), on
// a continuous charger as its bisection finds it.
inline void allocate_in_order(const Observation& obs, std::span<const Candidate> ordered, Headroom& room,
                              Decision& out) {
    const bool acnsim = obs.mode == RunMode::acnsim;
    for (const Candidate& v : ordered) {
        const ConnectorView& c = obs.connectors[v.connector];
        const double room_kw = room.charge_room(v.connector);
        double kw = 0.0;
        if (!acnsim)
            kw = choose_setpoint(c, v.want_kw, room_kw);
        else if (c.setpoints_kw.empty())
            kw = feasible_setpoint_below(c, acn_max_feasible_kw(c, std::min(v.want_kw, c.max_kw), room_kw));
        else
            kw = feasible_setpoint_below(c, std::min(v.want_kw, room_kw));
        room.take(v.connector, kw);
        out.connector_kw[v.connector] = kw;
    }
}

// Greedy allocation in a priority order (allocate_in_order) that remembers the last one: a decision
// on the same inputs gets the same powers without the arithmetic. Between two decision periods most
// vehicles still want what they wanted and the site keeps its limits and fixed flows (edf on
// ACN-Sim's Caltech month: two decisions in three). The inputs are all that allocate_in_order and
// its Headroom read: the run mode; the candidates in order, with what they want and their
// connectors' node, ratings and setpoints; every node's parent, limits and fixed flow; the phase
// constraints' limits and terms. Setpoints and terms are compared by where they are: both are the
// run's own, which never change during it.
class OrderedAllocation {
public:
    void allocate(const Observation& obs, std::span<const Candidate> ordered, Decision& out) {
        if (same_inputs(obs, ordered)) {
            for (std::size_t k = 0; k < ordered.size(); ++k)
                out.connector_kw[ordered[k].connector] = granted_kw_[k];
            return;
        }
        room_.reset(obs);
        allocate_in_order(obs, ordered, room_, out);
        remember(obs, ordered, out);
    }

private:
    struct CandidateInputs {
        ConnectorIndex connector;
        double want_kw;
        NodeIndex node;
        double max_kw, min_kw, voltage_v;
        const double* setpoints = nullptr;
        std::size_t setpoint_count = 0;
        bool operator==(const CandidateInputs&) const = default;
    };
    struct PhaseInputs {
        const ConnectorTerm* terms;
        std::size_t term_count;
        double limit_a;
        bool operator==(const PhaseInputs&) const = default;
    };

    static CandidateInputs inputs_of(const Observation& obs, const Candidate& v) {
        const ConnectorView& c = obs.connectors[v.connector];
        CandidateInputs in{v.connector, v.want_kw, c.node, c.max_kw, c.min_kw, c.voltage_v};
        in.setpoints = c.setpoints_kw.data();
        in.setpoint_count = c.setpoints_kw.size();
        return in;
    }
    static PhaseInputs inputs_of(const PhaseConstraintView& k) {
        return {k.terms.data(), k.terms.size(), k.limit_a};
    }

    bool same_inputs(const Observation& obs, std::span<const Candidate> ordered) const {
        if (!valid_ || obs.mode != mode_ || obs.connectors.size() != connector_count_ ||
            ordered.size() != candidates_.size() || obs.nodes.size() != nodes_.size() ||
            obs.phase_constraints.size() != phases_.size())
            return false;
        for (std::size_t k = 0; k < ordered.size(); ++k)
            if (!(inputs_of(obs, ordered[k]) == candidates_[k])) return false;
        // Views whose bytes are equal hold the same values (bytes that differ where nothing is
        // stored only cost a recomputation): one comparison of the whole tree.
        if (std::memcmp(obs.nodes.data(), nodes_.data(), nodes_.size() * sizeof(NodeView)) != 0) return false;
        for (std::size_t k = 0; k < phases_.size(); ++k)
            if (!(inputs_of(obs.phase_constraints[k]) == phases_[k])) return false;
        return true;
    }

    void remember(const Observation& obs, std::span<const Candidate> ordered, const Decision& out) {
        mode_ = obs.mode;
        connector_count_ = obs.connectors.size();
        candidates_.clear();
        granted_kw_.clear();
        for (const Candidate& v : ordered) {
            candidates_.push_back(inputs_of(obs, v));
            granted_kw_.push_back(out.connector_kw[v.connector]);
        }
        nodes_.assign(obs.nodes.begin(), obs.nodes.end());
        phases_.clear();
        for (const PhaseConstraintView& k : obs.phase_constraints) phases_.push_back(inputs_of(k));
        valid_ = true;
    }

    Headroom room_;
    bool valid_ = false;
    RunMode mode_ = RunMode::event;
    std::size_t connector_count_ = 0;
    std::vector<CandidateInputs> candidates_;
    std::vector<double> granted_kw_;  // per candidate, in order
    std::vector<NodeView> nodes_;
    std::vector<PhaseInputs> phases_;
};

// A priority order by two times, then the connector, kept from decision to decision. Between two
// decisions only a few vehicles come, go or finish: the candidates that were in the last order keep
// their places, and only the others are sorted and merged in. The result is the order a full sort
// gives (the connector makes every key unique), whatever the last decision was.
class KeptOrder {
public:
    // Sorts `order` by `key_of(session)`, a pair of times (first, then second), then by connector.
    template <class KeyOf>
    void sort(std::vector<Candidate>& order, KeyOf key_of) {
        keys_.clear();
        for (std::size_t i = 0; i < order.size(); ++i) {
            const auto [first, second] = key_of(*order[i].session);
            const ConnectorIndex c = order[i].connector;
            keys_.push_back({first.ms(), second.ms(), c, static_cast<std::uint32_t>(i)});
            if (c >= candidate_at_.size()) candidate_at_.resize(c + 1, 0);
            candidate_at_[c] = static_cast<std::uint32_t>(i + 1);
        }
        kept_.clear();
        for (const Key& k : last_) {
            if (k.connector >= candidate_at_.size()) continue;
            const std::uint32_t at = candidate_at_[k.connector];
            if (at == 0 || !keys_[at - 1].same_vehicle(k)) continue;
            kept_.push_back(keys_[at - 1]);
            candidate_at_[k.connector] = 0;  // placed
        }
        fresh_.clear();
        for (const Key& k : keys_) {
            if (candidate_at_[k.connector] != 0) fresh_.push_back(k);
            candidate_at_[k.connector] = 0;
        }
        std::sort(fresh_.begin(), fresh_.end());
        last_.resize(kept_.size() + fresh_.size());
        std::merge(kept_.begin(), kept_.end(), fresh_.begin(), fresh_.end(), last_.begin());
        sorted_.clear();
        for (const Key& k : last_) sorted_.push_back(order[k.candidate]);
        order.swap(sorted_);
    }

private:
    struct Key {
        std::int64_t first_ms, second_ms;
        ConnectorIndex connector;
        std::uint32_t candidate;  // index into this decision's candidates
        bool same_vehicle(const Key& k) const {
            return first_ms == k.first_ms && second_ms == k.second_ms && connector == k.connector;
        }
        bool operator<(const Key& k) const {
            if (first_ms != k.first_ms) return first_ms < k.first_ms;
            if (second_ms != k.second_ms) return second_ms < k.second_ms;
            return connector < k.connector;
        }
    };

    std::vector<Key> last_;                    // the last decision's order
    std::vector<Key> keys_, kept_, fresh_;     // buffers reused from decision to decision
    std::vector<std::uint32_t> candidate_at_;  // per connector: its candidate's index + 1, else 0
    std::vector<Candidate> sorted_;
};

// Greedy strategies start from an empty decision: no V2G, ESS idle.
inline void clear_decision(const Observation& obs, Decision& out) {
    out.connector_kw.assign(obs.connectors.size(), 0.0);
    out.ess_kw = 0.0;
}

}  // namespace evtwin::baseline
