#pragma once
// The tiny site the formulation's extension tests work out by hand.
#include "plugins/milp/formulation/charging_model.hpp"

#include <evtwin/observation.hpp>

#include <vector>

namespace evtwin::milp::hand_sites {

inline constexpr double kExtensionTol = 1e-4;

// Grid (limit 100 kW both ways) -> one charger -> one connector (10 kW, V2G capable); one-hour
// periods with the given import and export prices.
struct ExtensionSite {
    std::vector<NodeView> nodes{
        {kNone, NodeKind::grid, 100.0, 100.0, 0.0}, {0, NodeKind::charger}, {1, NodeKind::connector}};
    std::vector<ConnectorView> connectors{{2, 1, 10.0, 0.0, {}, true, PilotState::A, kNone}};
    std::vector<SessionView> sessions;
    std::vector<UpcomingSession> upcoming;
    Forecast forecast;
    std::vector<EssView> ess;  // the site's batteries (none unless a test adds them)

    ExtensionSite(std::vector<double> import, std::vector<double> exp) {
        forecast.start = Time(0);
        forecast.step = Duration::hours(1);
        forecast.import_price = std::move(import);
        forecast.export_price = std::move(exp);
    }

    SessionView& plug(double remaining_kwh, Duration stay, double soc = 0.5) {
        SessionView s;
        s.id = 1;
        s.connector = 0;
        s.declared_departure = Time(0) + stay;
        s.requested_kwh = s.remaining_kwh = remaining_kwh;
        s.capacity_kwh = 40.0;
        s.soc = soc;
        s.min_soc = 0.25;
        s.max_charge_kw = s.recharge_kw = 10.0;
        s.max_discharge_kw = s.rated_discharge_kw = 10.0;
        s.v2g_allowed = true;
        connectors[0].state = PilotState::B;
        connectors[0].session = 0;
        sessions.push_back(s);
        return sessions.back();
    }

    // A vehicle to come (40 kWh at SoC 0.2, 10 kW AC) arriving after `arrives` and declaring `stay`.
    UpcomingSession& to_come(double requested_kwh, Duration arrives, Duration stay) {
        UpcomingSession u;
        u.id = 2;
        u.arrival = Time(0) + arrives;
        u.declared_departure = u.arrival + stay;
        u.requested_kwh = requested_kwh;
        u.capacity_kwh = 40.0;
        u.initial_soc = 0.2;
        u.max_ac_kw = 10.0;
        upcoming.push_back(u);
        return upcoming.back();
    }

    Observation observe() const {
        Observation obs;
        obs.now = Time(0);
        obs.control_period = Duration::hours(1);
        obs.nodes = nodes;
        obs.connectors = connectors;
        obs.sessions = sessions;
        obs.forecast = &forecast;
        obs.ess = ess;
        obs.upcoming = upcoming;
        obs.economics.v2g_price_factor =
            0.0;  // the operator keeps what V2G sells, unless a test pays drivers
        obs.run_end = Time(0) + Duration::hours(static_cast<std::int64_t>(forecast.import_price.size()));
        return obs;
    }
};

}  // namespace evtwin::milp::hand_sites
