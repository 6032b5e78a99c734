#pragma once
// The one builder of the Observation a strategy sees, whoever keeps the site's state: the
// simulator (a simulated run), the live twin (a site driven over OCPP). It holds the views that
// live as long as the run (nodes, connectors, phase constraints, the ESS's ratings) and fills every
// field of the Observation from what its owner tells it at a decision instant, so that a field the
// SDK gains is filled in one place and the two Observations cannot drift apart.
#include "core/session_view.hpp"
#include "model/ess.hpp"
#include "model/reservation_book.hpp"
#include "model/scenario_spec.hpp"
#include "model/site.hpp"

#include <evtwin/observation.hpp>

#include <span>
#include <vector>

namespace evtwin {

// What changes between decision instants besides the views: given at each build.
struct ObservationInputs {
    Time now;
    RunMode mode = RunMode::event;
    const Forecast* forecast = nullptr;
    const Decision* previous = nullptr;
    DemandView demand;
    std::span<const UpcomingSession> upcoming;
};

// The scenario's economics as the SDK shows them.
EconomicsView economics_view(const Economics& economics);

class ObservationBuilder {
public:
    // The site's views as the scenario makes them: its node limits, its chargers, its phase
    // constraints, its batteries with their ratings.
    ObservationBuilder(const ScenarioSpec& spec, const Site& site);
    ObservationBuilder(const ObservationBuilder&) = delete;
    ObservationBuilder& operator=(const ObservationBuilder&) = delete;

    // Node views: their limits change when a scenario's hook changes them, their fixed flows (PV and
    // base load) when those do.
    std::vector<NodeView>& nodes() { return nodes_; }
    const std::vector<NodeView>& nodes() const { return nodes_; }
    // A connector's view; its session index is set by add_session, cleared by clear_sessions.
    ConnectorView& connector(ConnectorIndex c) { return connectors_[c]; }
    const ConnectorView& connector(ConnectorIndex c) const { return connectors_[c]; }
    // Battery b's view (ScenarioSpec::ess): its wear prices are its owner's to set.
    EssView& ess(std::size_t b) { return ess_[b]; }
    // Battery b's state now: its SoC and what it can take or give.
    void set_ess_state(std::size_t b, const Ess& ess);

    // The connectors whose hold by a reservation began or ended (book.changed()) shown as the book
    // has them now, and the book's list of changes cleared.
    void show_reservations(ReservationBook& book);

    // The voltages of the feeder's buses where the site's nodes are, in FeederView::voltages' order
    // (FeederCoupling::site_voltages), and the loadings of their supply paths' branches, in
    // FeederView::loadings' (FeederCoupling::site_loadings), what the attached nodes imported at that
    // solve (FeederCoupling::site_kw) and the sensitivities of both around it: from the first call
    // on, the Observation shows the feeder.
    void set_feeder_state(std::span<const double> v_pu, std::span<const double> loadings,
                          std::span<const double> attached_kw, const FeederSensitivity* sensitivity);

    // The vehicles plugged in, added in connector order after clear_sessions.
    void clear_sessions();
    SessionView& add_session(const SessionView& view);

    // The Observation at `in.now`, its views those held here (valid until the next change to them).
    const Observation& build(const ObservationInputs& in);
    // The Observation of a part of the site (a subtree, decided alone): its own views, renumbered
    // from 0, no batteries, no phase constraints and no feeder; the rest as build() fills it.
    Observation build_part(const ObservationInputs& in, std::span<const NodeView> nodes,
                           std::span<const ConnectorView> connectors,
                           std::span<const SessionView> sessions) const;
    const Observation& observation() const { return observation_; }

private:
    // What every Observation of the run has, whatever its views.
    void fill_run(const ObservationInputs& in, Observation& o) const;

    const ScenarioSpec& spec_;
    std::vector<NodeView> nodes_;
    std::vector<ConnectorView> connectors_;
    std::vector<SessionView> sessions_;
    std::vector<PhaseConstraintView> phases_;  // spans into the site's terms
    PhaseTermIndex phase_index_;
    std::vector<EssView> ess_;
    FeederView feeder_;
    std::vector<BusVoltageView> bus_voltages_;        // the feeder's, when the scenario has one
    std::vector<BranchLoadingView> branch_loadings_;  // the same
    std::vector<AttachedNodeView> attached_;          // the same
    Observation observation_;
};

}  // namespace evtwin
