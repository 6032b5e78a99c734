#pragma once
// Flows through the site tree and the engine's enforcement of node limits. When the power asked for
// would overload a node, the engine reduces what is flexible below it — EV and ESS charging for an
// import overload; PV first, then V2G and ESS discharge for an export overload — in proportion, and
// reports every reduction of a connector or the ESS as a violation. PV curtailment is not a
// violation: it is what an inverter does at an export limit. Phase constraints (ACN-style limits on
// the magnitude of a sum of charger current phasors) are enforced in the same passes: scaling every
// connector of a constraint by limit/|sum| scales the sum by exactly that factor.
#include "model/site.hpp"
#include "model/violation.hpp"

#include <functional>
#include <span>
#include <utility>
#include <vector>

namespace evtwin {

struct PvPower {
    NodeIndex node = 0;
    double available_kw = 0.0;
    double used_kw = 0.0;
};

// A stationary battery's grid-side power (negative: discharging).
struct EssPower {
    NodeIndex node = 0;
    double kw = 0.0;
    bool operator==(const EssPower&) const = default;
};

// Power at every injection point of the site, positive = consumption.
struct SitePower {
    std::vector<double> connector_kw;  // grid side, per connector
    std::vector<EssPower> ess;         // per battery (ScenarioSpec::ess)
    std::vector<PvPower> pv;
    std::vector<double> load_kw;  // fixed non-EV load, per node
};

// What may differ from the powers of the last enforce_limits call, when the caller knows: the check
// then costs in proportion to the change instead of the site. PV and the ESS are compared anyway.
struct PowerChanges {
    std::span<const ConnectorIndex> connectors;  // every connector whose power may have changed
    bool loads = true;                           // whether load_kw may have changed
};

// A node's limits now: the site's, unless a scenario hook changed them during the run.
struct NodeLimits {
    double import_kw = kUnlimited;
    double export_kw = kUnlimited;
};

class PowerFlow {
public:
    // `round_down(c, kw)` gives the largest setpoint connector c can hold that is <= kw (kw >= 0).
    PowerFlow(const Site& site, std::function<double(ConnectorIndex, double)> round_down);

    // Net flow through each node for `power`.
    const std::vector<double>& compute(const SitePower& power);
    // The flows of the last compute() or enforce_limits(), for the powers as they left it.
    const std::vector<double>& flows() const { return flow_; }
    // Magnitude of phase constraint k's current phasor sum for these connector powers (A).
    double phase_current_a(std::size_t k, const std::vector<double>& connector_kw) const;
    // Reduces `power` until every node limit and phase constraint holds; appends one violation per
    // connector (and for the ESS) it reduced, naming what limited it last (`node_limit` with the node,
    // or `phase_limit` with the constraint), one `node_limit_unresolved` per node still over its limit
    // at the end (with the excess, negative for export) and one `phase_limit_unresolved` per phase
    // constraint still over (with the excess current in A in requested_kw).
    void enforce_limits(SitePower& power, std::vector<Violation>& violations);
    // The same, for powers that differ from those of the last call at most as `changes` says.
    void enforce_limits(SitePower& power, const PowerChanges& changes, std::vector<Violation>& violations);

    // Whether enforce_limits holds the phase constraints too (the default). ACN-compatible mode turns
    // it off: there, as in ACN-Sim, the pilots are checked (check_phases) and applied as they are.
    void enforce_phases(bool on) {
        enforce_phases_ = on;
        settled_ = false;
    }
    // Appends one `phase_limit_unenforced` violation per phase constraint these connector powers
    // (pilots) break, with the excess current (A) in requested_kw and the constraint's index. The
    // same pilots as the last call's give the same violations without summing the currents again.
    void check_phases(const std::vector<double>& connector_kw, std::vector<Violation>& violations);

    // The limits enforce_limits applies; they start as the site's.
    const NodeLimits& limits(NodeIndex node) const { return limits_.at(node); }
    void set_limits(NodeIndex node, NodeLimits limits);
    void restore_limits(NodeIndex node);  // back to the site's

private:
    // Whether the flows of the last compute() keep every node limit and phase constraint.
    bool within_limits(const SitePower& power) const;
    // The memo of the last powers enforce_limits found within the limits (flow_ then holds their
    // flows): powers that differ from them in connector powers alone need new flows only above those
    // connectors, and a check only there.
    bool only_connectors_unsettled(const SitePower& power, const PowerChanges* changes) const;
    void remember_settled(const SitePower& power);
    // For powers that differ from the settled ones in connector powers alone: recomputes the flows of
    // the nodes above the connectors that changed, each by the very additions compute() makes (so
    // bit for bit the flows it would give), takes the new connector powers into the memo and returns
    // whether those nodes keep their limits (if not, the memo is no longer valid). Without `changes`,
    // every connector is compared.
    bool settle_changed_connectors(const SitePower& power, const PowerChanges* changes);
    void enforce(SitePower& power, const PowerChanges* changes, std::vector<Violation>& violations);
    // Node n's flow as compute() sums it, its children's flows already final.
    double node_flow(NodeIndex n, const SitePower& power) const;
    // Each returns whether it reduced anything.
    bool reduce_import(NodeIndex node, double excess, SitePower& power);
    bool reduce_export(NodeIndex node, double excess, SitePower& power);
    // Scales by `keep` each battery below `node` whose power has the sign of `direction`.
    void reduce_ess(NodeIndex node, double keep, double direction, SitePower& power);
    bool reduce_phase(std::size_t k, double amps, SitePower& power);

    static constexpr int kMaxPasses = 100;

    const Site& site_;
    std::function<double(ConnectorIndex, double)> round_down_;
    // The tree as flat arrays: each connector's node, and (node, parent) in bottom-up order.
    std::vector<NodeIndex> connector_node_;
    std::vector<std::pair<NodeIndex, NodeIndex>> upward_;
    // Per node, in the order compute() adds them: its connectors, and its children (as offsets into
    // the two lists, node n's from first[n] to first[n + 1]); and its place in the bottom-up order.
    std::vector<std::uint32_t> first_connector_, node_connectors_;
    std::vector<std::uint32_t> first_child_, children_;
    std::vector<std::uint32_t> bottom_up_rank_;
    std::vector<NodeIndex> changed_nodes_;  // settle_changed_connectors' (a reused buffer)
    std::vector<char> node_changed_;
    std::vector<double> flow_;
    bool settled_ = false;  // the memo below is valid: flow_ and limits_ unchanged since
    std::vector<double> settled_connector_kw_;
    std::vector<double> settled_load_kw_;
    std::vector<PvPower> settled_pv_;  // node and used_kw count
    std::vector<EssPower> settled_ess_;
    std::vector<double> checked_kw_;             // check_phases' last pilots (none checked yet: empty)
    std::vector<Violation> checked_violations_;  // and what they broke
    std::vector<double> asked_kw_;          // per connector, what enforce_limits was asked (a reused buffer)
    std::vector<NodeLimits> limits_;        // per node
    std::vector<double> asked_ess_kw_;      // per battery, likewise
    std::vector<NodeIndex> limiting_node_;  // per connector, then per battery
    std::vector<std::uint32_t>
        limiting_phase_;  // per connector: the phase constraint that cut it last, or kNone
    bool enforce_phases_ = true;
};

// Power differences below this are rounding, not overloads.
inline constexpr double kPowerTolerance = 1e-6;
// Whether a node's flow (import positive) is beyond its import or export limit, past rounding.
inline bool beyond_limits(double flow_kw, double import_limit_kw, double export_limit_kw) {
    return flow_kw > import_limit_kw + kPowerTolerance || flow_kw < -export_limit_kw - kPowerTolerance;
}
// Current differences (A) below this are rounding, not overloads of a phase constraint.
inline constexpr double kCurrentTolerance = 1e-6;

}  // namespace evtwin
