#include "core/simulator_impl.hpp"

namespace evtwin {

// The batteries' lives: each vehicle's and the ESS's state of health, advanced along the SoC trace
// the engine integrates (record_and_reschedule gives it a point at every change of power).

namespace {

// A vehicle of unknown age and health is taken as a typical used one this old, whose present capacity
// is its session's: its nominal capacity is then that over its SoH.
constexpr double kUnknownAgeYears = 3.0;

struct InitialState {
    double soh;
    double nominal_kwh;
};

// Computed once per chemistry, and only for a chemistry the run meets: each takes years of
// reference use to age.
double unknown_age_soh(Chemistry chemistry) {
    if (chemistry == Chemistry::nmc) {
        static const double nmc = expected_soh(Chemistry::nmc, kUnknownAgeYears);
        return nmc;
    }
    static const double lfp = expected_soh(Chemistry::lfp, kUnknownAgeYears);
    return lfp;
}

InitialState initial_state(const VehicleSpec& v, Time t) {
    if (v.soh > 0.0) return {v.soh, v.capacity_kwh};
    if (v.model_year > 0) return {expected_soh(v.chemistry, age_years(v.model_year, t)), v.capacity_kwh};
    const double soh = unknown_age_soh(v.chemistry);
    return {soh, v.capacity_kwh / soh};
}

BatteryLife make_battery(const SessionSpec& s, bool own, const StepSeries& ambient_c, Time now) {
    const InitialState initial = initial_state(s.vehicle, now);
    BatteryIdentity id;
    id.vehicle = own ? "session " + std::to_string(s.id) : s.vehicle_id;
    id.battery = "ev:" + id.vehicle;
    id.model = s.vehicle.model;
    id.chemistry = s.vehicle.chemistry;
    id.model_year = s.vehicle.model_year;
    id.capacity_kwh = initial.nominal_kwh;
    return BatteryLife(id, initial.soh, ambient_c, now);
}

}  // namespace

double held_capacity_kwh(const BatteryLife& battery, const VehicleSpec& v) {
    const double usable_kwh = battery.identity().capacity_kwh * battery.soh();
    return std::abs(usable_kwh - v.capacity_kwh) > 1e-9 * v.capacity_kwh ? usable_kwh : v.capacity_kwh;
}

double Simulator::Impl::value_per_fade(double capacity_kwh, double cost_per_kwh) const {
    return capacity_kwh * cost_per_kwh / (1.0 - spec.battery.end_of_life_soh);
}

BatteryWear Simulator::Impl::wear_of(const BatteryLife& battery, double cost_per_kwh, double max_kw,
                                     Time t) const {
    const double nominal = battery.identity().capacity_kwh;
    const double usable = nominal * battery.soh();
    return wear_prices(battery.ageing(), nominal, usable, value_per_fade(nominal, cost_per_kwh),
                       usable > 0.0 ? max_kw / usable : 0.0, spec.battery.ambient_c.value_at(t));
}

void Simulator::Impl::foresee_battery(const SessionSpec& s, UpcomingSession& u) const {
    const VehicleSpec& v = s.vehicle;
    const bool priced = spec.battery.ev_cost_per_kwh > 0.0;
    if (!priced && v.soh <= 0.0 && v.model_year <= 0) return;  // an unknown age: its session's capacity
    const Time at = std::max(s.arrival, spec.start);
    const BatteryLife battery = make_battery(s, true, spec.battery.ambient_c, at);
    u.capacity_kwh = held_capacity_kwh(battery, v);
    if (priced)
        u.wear =
            wear_of(battery, spec.battery.ev_cost_per_kwh, v.max_ac_kw > 0.0 ? v.max_ac_kw : v.max_dc_kw, at);
}

BatteryLife& Simulator::Impl::plug_battery(ConnectorIndex c, const SessionSpec& s, bool dc) {
    const Time now = queue.now();
    ConnectorState& cs = connectors[c];
    BatteryLife* battery = nullptr;
    if (!s.vehicle_id.empty()) {
        auto [it, first] = fleet_index.try_emplace(s.vehicle_id, fleet.size());
        if (first) fleet.push_back(make_battery(s, false, spec.battery.ambient_c, now));
        battery = &fleet[it->second];
        // Real data has a driver's sessions overlap now and then (a shared account): the overlapping
        // one is charged as a vehicle of its own.
        if (battery->plugged())
            battery = nullptr;
        else
            battery->away_until(now, s.initial_soc);
    }
    if (!battery) battery = &cs.own_battery.emplace(make_battery(s, true, spec.battery.ambient_c, now));
    battery->plug(now, s.initial_soc, dc);
    cs.battery = battery;
    cs.wear = wear_of(*battery, spec.battery.ev_cost_per_kwh, charger_of(c)->max_kw, now);
    return *battery;
}

void Simulator::Impl::unplug_battery(ConnectorIndex c, SessionRecord& r) {
    ConnectorState& cs = connectors[c];
    BatteryLife& battery = *cs.battery;
    r.soh = battery.soh();
    battery.unplug(queue.now(), cs.vehicle->soc());
    const Fade fade = battery.session_fade();
    r.fade_calendar = fade.calendar;
    r.fade_cycling = fade.cycling;
    r.value_per_fade = value_per_fade(battery.identity().capacity_kwh, spec.battery.ev_cost_per_kwh);
    cs.battery = nullptr;
    cs.own_battery.reset();
}

void Simulator::Impl::start_batteries() {
    if (!spec.ess) return;
    BatteryIdentity id;
    id.battery = "ess";
    id.model = spec.ess->name;
    id.chemistry = spec.battery.ess_chemistry;
    id.capacity_kwh = spec.ess->capacity_kwh;
    ess_battery.emplace(id, spec.ess->soh, spec.battery.ambient_c, spec.start);
    ess_battery->plug(spec.start, ess->soc(), false);
    ess_view.soh = spec.ess->soh;
    ess_view.wear = wear_of(*ess_battery, spec.battery.ess_cost_per_kwh,
                            std::max(spec.ess->max_charge_kw, spec.ess->max_discharge_kw), spec.start);
}

void Simulator::Impl::finish_batteries(Time end) {
    for (BatteryLife& battery : fleet) {
        battery.away_until(end, battery.last_soc());
        BatteryUsage u = battery.usage(end);
        u.value_per_fade = value_per_fade(u.capacity_kwh, spec.battery.ev_cost_per_kwh);
        sink.battery_health(u);
    }
    if (ess_battery) {
        ess_battery->unplug(end, ess->soc());
        BatteryUsage u = ess_battery->usage(end);
        u.value_per_fade = value_per_fade(u.capacity_kwh, spec.battery.ess_cost_per_kwh);
        sink.battery_health(u);
    }
}

}  // namespace evtwin
