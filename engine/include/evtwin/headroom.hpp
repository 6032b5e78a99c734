#pragma once
// Bookkeeping a strategy uses to hand out power without breaking a node limit: it tracks the flow
// through every node of the site tree as power is granted to connectors (or to the ESS).
#include <evtwin/observation.hpp>

#include <algorithm>
#include <vector>

namespace evtwin {

class Headroom {
public:
    explicit Headroom(const Observation& obs) : nodes_(obs.nodes), connectors_(obs.connectors) {
        flow_kw_.reserve(nodes_.size());
        for (const NodeView& n : nodes_) flow_kw_.push_back(n.fixed_flow_kw);
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

    double charge_room(ConnectorIndex c) const { return charge_room_at(connectors_[c].node); }
    double discharge_room(ConnectorIndex c) const { return discharge_room_at(connectors_[c].node); }

    // Adds `kw` (negative: discharge) to every node from `node` up to the grid connection.
    void take_at(NodeIndex node, double kw) {
        for (NodeIndex n = node; n != kNone; n = nodes_[n].parent) flow_kw_[n] += kw;
    }
    void take(ConnectorIndex c, double kw) { take_at(connectors_[c].node, kw); }

    // Grants as much of `wanted_kw` (>= 0) as the limits allow at connector `c` and returns it.
    double grant(ConnectorIndex c, double wanted_kw) {
        const double granted = std::min(wanted_kw, charge_room(c));
        take(c, granted);
        return granted;
    }

    double flow_kw(NodeIndex n) const { return flow_kw_[n]; }

private:
    std::span<const NodeView> nodes_;
    std::span<const ConnectorView> connectors_;
    std::vector<double> flow_kw_;
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
