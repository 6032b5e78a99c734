#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/formulation/charge_taper.hpp"
#include "plugins/milp/formulation/model_builder.hpp"
#include "plugins/milp/formulation/vehicle_jobs.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace evtwin::milp {

// The forecast value in force at time t: the step containing it, the last one past the end,
// `fallback` without a series.
double forecast_at(const Forecast* forecast, const std::vector<double>& series, Time t, double fallback) {
    if (forecast == nullptr || series.empty() || forecast->step.ms() <= 0) return fallback;
    const std::int64_t i = std::max<std::int64_t>(0, (t - forecast->start) / forecast->step);
    return series[static_cast<std::size_t>(
        std::min<std::int64_t>(i, static_cast<std::int64_t>(series.size()) - 1))];
}

namespace {

// Where in the horizon the vehicle leaves, from 0 (at its start) to 1: of two vehicles charging in
// one period, the one that leaves first is preferred, so that equal plans are not left to the solver.
double leaving_fraction(const VehicleJob& job, const std::vector<Time>& bounds) {
    const auto span_ms = static_cast<double>((bounds.back() - bounds.front()).ms());
    return std::clamp(static_cast<double>((job.departure - bounds.front()).ms()) / span_ms, 0.0, 1.0);
}

// An option of the operator's money where given (>= 0), else the site's economics.
double option_or_site(double option, double site) {
    return option >= 0 ? option : site;
}

// Adds the jobs' arrivals, departures and goal times strictly inside the plan as bounds; one within a
// second of a bound is left out (a period that short changes nothing but the model's conditioning).
void cut_at_events(std::vector<Time>& bounds, const std::vector<VehicleJob>& jobs) {
    std::vector<Time> cuts;
    for (const VehicleJob& job : jobs)
        for (const Time t : {job.arrival, job.departure, job.goal_by})
            if (t > bounds.front() && t < bounds.back()) cuts.push_back(t);
    std::sort(cuts.begin(), cuts.end());
    std::vector<Time> cut;
    cut.reserve(bounds.size() + cuts.size());
    auto next = cuts.begin();
    for (const Time bound : bounds) {
        for (; next != cuts.end() && *next < bound; ++next)
            if (*next - cut.back() >= Duration::seconds(1)) cut.push_back(*next);
        if (cut.size() > 1 && bound - cut.back() < Duration::seconds(1))
            cut.pop_back();  // a cut, never a bound
        if (cut.empty() || bound > cut.back()) cut.push_back(bound);
    }
    bounds = std::move(cut);
}

// The horizon: up to the last planned departure (and the forecast's end with an ESS, and
// `horizon_end`), within max_horizon and the run; then each period's bounds, hours and prices.
void set_periods(ChargingModel& cm, const Observation& obs, const ChargingOptions& options,
                 const std::vector<VehicleJob>& jobs, bool with_ess, Time horizon_end) {
    const Forecast* forecast = obs.forecast;
    Time end = obs.now;
    for (const VehicleJob& job : jobs) end = std::max(end, job.departure);
    if (with_ess && forecast != nullptr && forecast->step.ms() > 0)
        end = std::max(
            end, forecast->start + forecast->step * static_cast<std::int64_t>(forecast->import_price.size()));
    end = std::max(end, horizon_end);
    end = std::min(end, obs.now + options.max_horizon);
    if (obs.run_end > obs.now) end = std::min(end, obs.run_end);
    cm.bounds = period_bounds(obs, end);
    if (options.event_periods) cut_at_events(cm.bounds, jobs);
    cm.periods = static_cast<int>(cm.bounds.size()) - 1;
    for (int t = 0; t < cm.periods; ++t) {
        const Time from = cm.bounds[t];
        cm.hours.push_back((cm.bounds[t + 1] - from).hours_f());
        cm.import_price.push_back(
            forecast_at(forecast, forecast ? forecast->import_price : std::vector<double>{}, from, 0.0));
        // The meter nets import and export: where export pays more than import, a plan that valued it
        // so would "earn" the spread by buying and selling at once. Valuing export at the import
        // price there removes that without a binary per period (exact, but it made day_ahead on
        // v2g_profit_max.lua take minutes instead of seconds); the plan undervalues real exports by
        // the spread.
        const double import_price = cm.import_price.back();
        cm.export_price.push_back(std::min(
            import_price,
            forecast_at(forecast, forecast ? forecast->export_price : std::vector<double>{}, from, 0.0)));
    }
}

double unmet_penalty(const ChargingOptions& options, const std::vector<double>& import_price) {
    if (options.unmet_penalty_per_kwh >= 0) return options.unmet_penalty_per_kwh;
    double dearest = 0.0;
    for (double price : import_price) dearest = std::max(dearest, std::abs(price));
    return std::max(10.0, 20.0 * dearest);
}

double overshoot_penalty(const std::vector<double>& import_price) {
    double dearest = 0.0;
    for (double price : import_price) dearest = std::max(dearest, std::abs(price));
    return std::max(5.0, 10.0 * dearest);
}

ChargerRange charger_range(const VehicleJob& job, double bound_kw, const ConnectorView& connector,
                           const ChargingOptions& options, Duration period) {
    ChargerRange range;
    if (options.setpoint_binaries)
        for (double setpoint : connector.setpoints_kw)
            if (setpoint > kPlanningEps && setpoint <= bound_kw + 1e-6) range.setpoints.push_back(setpoint);
    range.max_kw = bound_kw;
    if (!connector.setpoints_kw.empty()) {
        double best = 0.0;  // the largest allowed setpoint within the bound
        for (double setpoint : connector.setpoints_kw)
            if (setpoint <= range.max_kw + 1e-6) best = std::max(best, setpoint);
        range.max_kw = best;
    }
    if (!connector.setpoints_kw.empty() || connector.min_kw > kPlanningEps)
        range.overshoot_kwh = range.max_kw * period.hours_f() * job.efficiency;
    return range;
}

}  // namespace

bool ModelBuilder::exclusive_in(int t) const {
    if (!integral(t)) return false;
    if (options_.exclusive == Exclusivity::always) return true;
    if (options_.exclusive == Exclusivity::never) return false;
    // Charging and discharging at once only burns energy in losses: that pays only when
    // energy has a negative price.
    return cm_.import_price[t] < 0.0 || cm_.export_price[t] < 0.0;
}

void ModelBuilder::add_flow_through(NodeIndex node, int t, Var take, const Var* give) {
    for (NodeIndex n = node; n != kNone && n < obs_.nodes.size(); n = obs_.nodes[n].parent) {
        node_takes_[n][t].add(take, 1.0);
        if (give != nullptr) node_gives_[n][t].add(*give, 1.0);
    }
}

void ModelBuilder::add_vehicle(const VehicleJob& job) {
    const std::string tag = std::string("s").append(std::to_string(job.id));
    PlannedSession planned;
    planned.id = job.id;
    planned.session = job.session;
    planned.connector = job.connector;
    planned.need_kwh = job.need_kwh;
    planned.room_kwh = job.room_kwh;
    planned.floor_kwh = job.floor_kwh;
    planned.efficiency = job.efficiency;
    planned.first = cm_.period_at(job.arrival);
    planned.slack = model_.add_continuous(0.0, job.goal_kwh, tag + ".unmet");
    cost_.add(planned.slack, cm_.unmet_penalty + revenue_);
    const bool v2g = job.discharge_kw_later > kPlanningEps;
    const bool calendar = job.wear.per_kwh_h_high > 0.0;
    const bool stateful = v2g || calendar || !job.taper.empty();  // the energy stored, period by period
    const ConnectorView& connector = obs_.connectors[job.connector];
    const ChargerRange first = charger_range(job, job.charge_kw, connector, options_, cm_.period);
    const ChargerRange later = charger_range(job, job.charge_kw_later, connector, options_, cm_.period);
    const double overshoot_kwh = std::max(first.overshoot_kwh, later.overshoot_kwh);
    LinExpr energy;            // without a state: the net inlet energy over the stay
    std::optional<Var> state;  // with one: the energy stored by the last period so far
    const bool early_goal =
        job.goal_by < job.departure && job.goal_by > job.arrival && job.goal_kwh > kPlanningEps;
    LinExpr by_goal;  // the net inlet energy by the goal's time, where it comes before the departure
    const bool min_power = job.min_kw > kPlanningEps && job.need_kwh > kPlanningEps;
    // A minimum that would fill the vehicle before it leaves holds only until it is full.
    const bool until_full =
        min_power && job.min_kw * job.efficiency * (job.departure - job.arrival).hours_f() > job.room_kwh;
    const std::size_t curve = cm_.taper_curves.size();
    if (!job.taper.empty()) cm_.taper_curves.push_back(job.taper);
    for (int t = planned.first; t < cm_.periods; ++t) {
        const Time from = cm_.bounds[t];
        const Time to = cm_.bounds[t + 1];
        if (from >= job.departure) break;
        const double hours = (std::min(to, job.departure) - std::max(from, job.arrival)).hours_f();
        if (hours <= 0) break;
        const std::string when = ".t" + std::to_string(t);
        const ChargerRange& range = t == planned.first ? first : later;
        const double to_end_h = (to - std::max(from, job.arrival)).hours_f();
        const LinExpr before = until_full ? (state ? LinExpr(*state) : energy) : LinExpr();
        const LinExpr step = add_vehicle_period(job, range, v2g, t, hours, to_end_h, tag, when, planned);
        planned.hours.push_back(hours);
        if (min_power)
            add_min_power(job, std::min(job.min_kw, range.max_kw), planned.charge.back(), before, until_full,
                          t, hours, tag, when);
        if (const double goal_h = (std::min(to, job.goal_by) - std::max(from, job.arrival)).hours_f();
            early_goal && goal_h > 0.0) {
            by_goal.add(planned.charge.back(), goal_h * job.efficiency);
            if (v2g) by_goal.add(planned.discharge.back(), -goal_h / job.efficiency);
        }
        add_taper_rows(job, curve, planned.charge.back(), state, hours);
        if (stateful)
            state = add_vehicle_state(job, overshoot_kwh, step, state, t, hours, tag, when);
        else
            energy += step;
    }
    // The goal (need_kwh without one) is required by the departure; the energy beyond it, up to
    // need_kwh, earns its value and the revenue.
    LinExpr delivered = stateful ? (state ? LinExpr(*state) : LinExpr()) : energy;
    delivered.add(planned.slack, 1.0);
    if (const double worth = job.value_per_kwh + revenue_;
        worth > 0.0 && job.need_kwh - job.goal_kwh > kPlanningEps) {
        const Var beyond = model_.add_continuous(0.0, job.need_kwh - job.goal_kwh, tag + ".beyond");
        cost_.add(beyond, -worth);
        delivered.add(beyond, -1.0);
    }
    model_.add_ge(delivered, job.goal_kwh, tag + ".energy");
    if (!stateful && !energy.terms().empty())
        model_.add_le(energy, job.room_kwh + overshoot_kwh + 1e-9, tag + ".room");
    if (early_goal) {
        const Var missed = model_.add_continuous(0.0, job.goal_kwh, tag + ".goal.unmet");
        cost_.add(missed, cm_.unmet_penalty);
        cm_.needs_penalty.add(missed, cm_.unmet_penalty);
        model_.add_ge(by_goal + missed, job.goal_kwh, tag + ".goal");
    }
    // Revenue for what is delivered = revenue·(need − slack): its constant part is left out.
    cm_.sessions.push_back(planned.session);
    cm_.connectors.push_back(planned.connector);
    cm_.power.push_back(planned.charge);
    cm_.slack.push_back(planned.slack);
    cm_.planned.push_back(std::move(planned));
}

LinExpr ModelBuilder::add_vehicle_period(const VehicleJob& job, const ChargerRange& range, bool v2g, int t,
                                         double hours, double to_end_h, const std::string& tag,
                                         const std::string& when, PlannedSession& planned) {
    const ConnectorView& connector = obs_.connectors[job.connector];
    const double max_kw = range.max_kw;
    const Var charge =
        model_.add_continuous(0.0, job.need_kwh > kPlanningEps || v2g ? max_kw : 0.0, tag + ".p" + when);
    planned.charge.push_back(charge);
    prefer(charge, options_.early_preference * (t + leaving_fraction(job, cm_.bounds)) * hours);
    add_wear(t, charge, job.wear.per_kwh * hours * job.efficiency);
    LinExpr step = LinExpr(charge) * (hours * job.efficiency);
    // At the meter a vehicle counts from its arrival (which the engine decides at); its charging to
    // the period's end, since one that stays past its planned departure draws that power until the
    // next decision, its discharge until its departure. Both err on the side of more import.
    metered_flow_[t].add(charge, to_end_h / cm_.hours[t]);
    Var discharge{};
    if (v2g) {
        const double max_discharge_kw = t == planned.first ? job.discharge_kw : job.discharge_kw_later;
        discharge = model_.add_continuous(0.0, max_discharge_kw, tag + ".d" + when);
        planned.discharge.push_back(discharge);
        step.add(discharge, -hours / job.efficiency);
        metered_flow_[t].add(discharge, -hours / cm_.hours[t]);
        cost_.add(discharge, cm_.degradation * hours / job.efficiency +
                                 cm_.v2g_payment_factor * cm_.import_price[t] * hours);
        add_wear(t, discharge, job.wear.per_kwh * hours / job.efficiency);
        if (exclusive_in(t) && max_discharge_kw > kPlanningEps && max_kw > kPlanningEps) {
            const Var charging = model_.add_binary(tag + ".dir" + when);
            ++cm_.binaries;
            model_.add_le(LinExpr(charge) - max_kw * LinExpr(charging), 0.0);
            model_.add_le(LinExpr(discharge) + max_discharge_kw * LinExpr(charging), max_discharge_kw);
        }
    }
    if (!range.setpoints.empty() && max_kw > kPlanningEps && integral(t)) {
        // The charge is one of the setpoints, or zero.
        LinExpr chosen, power;
        for (std::size_t k = 0; k < range.setpoints.size(); ++k) {
            const Var pick = model_.add_binary(tag + ".sp" + std::to_string(k) + when);
            ++cm_.binaries;
            chosen.add(pick, 1.0);
            power.add(pick, range.setpoints[k]);
        }
        model_.add_le(chosen, 1.0);
        model_.add_eq(LinExpr(charge) - power, 0.0);
    } else if (options_.min_power_binaries && connector.setpoints_kw.empty() &&
               connector.min_kw > kPlanningEps && connector.min_kw <= max_kw && integral(t)) {
        const Var on = model_.add_binary(tag + ".on" + when);
        ++cm_.binaries;
        model_.add_ge(LinExpr(charge) - connector.min_kw * LinExpr(on), 0.0);
        model_.add_le(LinExpr(charge) - max_kw * LinExpr(on), 0.0);
    }
    add_flow_through(connector.node, t, charge, v2g ? &discharge : nullptr);
    if (!cm_.phase_active.empty()) cm_.phase_active[t].push_back({job.connector, charge, discharge, v2g});
    return step;
}

void ModelBuilder::add_min_power(const VehicleJob& job, double min_kw, Var charge, const LinExpr& before,
                                 bool until_full, int t, double hours, const std::string& tag,
                                 const std::string& when) {
    // What the minimum is short of is priced as undelivered energy: a site whose limits cannot hold
    // every vehicle's minimum still gets a plan.
    const Var under = model_.add_continuous(0.0, min_kw, tag + ".under" + when);
    const double per_kw = cm_.unmet_penalty * hours * job.efficiency;
    cost_.add(under, per_kw);
    cm_.needs_penalty.add(under, per_kw);
    LinExpr held = LinExpr(charge) + LinExpr(under);
    if (until_full) {
        // Full: less room left at the period's start than a period at the minimum fills.
        const Var full = integral(t) ? model_.add_binary(tag + ".full" + when)
                                     : model_.add_continuous(0.0, 1.0, tag + ".full" + when);
        cm_.binaries += integral(t) ? 1 : 0;
        held.add(full, min_kw);
        const double full_from_kwh = std::max(0.0, job.room_kwh - min_kw * hours * job.efficiency);
        model_.add_ge(before - full_from_kwh * LinExpr(full), 0.0);
        // In that period it still charges at the minimum until full: the rest of its room.
        model_.add_ge((LinExpr(charge) + LinExpr(under)) * (hours * job.efficiency) + before -
                          job.room_kwh * LinExpr(full),
                      0.0);
    }
    model_.add_ge(held, min_kw);
}

void ModelBuilder::add_taper_rows(const VehicleJob& job, std::size_t curve, Var charge,
                                  std::optional<Var> before, double hours) {
    if (job.taper.empty()) return;
    if (!before) {  // the SoC it starts at is known: what the battery takes is a number
        model_.add_le(LinExpr(charge) * (job.efficiency * hours),
                      taper_energy(job.taper, job.taper_cap_kw, job.soc_per_kwh, job.soc, hours).kwh);
        return;
    }
    cm_.taper_periods.push_back(
        {charge, *before, hours, job.efficiency, job.soc, job.soc_per_kwh, job.taper_cap_kw, curve});
    // The SoC at the period's start: where the plan starts, plus what the net inlet energy so far adds.
    for (const TaperLine& line : job.taper) {
        const double factor = taper_hours(line, job.soc_per_kwh, hours);
        LinExpr taken = LinExpr(charge) * (job.efficiency * hours);
        if (before) taken.add(*before, -factor * line.b_kw_per_soc * job.soc_per_kwh);
        model_.add_le(taken, factor * (line.a_kw + line.b_kw_per_soc * job.soc));
    }
}

Var ModelBuilder::add_vehicle_state(const VehicleJob& job, double overshoot_kwh, const LinExpr& step,
                                    std::optional<Var> before, int t, double hours, const std::string& tag,
                                    const std::string& when) {
    // Net inlet energy since now, between the min-SoC floor and the request.
    const Var stored = model_.add_continuous(-job.floor_kwh, job.room_kwh + overshoot_kwh, tag + ".e" + when);
    LinExpr balance = LinExpr(stored) - step;
    if (before) balance -= *before;
    model_.add_eq(balance, 0.0);
    if (job.wear.per_kwh_h_high > 0.0) {  // stored above the reference SoC, priced per kWh·h
        const Var high = model_.add_continuous(0.0, kInf, tag + ".high" + when);
        model_.add_ge(LinExpr(high) - LinExpr(stored), job.high_kwh);
        add_wear(t, high, job.wear.per_kwh_h_high * hours);
    }
    return stored;
}

ChargingModel build_charging_model(const Observation& obs, const ChargingOptions& options,
                                   const std::vector<UpcomingSession>* upcoming, Time horizon_end) {
    if (obs.control_period.ms() <= 0)
        throw std::invalid_argument("charging model: control period must be positive");
    ChargingModel cm;
    cm.start = obs.now;
    cm.period = obs.control_period;
    const EconomicsView& site = obs.economics;
    const double revenue = option_or_site(options.revenue_per_kwh, site.charging_price_per_kwh);
    cm.degradation = option_or_site(options.degradation_per_kwh, site.ev_degradation_per_kwh);
    cm.v2g_payment_factor = option_or_site(options.v2g_payment_factor, site.v2g_price_factor);
    cm.ess_degradation = option_or_site(options.ess_degradation_per_kwh, site.ess_degradation_per_kwh);
    cm.curtailment_cost = option_or_site(options.curtailment_cost_per_kwh, site.pv_curtailment_cost_per_kwh);

    const std::vector<VehicleJob> jobs = vehicle_jobs(obs, options, upcoming);
    // The batteries planned (each index into Observation::ess): those with a capacity, unless the
    // option leaves them out.
    std::vector<std::size_t> batteries;
    for (std::size_t b = 0; b < obs.ess.size() && options.ess; ++b)
        if (obs.ess[b].capacity_kwh > 0) batteries.push_back(b);
    const bool with_ess = !batteries.empty();
    set_periods(cm, obs, options, jobs, with_ess, horizon_end);
    cm.wear.assign(static_cast<std::size_t>(cm.periods), LinExpr());
    const bool reaches_run_end = obs.run_end > obs.now && cm.bounds.back() >= obs.run_end;
    cm.unmet_penalty = unmet_penalty(options, cm.import_price);
    cm.overshoot_penalty = overshoot_penalty(cm.import_price);

    ModelBuilder builder(obs, options, revenue, cm);
    for (const VehicleJob& job : jobs) builder.add_vehicle(job);
    cm.ess_charge.resize(obs.ess.size());
    cm.ess_discharge.resize(obs.ess.size());
    for (const std::size_t b : batteries) builder.add_ess(b, reaches_run_end);
    builder.add_node_limits();
    builder.add_phase_limits();
    builder.add_feeder_limits();
    builder.add_grid_exchange();
    builder.minimise();
    return cm;
}

}  // namespace evtwin::milp
