#include "core/session_view.hpp"

namespace evtwin {

SessionView session_view(const PluggedVehicle& v, const ViewMode& mode) {
    SessionView sv;
    sv.id = v.id;
    sv.connector = v.connector;
    sv.arrival = v.arrival;
    sv.declared_departure = sv.expected_departure = v.declared_departure;
    sv.requested_kwh = v.vehicle->requested_kwh();
    sv.capacity_kwh = v.vehicle->capacity_kwh();
    sv.min_soc = v.vehicle->min_soc();
    sv.wear = v.wear;
    sv.needs = v.needs;
    sv.charge_efficiency = v.charger->efficiency;
    sv.v2g_allowed = v.vehicle->v2g_allowed() && v.charger->v2g_capable;
    sv.battery_charge_efficiency = v.vehicle->battery_charge_efficiency();
    sv.battery_discharge_efficiency = v.vehicle->battery_discharge_efficiency();
    // ACN-Sim's algorithms do not know the vehicle's curve.
    const ChargeStaircase& curve = v.vehicle->charge_curve();
    if (mode.mode != RunMode::acnsim && curve.tapers()) {
        sv.charge_curve = curve.points();
        sv.curve_rated_kw = curve.rated_kw();
    }
    update_session_view(sv, v, mode);
    return sv;
}

void update_session_view(SessionView& sv, const PluggedVehicle& plugged, const ViewMode& mode) {
    const Vehicle& v = *plugged.vehicle;
    const ChargerSpec& ch = *plugged.charger;
    sv.delivered_kwh = v.delivered_kwh();
    sv.remaining_kwh = v.remaining_kwh();
    sv.soc = v.soc();
    sv.soh = plugged.soh;
    // ACN-Sim's algorithms know the EVSE's largest pilot and the remaining demand in amp-periods,
    // not the vehicle's own limit.
    const bool acnsim = mode.mode == RunMode::acnsim;
    sv.recharge_kw = acnsim ? ch.max_kw : std::min(ch.max_kw, v.recharge_grid_kw());
    sv.rated_discharge_kw = ch.v2g_capable ? std::min(ch.max_kw, v.rated_discharge_grid_kw()) : 0.0;
    if (acnsim) {
        sv.max_charge_kw =
            std::min(ch.max_kw, v.remaining_kwh() / ch.efficiency / mode.control_period.hours_f());
        sv.max_discharge_kw =
            ch.v2g_capable ? v.period_discharge_grid_kw(ch.max_kw, mode.control_period) : 0.0;
    } else if (mode.mode == RunMode::decision_period) {
        sv.max_charge_kw = v.period_charge_grid_kw(ch.max_kw, mode.control_period);
        sv.max_discharge_kw =
            ch.v2g_capable ? v.period_discharge_grid_kw(ch.max_kw, mode.control_period) : 0.0;
    } else {
        sv.max_charge_kw = std::min(ch.max_kw, v.max_charge_grid_kw());
        sv.max_discharge_kw = ch.v2g_capable ? std::min(ch.max_kw, v.max_discharge_grid_kw()) : 0.0;
    }
    if (plugged.faulted)
        sv.max_charge_kw = sv.max_discharge_kw = sv.recharge_kw = sv.rated_discharge_kw = 0.0;
}

}  // namespace evtwin
