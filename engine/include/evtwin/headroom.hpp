#pragma once
// Bookkeeping a strategy uses to hand out power without breaking a node limit or a phase
// constraint: it tracks the flow through every node of the site tree, and the current phasor sum of
// every phase constraint, as power is granted to connectors (or to the ESS).
#include <evtwin/observation.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace evtwin {

// The largest x >= 0 with |(s_re + j·s_im) + x·(d_re + j·d_im)| <= limit: how far a current phasor
// sum may move along d before its magnitude reaches the limit. 0 when the sum is already over it
// (even where moving along d would first bring it back); unlimited when d is zero.
inline double phasor_room(double s_re, double s_im, double d_re, double d_im, double limit) {
    const double s2 = s_re * s_re + s_im * s_im;
    const double slack = limit * limit - s2;  // L² − |S|²
    if (!(slack > 0.0)) return 0.0;           // over the limit or exactly on it (or a NaN)
    const double d2 = d_re * d_re + d_im * d_im;
    if (d2 == 0.0 || std::isinf(limit)) return kUnlimited;
    // |S + x·d|² = d2·x² + 2b·x + |S|², b = Re(S·conj d); the positive root of d2·x² + 2b·x − slack,
    // written without cancellation for either sign of b.
    const double b = s_re * d_re + s_im * d_im;
    const double root = std::sqrt(b * b + d2 * slack);
    return b > 0.0 ? slack / (b + root) : (root - b) / d2;
}

class Headroom {
public:
    Headroom() = default;
    explicit Headroom(const Observation& obs) { reset(obs); }

    // Starts over at the observation's fixed flows. A strategy that keeps one Headroom and resets it
    // at each decision reuses its buffers.
    void reset(const Observation& obs) {
        nodes_ = obs.nodes;
        connectors_ = obs.connectors;
        phases_ = obs.phase_constraints;
        flow_kw_.clear();
        for (const NodeView& n : nodes_) flow_kw_.push_back(n.fixed_flow_kw);
        phasor_.assign(phases_.size(), {0.0, 0.0});
        given_ = nullptr;
        if (phases_.empty()) return;
        if (obs.phase_terms && obs.phase_terms->first.size() == connectors_.size() + 1)
            given_ = obs.phase_terms;
        else
            own_ = PhaseTermIndex(phases_, connectors_.size());
    }

    // Most charging power that can still be added below `node` without breaking a limit above it.
    double charge_room_at(NodeIndex node) const {
        double room = kUnlimited;
        for (NodeIndex n = node; n != kNone; n = nodes_[n].parent)
            room = std::min(room, nodes_[n].import_limit_kw - flow_kw_[n]);
        return std::max(0.0, room);
    }

    // Most discharging power (as a positive number) that can still be added below `node`.
    double discharge_room_at(NodeIndex node) const {
        double room = kUnlimited;
        for (NodeIndex n = node; n != kNone; n = nodes_[n].parent)
            room = std::min(room, flow_kw_[n] + nodes_[n].export_limit_kw);
        return std::max(0.0, room);
    }

    // Node limits and every phase constraint the connector is part of.
    double charge_room(ConnectorIndex c) const {
        return std::min(charge_room_at(connectors_[c].node), phase_room(c, 1.0));
    }
    double discharge_room(ConnectorIndex c) const {
        return std::min(discharge_room_at(connectors_[c].node), phase_room(c, -1.0));
    }

    // Adds `kw` (negative: discharge) to every node from `node` up to the grid connection.
    void take_at(NodeIndex node, double kw) {
        for (NodeIndex n = node; n != kNone; n = nodes_[n].parent) flow_kw_[n] += kw;
    }
    // Adds `kw` at connector `c`: to its nodes and to the phasor sum of its phase constraints.
    void take(ConnectorIndex c, double kw) {
        take_at(connectors_[c].node, kw);
        if (phases_.empty()) return;
        const PhaseTermIndex& index = terms();
        for (std::uint32_t i = index.first[c]; i < index.first[c + 1]; ++i) {
            const auto [k, term] = index.terms[i];
            const ConnectorTerm& t = phases_[k].terms[term];
            const double amps = t.coefficient * kw * t.amps_per_kw;
            phasor_[k].first += amps * t.cos_phase;
            phasor_[k].second += amps * t.sin_phase;
        }
    }

    // Grants as much of `wanted_kw` (>= 0) as the limits allow at connector `c` and returns it.
    double grant(ConnectorIndex c, double wanted_kw) {
        const double granted = std::min(wanted_kw, charge_room(c));
        take(c, granted);
        return granted;
    }

    double flow_kw(NodeIndex n) const { return flow_kw_[n]; }
    // Magnitude of phase constraint k's current phasor sum so far (A).
    double phase_current_a(std::size_t k) const { return std::hypot(phasor_[k].first, phasor_[k].second); }

private:
    // Most power (kW, >= 0) connector c may add in direction `sign` (+1 charge, -1 discharge)
    // before one of its phase constraints reaches its limit.
    double phase_room(ConnectorIndex c, double sign) const {
        double room = kUnlimited;
        if (phases_.empty()) return room;
        const PhaseTermIndex& index = terms();
        for (std::uint32_t i = index.first[c]; i < index.first[c + 1]; ++i) {
            const auto [k, term] = index.terms[i];
            const ConnectorTerm& t = phases_[k].terms[term];
            const double amps = sign * t.coefficient * t.amps_per_kw;
            room = std::min(room, phasor_room(phasor_[k].first, phasor_[k].second, amps * t.cos_phase,
                                              amps * t.sin_phase, phases_[k].limit_a));
        }
        return room;
    }

    std::span<const NodeView> nodes_;
    std::span<const ConnectorView> connectors_;
    std::span<const PhaseConstraintView> phases_;
    std::vector<double> flow_kw_;
    std::vector<std::pair<double, double>> phasor_;  // per phase constraint: (re, im) in A
    const PhaseTermIndex* given_ = nullptr;          // the observation's, or null: own_
    PhaseTermIndex own_;
    const PhaseTermIndex& terms() const { return given_ ? *given_ : own_; }
};

// The largest allowed setpoint of a connector that does not exceed `kw` (>= 0): respects the
// charger's minimum power and its finite set of setpoints, if it has one.
inline double feasible_setpoint_below(const ConnectorView& c, double kw) {
    kw = std::min(kw, c.max_kw);
    if (!c.setpoints_kw.empty()) {
        double best = 0.0;
        for (double s : c.setpoints_kw)
            if (s <= kw + 1e-9 && s > best) best = s;
        return best;
    }
    return kw + 1e-9 < c.min_kw ? 0.0 : kw;
}

}  // namespace evtwin
