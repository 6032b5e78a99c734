// What the live site's rows add up, kept as it changes: each connector's grid power as estimated,
// the batteries' powers (held to their grid permissions as the import changes) and their flows
// through the nodes, PV and base load in the current control period, and the site's row from them.
#include "model/power_flow.hpp"
#include "serve/live/live_twin.hpp"

#include <algorithm>

namespace evtwin::serve {

namespace {

// The connector's grid-side power now: what its meter says, or, while its charge point is away,
// the limit it was last told (the most it may draw).
double grid_kw_of(const LiveConnectorState& cs, const ChargerSpec& ch) {
    if (!cs.online && cs.session) return cs.limit_kw;
    return grid_side_kw(cs.power_kw, ch.efficiency);
}

}  // namespace

void LiveTwin::sample(Time t, ConnectorIndex c) {
    const LiveConnectorState& cs = connectors_[c];
    const ChargerSpec& ch = spec_.chargers[site_.connectors()[c].charger_spec];
    const PilotState state = !cs.online || cs.faulted ? PilotState::F
                             : !cs.session            ? PilotState::A
                             : cs.power_kw != 0.0     ? PilotState::C
                                                      : PilotState::B;
    const double soc = cs.session ? soc_of(sessions_[*cs.session]) : 0.0;
    const double kw = cs.session ? grid_kw_of(cs, ch) : 0.0;
    sink_.connector_sample(t, c, kw, soc, state);
    // The site's and nodes' rows follow at the next commit or decision (sample_site): a row per
    // connector change would be most of the database.
    const double delta = kw - counted_kw_[c];
    if (delta == 0.0) return;
    counted_kw_[c] = kw;
    ev_kw_ += delta;
    for (NodeIndex n = site_.connectors()[c].node; n != kNone; n = site_.nodes()[n].parent)
        ev_flow_kw_[n] += delta;
    rows_due_ = true;
    hold_to_grid_permissions_now();
}

void LiveTwin::add_ess_flow(NodeIndex node, double delta_kw) {
    for (NodeIndex n = node; n != kNone; n = site_.nodes()[n].parent) ess_flow_kw_[n] += delta_kw;
    rows_due_ = true;
}

// PV, base load and their flows through the nodes in the control period of `t` (from the scenario's
// data, as a simulated run has them).
void LiveTwin::refresh_fixed_flows(Time t) {
    if (t < fixed_until_) return;
    cache_.fill(t, now_values_);
    pv_kw_ = now_values_.pv_kw.empty() ? 0.0 : now_values_.pv_kw[0];
    load_kw_ = now_values_.base_load_kw.empty() ? 0.0 : now_values_.base_load_kw[0];
    std::fill(fixed_flow_kw_.begin(), fixed_flow_kw_.end(), 0.0);
    for (const NodeFlowForecast& f : now_values_.node_fixed_flow)
        if (!f.kw.empty()) fixed_flow_kw_[f.node] = f.kw[0];
    fixed_until_ = now_values_.start + spec_.control_period;
    rows_due_ = true;
    hold_to_grid_permissions_now();
}

void LiveTwin::sample_site(Time t) {
    refresh_fixed_flows(t);
    if (!rows_due_) return;
    rows_due_ = false;
    for (std::size_t n = 0; n < flows_.size(); ++n) flows_[n] = ess_flow_kw_[n] + fixed_flow_kw_[n];
    SiteSample s;  // without the vehicles, whose power the settled rows add
    s.pv_kw = pv_kw_;
    s.load_kw = load_kw_;
    s.ess_kw = ess_total_kw();
    double stored_kwh = 0.0, capacity_kwh = 0.0;
    for (const Ess& e : ess_) {
        stored_kwh += e.soc() * e.spec().capacity_kwh;
        capacity_kwh += e.spec().capacity_kwh;
    }
    s.ess_soc = capacity_kwh > 0.0 ? stored_kwh / capacity_kwh : 0.0;
    s.grid_kw = s.ess_kw + load_kw_ - pv_kw_;
    sink_.site(t, flows_, s);
}

void LiveTwin::hold_ess(std::size_t b, double kw) {
    const double delta = kw - ess_kw_[b];
    if (delta == 0.0) return;
    ess_kw_[b] = kw;
    add_ess_flow(spec_.ess[b].node, delta);
    fleet_.ess_at(b, last_t_, ess_[b].soc());  // a point of its SoC trace, for its ageing
    sink_.ess_sample(last_t_, static_cast<std::uint32_t>(b), kw, ess_[b].soc());
}

void LiveTwin::let_go(std::size_t b, double kw) {
    const double delta = kw - ess_kw_[b];
    if (delta == 0.0) return;
    hold_ess(b, kw);
    // A node that was over its limit already (a charger that ignores its own) is the decision's to
    // record, not a reason to decide again at every reading.
    for (NodeIndex n = spec_.ess[b].node; n != kNone; n = site_.nodes()[n].parent) {
        const SiteNode& node = site_.nodes()[n];
        const double flow = ev_flow_kw_[n] + ess_flow_kw_[n] + fixed_flow_kw_[n];
        if (beyond_limits(flow, node.import_limit_kw, node.export_limit_kw) &&
            !beyond_limits(flow - delta, node.import_limit_kw, node.export_limit_kw))
            decision_due_ = true;
    }
}

std::vector<double> LiveTwin::within_grid_permissions(std::vector<double> kw) const {
    double site_kw = ev_kw_ + load_kw_ - pv_kw_;
    for (const double b : kw) site_kw += b;
    hold_to_grid_permissions<EssSpec>(spec_.ess, grid_permission_order_, site_kw, kw);
    return kw;
}

void LiveTwin::hold_to_grid_permissions_now() {
    if (grid_permission_order_.empty()) return;
    const std::vector<double> kw = within_grid_permissions(ess_decided_kw_);
    for (std::size_t b = 0; b < ess_.size(); ++b) let_go(b, kw[b]);
}

double LiveTwin::ess_total_kw() const {
    double kw = 0.0;
    for (const double b : ess_kw_) kw += b;
    return kw;
}

double LiveTwin::import_kw() const {
    return ev_kw_ + ess_total_kw() + load_kw_ - pv_kw_;
}

}  // namespace evtwin::serve
