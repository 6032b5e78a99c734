// Uncontrolled charging: what a site without a scheduler does. Every plugged vehicle that still
// wants energy is offered its full rate; where that overloads a node or a phase constraint, the
// site's dynamic load management scales the chargers below it down in proportion to what they were
// offered, as the engine's PowerFlow would, but here, so that no violation is recorded.
#include "allocation.hpp"

#include <evtwin/options.hpp>
#include <evtwin/plugin.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace evtwin::baseline {
namespace {

// Slack below which a limit counts as kept: far inside the engine's tolerances (1e-6 kW, 1e-6 A).
constexpr double kLimitEps = 1e-9;
// Scaling passes before rounding, and rounds of scaling and rounding, before the last resort.
constexpr int kMaxPasses = 100;
constexpr int kMaxRounds = 16;

class LoadManagement {
public:
    explicit LoadManagement(const Observation& obs) : obs_(obs), below_(obs.nodes.size()) {
        std::vector<int> depth(obs.nodes.size(), 0);
        for (std::size_t n = 0; n < obs.nodes.size(); ++n)
            for (NodeIndex p = obs.nodes[n].parent; p != kNone; p = obs.nodes[p].parent) ++depth[n];
        order_.resize(obs.nodes.size());
        std::iota(order_.begin(), order_.end(), NodeIndex{0});
        // Deepest first: a node is settled before every node above it.
        std::stable_sort(order_.begin(), order_.end(),
                         [&](NodeIndex a, NodeIndex b) { return depth[a] > depth[b]; });
        for (std::size_t c = 0; c < obs.connectors.size(); ++c)
            for (NodeIndex n = obs.connectors[c].node; n != kNone; n = obs.nodes[n].parent)
                below_[n].push_back(static_cast<ConnectorIndex>(c));
        stamp_.assign(obs.connectors.size(), 0);
    }

    // Brings `kw` (the offered setpoints, >= 0) within every node and phase limit, then rounds each
    // down to a setpoint its charger can hold.
    void settle(std::vector<double>& kw) {
        for (int round = 0; round < kMaxRounds; ++round) {
            for (int pass = 0; pass < kMaxPasses; ++pass) {
                const bool nodes_cut = scale_nodes(kw);
                const bool phases_cut = scale_phases(kw);
                if (!nodes_cut && !phases_cut) break;
            }
            for (std::size_t c = 0; c < kw.size(); ++c)
                if (kw[c] > 0.0) kw[c] = feasible_setpoint_below(obs_.connectors[c], kw[c]);
            // Rounding down keeps node limits and constraints whose terms all pull one way; a term
            // of the opposite sign rounded down can raise a sum again, and the next round cuts it.
            if (over_phase_limit(kw) == kNone) return;
        }
        // Never expected: switch off the chargers of a constraint still over; zero always meets it.
        for (std::uint32_t k = over_phase_limit(kw); k != kNone; k = over_phase_limit(kw))
            for (const ConnectorTerm& t : obs_.phase_constraints[k].terms)
                if (t.connector < kw.size()) kw[t.connector] = 0.0;
    }

private:
    // One bottom-up pass over the node tree; true when something was cut.
    bool scale_nodes(std::vector<double>& kw) {
        std::vector<double> ev(obs_.nodes.size(), 0.0);
        for (std::size_t n = 0; n < ev.size(); ++n)
            for (ConnectorIndex c : below_[n]) ev[n] += kw[c];
        bool cut = false;
        for (NodeIndex n : order_) {
            const NodeView& node = obs_.nodes[n];
            if (ev[n] <= 0.0 || node.fixed_flow_kw + ev[n] <= node.import_limit_kw + kLimitEps) continue;
            // When the fixed flow alone breaks the limit, EV charging must not add to it.
            const double keep = std::max(0.0, (node.import_limit_kw - node.fixed_flow_kw) / ev[n]);
            for (ConnectorIndex c : below_[n]) kw[c] *= keep;
            const double removed = ev[n] * (1.0 - keep);
            for (NodeIndex p = n; p != kNone; p = obs_.nodes[p].parent) ev[p] -= removed;
            cut = true;
        }
        return cut;
    }

    // Scales every connector of an overloaded phase constraint by limit/|sum|, which scales the
    // phasor sum by exactly that factor; true when something was cut.
    bool scale_phases(std::vector<double>& kw) {
        bool cut = false;
        for (const PhaseConstraintView& k : obs_.phase_constraints) {
            const double amps = current_a(k, kw);
            if (amps <= k.limit_a + kLimitEps) continue;
            const double keep = std::max(0.0, k.limit_a / amps);
            ++stamp_value_;
            for (const ConnectorTerm& t : k.terms) {
                // A connector listed twice is still scaled once.
                if (t.connector >= kw.size() || stamp_[t.connector] == stamp_value_) continue;
                stamp_[t.connector] = stamp_value_;
                kw[t.connector] *= keep;
            }
            cut = true;
        }
        return cut;
    }

    static double current_a(const PhaseConstraintView& k, const std::vector<double>& kw) {
        double re = 0.0;
        double im = 0.0;
        for (const ConnectorTerm& t : k.terms) {
            if (t.connector >= kw.size()) continue;
            const double amps = t.coefficient * kw[t.connector] * t.amps_per_kw;
            re += amps * t.cos_phase;
            im += amps * t.sin_phase;
        }
        return std::hypot(re, im);
    }

    // The first phase constraint over its limit, kNone if none.
    std::uint32_t over_phase_limit(const std::vector<double>& kw) const {
        for (std::uint32_t k = 0; k < obs_.phase_constraints.size(); ++k)
            if (current_a(obs_.phase_constraints[k], kw) > obs_.phase_constraints[k].limit_a + kLimitEps)
                return k;
        return kNone;
    }

    const Observation& obs_;
    std::vector<NodeIndex> order_;                    // nodes, deepest first
    std::vector<std::vector<ConnectorIndex>> below_;  // per node: the connectors below it
    std::vector<std::uint32_t> stamp_;
    std::uint32_t stamp_value_ = 0;
};

class UncontrolledStrategy final : public Strategy {
public:
    explicit UncontrolledStrategy(const StrategyOptions& options) { check_option_keys(options, {}); }

    void decide(const Observation& obs, Decision& out) override {
        clear_decision(obs, out);
        if (obs.mode == RunMode::acnsim) {
            // acnportal's UncontrolledCharging: every vehicle its EVSE's largest pilot, whatever the
            // network's limits (the engine records what the pilots break and applies them, as
            // ACN-Sim does).
            for (const Candidate& v : charging_candidates(obs)) {
                const ConnectorView& c = obs.connectors[v.connector];
                out.connector_kw[v.connector] = feasible_setpoint_below(c, c.max_kw);
            }
            return;
        }
        // Each vehicle is offered its full rate: the smallest setpoint that covers it.
        for (const Candidate& v : charging_candidates(obs))
            out.connector_kw[v.connector] =
                choose_setpoint(obs.connectors[v.connector], v.want_kw, kUnlimited);
        LoadManagement(obs).settle(out.connector_kw);
    }
};

}  // namespace
}  // namespace evtwin::baseline

using evtwin::baseline::UncontrolledStrategy;
EVTWIN_STRATEGY(UncontrolledStrategy, "uncontrolled", "2.0.0")
