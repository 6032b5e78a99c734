// The live twin's state as the outlook's simulations start from it (live_outlook.hpp).
#include "serve/live/live_twin.hpp"

#include <algorithm>

namespace evtwin::serve {

OutlookStart LiveTwin::outlook_start(Time t, Duration horizon) {
    // The forecast is the Observation's: it changes only between decisions.
    std::lock_guard deciding(decide_mutex_);
    std::lock_guard lock(mutex_);
    t = std::max(t, last_t_);
    if (cache_.update(t, forecast_)) forecasters_.apply(t, {}, forecast_);

    OutlookStart out;
    out.forecast = forecast_;
    out.demand_peak_kw = demand_.peak_kw();
    ScenarioSpec& spec = out.spec;
    spec = spec_;
    spec.start = t;
    spec.end = std::min(spec_.end, t + horizon);
    // A fork runs no script (its hooks belong to the live run) and its strategies see each drawn
    // future as a simulation shows a run its own data.
    spec.script = nullptr;
    spec.price_events = nullptr;
    spec.forecast = ForecastSpec{};
    spec.forecast.holidays = spec_.forecast.holidays;
    spec.rl.reset();
    for (std::size_t b = 0; b < ess_.size(); ++b) spec.ess[b].soc_initial = ess_[b].soc();

    double largest_kw = 0.0;
    for (const ChargerSpec& ch : spec_.chargers) largest_kw = std::max(largest_kw, ch.max_kw * ch.efficiency);
    out.typical.vehicle.capacity_kwh = spec_.live.capacity_kwh;
    out.typical.vehicle.max_ac_kw = out.typical.vehicle.max_dc_kw = largest_kw;
    out.typical.vehicle.charge_efficiency = out.typical.vehicle.discharge_efficiency = 1.0;
    out.typical.soc = spec_.live.soc;

    for (std::size_t c = 0; c < connectors_.size(); ++c) {
        const LiveConnectorState& cs = connectors_[c];
        if (!cs.session) continue;
        const Session& s = sessions_[*cs.session];
        const ChargerSpec& ch = spec_.chargers[site_.connectors()[c].charger_spec];
        const Vehicle now = live_vehicle(s, batteries_[c].vehicle, ch, cs.power_kw, t);
        SessionSpec session = session_spec(s);
        session.vehicle.capacity_kwh = batteries_[c].vehicle.capacity_kwh;
        session.arrival = t;
        // One past its declared departure is still here: it stays to the window's end.
        session.departure = session.declared_departure =
            s.declared_departure > t ? s.declared_departure : spec.end;
        session.initial_soc = now.soc();
        session.requested_kwh = now.remaining_kwh();
        spec.sessions.push_back(session);
        out.present.push_back(
            {s.id, static_cast<ConnectorIndex>(c), session.departure, s.requested_kwh, now.delivered_kwh()});
    }
    return out;
}

}  // namespace evtwin::serve
