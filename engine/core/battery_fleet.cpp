#include "core/battery_fleet.hpp"

#include "model/battery_wear.hpp"

#include <cmath>

namespace evtwin {

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

BatteryLife& BatteryFleet::plug(const SessionSpec& s, Time now, bool dc, std::optional<BatteryLife>& own) {
    BatteryLife* battery = nullptr;
    if (!s.vehicle_id.empty()) {
        auto [it, first] = index_.try_emplace(s.vehicle_id, fleet_.size());
        if (first) fleet_.push_back(make_battery(s, false, spec_.ambient_c, now));
        battery = &fleet_[it->second];
        if (battery->plugged())
            battery = nullptr;
        else
            battery->away_until(now, s.initial_soc);
    }
    if (!battery) battery = &own.emplace(make_battery(s, true, spec_.ambient_c, now));
    battery->plug(now, s.initial_soc, dc);
    return *battery;
}

void BatteryFleet::unplug(BatteryLife& battery, Time now, double soc, SessionRecord& r) const {
    r.soh = battery.soh();
    battery.unplug(now, soc);
    const Fade fade = battery.session_fade();
    r.fade_calendar = fade.calendar;
    r.fade_cycling = fade.cycling;
    r.value_per_fade = value_per_fade(battery.identity().capacity_kwh, spec_.ev_cost_per_kwh);
}

void BatteryFleet::add_ess(const EssSpec& e, Time start, EssView& view) {
    BatteryIdentity id;
    id.battery = ess_battery_name(e.name);
    id.model = e.name;
    id.chemistry = spec_.ess_chemistry;
    id.capacity_kwh = e.capacity_kwh;
    BatteryLife& battery = ess_.emplace_back(id, e.soh, spec_.ambient_c, start);
    battery.plug(start, e.soc_initial, false);
    view.wear =
        wear_of(battery, spec_.ess_cost_per_kwh, std::max(e.max_charge_kw, e.max_discharge_kw), start);
}

void BatteryFleet::finish(Time end, std::span<const double> ess_soc, RunSink& sink) {
    for (BatteryLife& battery : fleet_) {
        battery.away_until(end, battery.last_soc());
        BatteryUsage u = battery.usage(end);
        u.value_per_fade = value_per_fade(u.capacity_kwh, spec_.ev_cost_per_kwh);
        sink.battery_health(u);
    }
    for (std::size_t b = 0; b < ess_.size(); ++b) {
        ess_[b].unplug(end, ess_soc[b]);
        BatteryUsage u = ess_[b].usage(end);
        u.value_per_fade = value_per_fade(u.capacity_kwh, spec_.ess_cost_per_kwh);
        sink.battery_health(u);
    }
}

double BatteryFleet::value_per_fade(double capacity_kwh, double cost_per_kwh) const {
    return capacity_kwh * cost_per_kwh / (1.0 - spec_.end_of_life_soh);
}

BatteryWear BatteryFleet::wear_of(const BatteryLife& battery, double cost_per_kwh, double max_kw,
                                  Time t) const {
    const double nominal = battery.identity().capacity_kwh;
    const double usable = nominal * battery.soh();
    return wear_prices(battery.ageing(), nominal, usable, value_per_fade(nominal, cost_per_kwh),
                       usable > 0.0 ? max_kw / usable : 0.0, spec_.ambient_c.value_at(t));
}

void BatteryFleet::foresee(const SessionSpec& s, Time run_start, UpcomingSession& u) const {
    const VehicleSpec& v = s.vehicle;
    const bool priced = spec_.ev_cost_per_kwh > 0.0;
    if (!priced && v.soh <= 0.0 && v.model_year <= 0) return;  // an unknown age: its session's capacity
    const Time at = std::max(s.arrival, run_start);
    const BatteryLife battery = make_battery(s, true, spec_.ambient_c, at);
    u.capacity_kwh = held_capacity_kwh(battery, v);
    if (priced)
        u.wear = wear_of(battery, spec_.ev_cost_per_kwh, v.max_ac_kw > 0.0 ? v.max_ac_kw : v.max_dc_kw, at);
}

}  // namespace evtwin
