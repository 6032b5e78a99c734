#pragma once
// Decisions of subtrees (DecisionScope::subtree): between control ticks, a vehicle that comes, goes
// or changes what it takes is decided in the smallest subtree that holds it and every node that may
// limit its grants; the other connectors keep their setpoints. strategy.hpp says why that is the
// decision of the whole site.
//
// It reads the site, the node and connector views, the connector table, the connectors' limits and
// the decision in force, asks the strategy, and writes only its own state, which keeps these
// invariants:
// - granted_up_below(n) and granted_down_below(n) are the sums of the increases and decreases that
//   the decision in force grants to the connectors below node n (as running sums, made anew at each
//   decision of the whole site);
// - a connector is listed to be decided again once, from the change that listed it until decided();
// - outside decide(), no node carries a change of an instant's parts.
#include "core/connector_table.hpp"
#include "core/decision_check.hpp"
#include "core/observation_builder.hpp"
#include "core/subtrees.hpp"
#include "model/demand_meter.hpp"

#include <evtwin/strategy.hpp>

#include <functional>
#include <span>
#include <vector>

namespace evtwin {

// Drops from `tops` the duplicates and the tops inside another's subtree; the rest ascending.
void keep_outermost_tops(const Site& site, std::vector<NodeIndex>& tops);

class SubtreeDecisions {
public:
    // A subtree's decision at an instant.
    struct Part {
        NodeIndex top = kNone;
        Decision decision;                  // indexed as the subtree's connectors
        std::vector<Violation> violations;  // what the engine's check clipped, site indices
        double seconds = 0.0;               // what the strategy took to decide it
    };
    // Connector c's session view as the strategy sees it now (its connector view's state set too).
    using SessionViewOf = std::function<const SessionView&(ConnectorIndex)>;

    // The views, table, limits, forecast and meter are the simulator's, read at each decide().
    SubtreeDecisions(const ScenarioSpec& spec, const Site& site, const ObservationBuilder& views,
                     const ConnectorTable& connectors, const std::vector<ConnectorLimits>& limits,
                     const Forecast& forecast, const DemandMeter& demand, Strategy& strategy,
                     SessionViewOf session_view);

    // Connector c's vehicle came, went or changed what it takes since the last decision.
    void redecide(ConnectorIndex c) {
        if (redecide_flag_[c]) return;
        redecide_flag_[c] = 1;
        redecide_.push_back(c);
    }
    std::span<const ConnectorIndex> to_redecide() const { return redecide_; }

    // After a decision of the whole site, `in_force`: the grants below each node anew, and no
    // connector left to decide again.
    void reset(const Decision& in_force);
    // Connector c's grant goes from old_kw to kw.
    void regrant(ConnectorIndex c, double old_kw, double kw);
    double granted_up_below(NodeIndex n) const { return granted_up_below_[n]; }
    double granted_down_below(NodeIndex n) const { return granted_down_below_[n]; }

    // Whether no grant below node n could be limited by it, with the grants below it those in
    // force, more_kw more of charging and less_kw more of discharging.
    bool slack(NodeIndex n, double more_kw = 0.0, double less_kw = 0.0) const;
    // The top of the subtree to decide for connector c: the highest node above it that is not
    // slack, at least its charger node.
    NodeIndex top_for(ConnectorIndex c) const;

    // Decides at t the subtrees of the connectors to decide again, `in_force` the decision the
    // others keep; false when only a decision of the whole site will do (the parts reach the grid,
    // or the strategy's answer is not one of a subtree). Then parts() holds the decisions.
    bool decide(Time t, const Decision& in_force);
    std::span<Part> parts() { return parts_; }
    // The site's indices of the connectors of a part, in its decision's order.
    std::span<const ConnectorIndex> connectors_of(const Part& part) {
        return subtrees_.of(part.top).connectors;
    }
    // The parts are applied: no connector is left to decide again.
    void decided();

private:
    // Asks the strategy for the decision of the subtree under part.top and checks it; false when
    // the strategy's answer is not one of a subtree (an ESS setpoint, or the wrong size).
    bool decide_part(Time t, const Decision& in_force, Part& part);
    // Adds at every node above the part's top how its decision changes the grants below that node.
    void add_changes_above(const Part& part, const Decision& in_force);
    // The highest node above `top` that the changes leave not slack, or kNone.
    NodeIndex limiting_node_above(NodeIndex top) const;
    void clear_changes_above();

    const Site& site_;
    const ObservationBuilder& views_;
    const ConnectorTable& connectors_;
    const std::vector<ConnectorLimits>& limits_;
    const Forecast& forecast_;
    const DemandMeter& demand_;
    Strategy& strategy_;
    SessionViewOf session_view_;
    Subtrees subtrees_;

    std::vector<ConnectorIndex> redecide_;
    std::vector<char> redecide_flag_;
    std::vector<double> granted_up_below_, granted_down_below_;
    // Per node, the largest charger rating below it, and the largest of a V2G charger.
    std::vector<double> max_charge_below_, max_discharge_below_;

    std::vector<NodeIndex> tops_;  // of this instant's subtrees
    std::vector<Part> parts_;
    std::vector<NodeView> part_nodes_;
    std::vector<ConnectorView> part_connectors_;
    std::vector<SessionView> part_sessions_;
    Decision part_previous_;
    std::vector<double> up_delta_, down_delta_;  // per node: the changes this instant's parts make
    std::vector<char> delta_touched_;
    std::vector<NodeIndex> touched_;  // the nodes whose deltas are set
};

}  // namespace evtwin
