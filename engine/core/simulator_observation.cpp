#include "core/simulator_impl.hpp"
#include "model/charge_curve.hpp"

#include <string_view>
#include <unordered_map>

namespace evtwin {

// What a strategy sees at a decision point.

void Simulator::Impl::refresh_changed_views() {
    // A connector without a vehicle changes its view only when its plug or fault changes.
    for (const ConnectorIndex i : connectors.views_changed()) {
        sessions.remake_view(i);
        if (connectors.plugged(i)) continue;
        views.connector(i).state = faulted(i) ? PilotState::F : PilotState::A;
    }
    connectors.clear_views_changed();
    views.show_reservations(reservations);
}

const SessionView& Simulator::Impl::current_session_view(ConnectorIndex i) {
    bring_up_to_date(i, last);
    const SessionView& view =
        sessions.view(i, *charger_of(i), faulted(i), ViewMode{mode(), spec.control_period});
    // Charging is what the vehicle does from now on: one that became full at this instant has stopped
    // (as its charge point reports at once), though the power it held up to now is applied later.
    const double kw = power.connector_kw[i];
    const bool drawing = kw > 0.0 ? view.max_charge_kw > 0.0 : kw < 0.0 && view.max_discharge_kw > 0.0;
    views.connector(i).state = faulted(i) ? PilotState::F : drawing ? PilotState::C : PilotState::B;
    return view;
}

void Simulator::Impl::build_observation(Time t) {
    // Fixed flows: PV and base load only, as if no EV or ESS drew power. They change only when a
    // load or PV does; skipping compute() also keeps the flow's memo of the settled powers.
    if (fixed_flows_changed) {
        SitePower& fixed = fixed_power;  // copy-assigned into a member: no allocation per decision
        fixed = power;
        std::fill(fixed.connector_kw.begin(), fixed.connector_kw.end(), 0.0);
        for (EssPower& e : fixed.ess) e.kw = 0.0;
        place_loads(fixed.load_kw);
        for (PvPower& pv : fixed.pv) pv.used_kw = pv.available_kw;
        const std::vector<double>& flows = flow.compute(fixed);
        std::vector<NodeView>& nodes = views.nodes();
        for (std::size_t n = 0; n < nodes.size(); ++n) nodes[n].fixed_flow_kw = flows[n];
        fixed_flows_changed = false;
    }

    refresh_changed_views();
    views.clear_sessions();
    for (const ConnectorIndex i : connectors.occupied()) {
        SessionView& view = views.add_session(current_session_view(i));
        if (foresight.horizon.ms() > 0)
            view.expected_departure = forecasters.expected_departure(sessions.session(i), t);
    }
    for (std::size_t b = 0; b < ess.size(); ++b) views.set_ess_state(b, ess[b].battery);
    if (feeder && feeder->solution())
        views.set_feeder_state(feeder->site_voltages(), feeder->site_loadings(), feeder->site_kw(),
                               feeder.get());
    const bool refilled = site_scope && forecasts.update(t, forecast);
    const std::span<const UpcomingSession> upcoming = sessions.upcoming();
    const auto coming = upcoming.begin();
    const auto by_arrival = [](const UpcomingSession& u, Time x) { return u.arrival < x; };
    if (refilled) {
        const Time forecast_end =
            forecast.start + forecast.step * static_cast<std::int64_t>(forecast.import_price.size());
        forecasters.apply(t,
                          std::span<const UpcomingSession>(
                              coming, std::lower_bound(coming, upcoming.end(), forecast_end, by_arrival)),
                          forecast);
    }
    ObservationInputs in;
    in.now = t;
    in.mode = mode();
    in.forecast = &forecast;
    in.previous = &previous;
    if (site_scope) in.demand = demand.view(t);
    if (foresight.horizon.ms() > 0) {
        const Time until = foresight.horizon >= spec.end - t ? spec.end : t + foresight.horizon;
        const std::span<const UpcomingSession> truth(
            coming, std::lower_bound(coming, upcoming.end(), until, by_arrival));
        if (forecasters.demand_perfect()) {
            in.upcoming = truth;
        } else {
            forecasters.upcoming(t, until, truth, forecast, expected_upcoming);
            in.upcoming = expected_upcoming;
        }
    }
    views.build(in);
}

void Simulator::Impl::grant_foresight() {
    site_scope = strategy->scope() != DecisionScope::subtree;
    foresight = strategy->foresight();
    if (foresight.horizon.ms() <= 0) return;
    forecasts.extend_horizon(foresight.horizon);
    const bool whole_run = foresight.horizon >= spec.end - spec.start;
    const std::string ahead =
        whole_run ? "whole run" : std::to_string(foresight.horizon.ms() / 60'000) + " min ahead";
    sink.event(spec.start, EventKind::strategy, kNone, 0,
               forecasters.demand_perfect()
                   ? "foresight: perfect, " + ahead
                   : "foresight: " + spec.forecast.demand.name + " demand forecast, " + ahead);
}

void Simulator::Impl::build_upcoming() {
    std::unordered_map<std::string_view, NodeIndex> charger_by_name;
    for (const SiteConnector& c : site.connectors())
        charger_by_name.emplace(spec.chargers[c.charger_spec].name, c.charger);
    const bool foresighted = foresight.horizon.ms() > 0;
    std::vector<UpcomingSession> all;
    all.reserve(spec.sessions.size());
    for (const SessionSpec& s : spec.sessions) {
        UpcomingSession u;
        u.id = s.id;
        u.arrival = effective(s.arrival);
        u.declared_departure = s.declared_departure;
        u.departure = effective(s.departure);
        u.requested_kwh = requested_inlet_kwh(s);
        u.initial_soc = s.initial_soc;
        u.capacity_kwh = s.vehicle.capacity_kwh;
        u.min_soc = s.vehicle.min_soc;
        u.max_ac_kw = s.vehicle.max_ac_kw;
        u.max_dc_kw = s.vehicle.max_dc_kw;
        u.v2g_allowed = s.vehicle.v2g_allowed;
        u.max_discharge_kw = s.vehicle.v2g_allowed ? s.vehicle.max_discharge_kw : 0.0;
        if (mode() != RunMode::acnsim && curve_tapers(s.vehicle.curve)) u.charge_curve = s.vehicle.curve;
        u.battery_charge_efficiency = s.vehicle.charge_efficiency;
        u.battery_discharge_efficiency = s.vehicle.discharge_efficiency;
        u.needs = s.needs;
        if (foresighted) fleet.foresee(s, spec.start, u);
        if (const auto it = charger_by_name.find(s.station);
            !s.station.empty() && it != charger_by_name.end())
            u.charger = it->second;
        all.push_back(u);
    }
    sessions.set_upcoming(std::move(all));
}

void Simulator::Impl::record_strategy_events(Time t, Decision& d) {
    for (const StrategyEvent& e : d.events)
        sink.event(t, EventKind::strategy, kNone, 0, e.detail.empty() ? e.kind : e.kind + ": " + e.detail);
    d.events.clear();
}

}  // namespace evtwin
