#include "core/observation_builder.hpp"

#include "core/feeder_coupling.hpp"
#include "model/feeder_spec.hpp"

namespace evtwin {

EconomicsView economics_view(const Economics& e) {
    return {e.charging_price_per_kwh, e.v2g_price_factor, e.ev_degradation_per_kwh, e.ess_degradation_per_kwh,
            e.pv_curtailment_cost_per_kwh};
}

ObservationBuilder::ObservationBuilder(const ScenarioSpec& spec, const Site& site) : spec_(spec) {
    for (const SiteNode& n : site.nodes())
        nodes_.push_back(NodeView{n.parent, n.kind, n.import_limit_kw, n.export_limit_kw, 0.0});
    for (const SiteConnector& sc : site.connectors()) {
        const ChargerSpec& ch = spec.chargers[sc.charger_spec];
        connectors_.push_back(ConnectorView{
            sc.node, sc.charger, ch.max_kw, ch.min_kw, std::span<const double>(ch.setpoints_kw),
            ch.v2g_capable, PilotState::A, kNone, ch.voltage_v, ch.efficiency, ch.dc, false, Time{}});
    }
    for (const SitePhaseConstraint& k : site.phase_constraints())
        phases_.push_back(PhaseConstraintView{std::span<const ConnectorTerm>(k.terms), k.limit_a});
    phase_index_ = PhaseTermIndex(phases_, connectors_.size());
    for (const EssSpec& e : spec.ess) {
        EssView& view = ess_.emplace_back();
        view.node = e.node;
        view.capacity_kwh = e.capacity_kwh * e.soh;
        view.soc = e.soc_initial;
        view.soc_min = e.soc_min;
        view.soc_max = e.soc_max;
        view.rated_charge_kw = e.max_charge_kw;
        view.rated_discharge_kw = e.max_discharge_kw;
        view.charge_efficiency = e.charge_efficiency;
        view.discharge_efficiency = e.discharge_efficiency;
        view.soh = e.soh;
        view.end_value_per_kwh = e.end_value_per_kwh;
        if (e.end_soc) view.end_soc = *e.end_soc;
        view.grid_charge = e.grid_charge;
        view.grid_discharge = e.grid_discharge;
        view.priority = e.priority;
    }
    if (spec.feeder) {
        feeder_.v_min_pu = spec.feeder->v_min_pu;
        feeder_.v_max_pu = spec.feeder->v_max_pu;
        for (const FeederSite& s : spec.feeder->sites) {
            attached_.push_back(AttachedNodeView{s.node, 0.0});
            const BusBand band = band_of(*spec.feeder, s.bus);
            for (const int phase : s.conductors)
                bus_voltages_.push_back(BusVoltageView{s.node, static_cast<std::uint8_t>(phase), 1.0,
                                                       band.v_min_pu, band.v_max_pu});
        }
        feeder_.voltages = bus_voltages_;
        const auto paths = feeder_site_paths(*spec.feeder);
        for (std::size_t k = 0; k < paths.size(); ++k)
            for (const std::size_t branch : paths[k])
                branch_loadings_.push_back(
                    BranchLoadingView{spec.feeder->sites[k].node, static_cast<std::uint32_t>(branch), 0.0});
        feeder_.loadings = branch_loadings_;
        feeder_.max_loading = spec.feeder->max_loading;
        feeder_.attached = attached_;
    }
}

void ObservationBuilder::set_feeder_state(std::span<const double> v_pu, std::span<const double> loadings,
                                          std::span<const double> attached_kw,
                                          const FeederSensitivity* sensitivity) {
    for (std::size_t i = 0; i < bus_voltages_.size() && i < v_pu.size(); ++i) bus_voltages_[i].v_pu = v_pu[i];
    for (std::size_t i = 0; i < branch_loadings_.size() && i < loadings.size(); ++i)
        branch_loadings_[i].loading = loadings[i];
    for (std::size_t i = 0; i < attached_.size() && i < attached_kw.size(); ++i)
        attached_[i].import_kw = attached_kw[i];
    feeder_.sensitivity = sensitivity;
    feeder_.present = !bus_voltages_.empty();
}

void ObservationBuilder::set_ess_state(std::size_t b, const Ess& ess) {
    ess_[b].soc = ess.soc();
    ess_[b].max_charge_kw = ess.max_charge_grid_kw();
    ess_[b].max_discharge_kw = ess.max_discharge_grid_kw();
}

void ObservationBuilder::show_reservations(ReservationBook& book) {
    for (const ConnectorIndex c : book.changed()) {
        const Reservation* r = book.holder(c);
        connectors_[c].reserved = r != nullptr;
        connectors_[c].reserved_until = r ? r->to : Time{};
    }
    book.clear_changed();
}

void ObservationBuilder::clear_sessions() {
    for (const SessionView& s : sessions_) connectors_[s.connector].session = kNone;
    sessions_.clear();
}

SessionView& ObservationBuilder::add_session(const SessionView& view) {
    connectors_[view.connector].session = static_cast<std::uint32_t>(sessions_.size());
    return sessions_.emplace_back(view);
}

void ObservationBuilder::fill_run(const ObservationInputs& in, Observation& o) const {
    o.now = in.now;
    o.control_period = spec_.control_period;
    o.mode = in.mode;
    o.forecast = in.forecast;
    o.previous = in.previous;
    o.run_start = spec_.start;
    o.run_end = spec_.end;
    o.demand = in.demand;
    o.upcoming = in.upcoming;
    o.economics = economics_view(spec_.economics);
}

const Observation& ObservationBuilder::build(const ObservationInputs& in) {
    Observation& o = observation_;
    fill_run(in, o);
    o.nodes = nodes_;
    o.connectors = connectors_;
    o.sessions = sessions_;
    o.ess = ess_;
    o.phase_constraints = phases_;
    o.phase_terms = &phase_index_;
    o.feeder = feeder_;
    return o;
}

Observation ObservationBuilder::build_part(const ObservationInputs& in, std::span<const NodeView> nodes,
                                           std::span<const ConnectorView> connectors,
                                           std::span<const SessionView> sessions) const {
    Observation o;
    fill_run(in, o);
    o.nodes = nodes;
    o.connectors = connectors;
    o.sessions = sessions;
    return o;
}

}  // namespace evtwin
