#pragma once
// The small site the formulation tests work out by hand: one connector behind a 100 kW grid
// connection (export too), one vehicle plugged in since the run's start, prices per forecast step.
#include <evtwin/observation.hpp>

#include <vector>

namespace evtwin::milp {

struct OneVehicleSite {
    std::vector<NodeView> nodes{
        {kNone, NodeKind::grid, 100.0, 100.0, 0.0}, {0, NodeKind::charger}, {1, NodeKind::connector}};
    std::vector<ConnectorView> connectors;
    std::vector<SessionView> sessions;
    Forecast forecast;
    Duration period;

    // A charger of `charger_kw` that loses nothing, one step of the forecast per control period
    // of `period`, import prices `prices` (exports paid nothing), and a vehicle that wants
    // `wanted_kwh` of its 60 kWh battery at 20 % SoC and leaves when the prices end.
    OneVehicleSite(double charger_kw, Duration period, std::vector<double> prices, double wanted_kwh)
        : period(period) {
        connectors.push_back({2, 1, charger_kw, 0.0, {}, false, PilotState::B, 0});
        forecast.start = Time(0);
        forecast.step = period;
        forecast.import_price = std::move(prices);
        forecast.export_price.assign(forecast.import_price.size(), 0.0);
        SessionView s;
        s.id = 1;
        s.connector = 0;
        s.declared_departure = s.expected_departure = end();
        s.requested_kwh = s.remaining_kwh = wanted_kwh;
        s.capacity_kwh = 60.0;
        s.soc = 0.2;
        s.max_charge_kw = s.recharge_kw = charger_kw;
        sessions.push_back(s);
    }

    Time end() const {
        return forecast.start + period * static_cast<std::int64_t>(forecast.import_price.size());
    }
    SessionView& vehicle() { return sessions.front(); }

    Observation observe(Time now = Time(0)) const {
        Observation obs;
        obs.now = now;
        obs.run_start = Time(0);
        obs.run_end = end();
        obs.control_period = period;
        obs.nodes = nodes;
        obs.connectors = connectors;
        obs.sessions = sessions;
        obs.forecast = &forecast;
        return obs;
    }
};

}  // namespace evtwin::milp
