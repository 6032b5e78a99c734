#pragma once
// Hand-built observations for strategy tests, and a checker that recomputes node flows from a
// decision and holds it against every limit and every charger's setpoint rules.
#include <evtwin/observation.hpp>
#include <evtwin/strategy.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin::test {

inline constexpr double kTol = 1e-6;

// The version each baseline strategy reports: uncontrolled became load-managed in 2.0.0 (1.0.0 served
// by arrival, which is fcfs now).
inline const char* baseline_version(std::string_view name) {
    return name == "uncontrolled" ? "2.0.0" : "1.0.0";
}
inline constexpr std::int64_t kHourMs = 3'600'000;

class SiteFixture {
public:
    explicit SiteFixture(double grid_import_kw = kUnlimited) {
        nodes_.push_back(NodeView{kNone, NodeKind::grid, grid_import_kw, kUnlimited, 0.0});
    }

    NodeIndex grid() const { return 0; }

    NodeIndex add_node(NodeIndex parent, NodeKind kind, double import_kw) {
        nodes_.push_back(NodeView{parent, kind, import_kw, kUnlimited, 0.0});
        return static_cast<NodeIndex>(nodes_.size() - 1);
    }

    // Non-EV flow at `node` (PV negative, base load positive): it passes every node above.
    void add_fixed_flow(NodeIndex node, double kw) {
        for (NodeIndex n = node; n != kNone; n = nodes_[n].parent) nodes_[n].fixed_flow_kw += kw;
    }

    // A charger node limited to its rating, with one connector below it.
    ConnectorIndex add_charger(NodeIndex parent, double max_kw, double min_kw = 0.0,
                               std::vector<double> setpoints = {}) {
        const NodeIndex charger = add_node(parent, NodeKind::charger, max_kw);
        const NodeIndex connector = add_node(charger, NodeKind::connector, kUnlimited);
        setpoint_sets_.push_back(std::move(setpoints));
        ConnectorView c;
        c.node = connector;
        c.charger = charger;
        c.max_kw = max_kw;
        c.min_kw = min_kw;
        c.setpoints_kw = setpoint_sets_.back();
        connectors_.push_back(c);
        return static_cast<ConnectorIndex>(connectors_.size() - 1);
    }

    // Plugs a vehicle into `c`: times in hours after the epoch.
    SessionView& plug(ConnectorIndex c, double arrival_h, double departure_h, double remaining_kwh,
                      double max_charge_kw) {
        SessionView s;
        s.id = static_cast<SessionId>(sessions_.size() + 100);
        s.connector = c;
        s.arrival = Time(static_cast<std::int64_t>(arrival_h * kHourMs));
        s.declared_departure = Time(static_cast<std::int64_t>(departure_h * kHourMs));
        s.requested_kwh = remaining_kwh;
        s.remaining_kwh = remaining_kwh;
        s.capacity_kwh = 60.0;
        s.soc = 0.3;
        s.max_charge_kw = max_charge_kw;
        sessions_.push_back(s);
        connectors_[c].session = static_cast<std::uint32_t>(sessions_.size() - 1);
        connectors_[c].state = PilotState::C;
        return sessions_.back();
    }

    // A phase constraint: |Σ coefficient · kW · amps_per_kw · e^{j·phase}| <= limit_a.
    void add_phase_constraint(std::vector<ConnectorTerm> terms, double limit_a) {
        term_sets_.push_back(std::move(terms));
        phases_.push_back(PhaseConstraintView{term_sets_.back(), limit_a});
    }

    void set_now_h(double h) { now_ = Time(static_cast<std::int64_t>(h * kHourMs)); }
    std::vector<NodeView>& nodes() { return nodes_; }
    std::vector<ConnectorView>& connectors() { return connectors_; }
    std::vector<SessionView>& sessions() { return sessions_; }
    std::vector<PhaseConstraintView>& phase_constraints() { return phases_; }

    // Every connector free again, as before the first plug().
    void unplug_all() {
        sessions_.clear();
        for (ConnectorView& c : connectors_) {
            c.session = kNone;
            c.state = PilotState::A;
        }
    }

    Observation observation() const {
        Observation obs;
        obs.now = now_;
        obs.control_period = Duration::minutes(15);
        obs.nodes = nodes_;
        obs.connectors = connectors_;
        obs.sessions = sessions_;
        obs.phase_constraints = phases_;
        return obs;
    }

private:
    Time now_{0};
    std::vector<NodeView> nodes_;
    std::vector<ConnectorView> connectors_;
    std::vector<SessionView> sessions_;
    std::deque<std::vector<double>> setpoint_sets_;     // stable storage behind the connectors' spans
    std::deque<std::vector<ConnectorTerm>> term_sets_;  // behind the phase constraints' spans
    std::vector<PhaseConstraintView> phases_;
};

// A connector's term in a phase constraint, for a charger at `volts` and `phase_deg`.
inline ConnectorTerm phase_term(ConnectorIndex c, double coefficient, double volts, double phase_deg) {
    const double rad = phase_deg * 3.14159265358979323846 / 180.0;
    return ConnectorTerm{c, coefficient, 1000.0 / volts, std::cos(rad), std::sin(rad)};
}

// Magnitude (A) of a phase constraint's current phasor sum for these setpoints.
inline double phase_current_a(const PhaseConstraintView& k, const std::vector<double>& connector_kw) {
    double re = 0.0;
    double im = 0.0;
    for (const ConnectorTerm& t : k.terms) {
        re += t.coefficient * connector_kw[t.connector] * t.amps_per_kw * t.cos_phase;
        im += t.coefficient * connector_kw[t.connector] * t.amps_per_kw * t.sin_phase;
    }
    return std::hypot(re, im);
}

inline Decision decide(Strategy& strategy, const Observation& obs) {
    Decision d;
    d.connector_kw.assign(obs.connectors.size(), 0.0);
    strategy.decide(obs, d);
    return d;
}

// Flow through every node when the connectors draw their setpoints.
inline std::vector<double> node_flows(const Observation& obs, const Decision& d) {
    std::vector<double> flow(obs.nodes.size());
    for (std::size_t n = 0; n < obs.nodes.size(); ++n) flow[n] = obs.nodes[n].fixed_flow_kw;
    for (std::size_t c = 0; c < obs.connectors.size(); ++c)
        for (NodeIndex n = obs.connectors[c].node; n != kNone; n = obs.nodes[n].parent)
            flow[n] += d.connector_kw[c];
    return flow;
}

// Every rule a baseline decision must keep; returns a description of what is broken, empty if none.
inline std::string decision_problems(const Observation& obs, const Decision& d) {
    std::ostringstream out;
    if (d.connector_kw.size() != obs.connectors.size()) {
        out << "decision has " << d.connector_kw.size() << " setpoints for " << obs.connectors.size()
            << " connectors";
        return out.str();
    }
    for (const double kw : d.ess_kw)
        if (kw != 0.0) out << "ESS setpoint " << kw << " instead of 0; ";
    const std::vector<double> flow = node_flows(obs, d);
    for (std::size_t n = 0; n < obs.nodes.size(); ++n) {
        const NodeView& v = obs.nodes[n];
        const bool fixed_ok = v.fixed_flow_kw <= v.import_limit_kw + kTol;
        // When the non-EV flow alone breaks the limit, EV power must not add to it.
        const double limit = fixed_ok ? v.import_limit_kw : v.fixed_flow_kw;
        if (flow[n] > limit + kTol)
            out << "node " << n << " carries " << flow[n] << " kW over its limit " << limit << "; ";
    }
    for (std::size_t k = 0; k < obs.phase_constraints.size(); ++k) {
        const double amps = phase_current_a(obs.phase_constraints[k], d.connector_kw);
        if (amps > obs.phase_constraints[k].limit_a + kTol)
            out << "phase constraint " << k << " carries " << amps << " A over its limit "
                << obs.phase_constraints[k].limit_a << "; ";
    }
    for (std::size_t c = 0; c < obs.connectors.size(); ++c) {
        const ConnectorView& cv = obs.connectors[c];
        const double kw = d.connector_kw[c];
        if (!std::isfinite(kw) || kw < 0.0) out << "connector " << c << " setpoint " << kw << "; ";
        if (kw > cv.max_kw + kTol) out << "connector " << c << " above its rating: " << kw << "; ";
        if (kw > 0.0 && !cv.setpoints_kw.empty()) {
            bool allowed = false;
            for (double s : cv.setpoints_kw) allowed = allowed || std::abs(s - kw) <= kTol;
            if (!allowed) out << "connector " << c << " setpoint " << kw << " not in its set; ";
        }
        if (kw > 0.0 && kw < cv.min_kw - kTol)
            out << "connector " << c << " below its minimum: " << kw << "; ";
        const bool wants = cv.session != kNone && obs.sessions[cv.session].remaining_kwh > 0.0 &&
                           cv.state != PilotState::E && cv.state != PilotState::F;
        if (!wants && kw != 0.0) out << "connector " << c << " gets " << kw << " kW with nothing to charge; ";
    }
    return out.str();
}

}  // namespace evtwin::test
