#include <milp/formulation/charging_model.hpp>
#include <milp/formulation/vehicle_jobs.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>

namespace evtwin::milp {
namespace {

// The forecast value in force at time t: the step containing it, the last one past the end,
// `fallback` without a series.
double at(const Forecast* forecast, const std::vector<double>& series, Time t, double fallback) {
    if (forecast == nullptr || series.empty() || forecast->step.ms() <= 0) return fallback;
    const std::int64_t i = std::max<std::int64_t>(0, (t - forecast->start) / forecast->step);
    return series[static_cast<std::size_t>(
        std::min<std::int64_t>(i, static_cast<std::int64_t>(series.size()) - 1))];
}

// An option of the operator's money where given (>= 0), else the site's economics.
double option_or_site(double option, double site) {
    return option >= 0 ? option : site;
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
    cm.periods = static_cast<int>(cm.bounds.size()) - 1;
    for (int t = 0; t < cm.periods; ++t) {
        const Time from = cm.bounds[t];
        cm.hours.push_back((cm.bounds[t + 1] - from).hours_f());
        cm.import_price.push_back(
            at(forecast, forecast ? forecast->import_price : std::vector<double>{}, from, 0.0));
        // The meter nets import and export: where export pays more than import, a plan that valued it
        // so would "earn" the spread by buying and selling at once. Valuing export at the import
        // price there removes that without a binary per period (exact, but it made day_ahead on
        // v2g_profit_max.lua take minutes instead of seconds); the plan undervalues real exports by
        // the spread.
        const double import_price = cm.import_price.back();
        cm.export_price.push_back(
            std::min(import_price,
                     at(forecast, forecast ? forecast->export_price : std::vector<double>{}, from, 0.0)));
    }
}

double unmet_penalty(const ChargingOptions& options, const std::vector<double>& import_price) {
    if (options.unmet_penalty_per_kwh >= 0) return options.unmet_penalty_per_kwh;
    double dearest = 0.0;
    for (double price : import_price) dearest = std::max(dearest, std::abs(price));
    return std::max(10.0, 20.0 * dearest);
}

// A vehicle's power as its charger lets it be set.
struct ChargerRange {
    double max_kw = 0.0;            // the largest setpoint within the vehicle's bound
    std::vector<double> setpoints;  // the charger's setpoints it chooses from (with setpoint binaries)
    // A charger that cannot go below a minimum (or between setpoints) may be set above what is
    // still wanted: the vehicle stops at its request, so one period's worth may overshoot.
    double overshoot_kwh = 0.0;
};

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

// Every phasor of a phase limit a non-negative multiple of one direction: one exact row holds it.
struct Alignment {
    bool aligned = true;
    double re = 0.0, im = 0.0;  // the unit direction; 0 when every phasor is 0
};

Alignment alignment_of(const PhaseLimit& limit) {
    Alignment a;
    for (std::size_t connector = 0; connector < limit.re.size() && a.aligned; ++connector) {
        const double re = limit.re[connector], im = limit.im[connector];
        if (!limit.in[connector] || std::hypot(re, im) < 1e-12) continue;
        if (a.re == 0 && a.im == 0) {
            const double length = std::hypot(re, im);
            a.re = re / length;
            a.im = im / length;
        } else if (std::abs(re * a.im - im * a.re) > 1e-9 * std::hypot(re, im) || re * a.re + im * a.im < 0) {
            a.aligned = false;
        }
    }
    return a;
}

// The model's sections in the order that fixes its columns and rows: the vehicles, the ESS, the
// node limits, the phase limits, the grid exchange with the demand charge; each adds its costs.
class ModelBuilder {
public:
    ModelBuilder(const Observation& obs, const ChargingOptions& options, double revenue, ChargingModel& cm)
        : obs_(obs),
          options_(options),
          revenue_(revenue),
          cm_(cm),
          model_(cm.model),
          forecast_(obs.forecast),
          node_takes_(obs.nodes.size(), std::vector<LinExpr>(cm.periods)),
          node_gives_(obs.nodes.size(), std::vector<LinExpr>(cm.periods)),
          metered_flow_(cm.periods) {
        cm_.phase_active.assign(obs.phase_constraints.empty() ? 0 : cm.periods, {});
        if (forecast_ != nullptr && forecast_->step.ms() > 0 && !forecast_->node_fixed_flow.empty()) {
            node_series_.assign(obs.nodes.size(), nullptr);
            for (const NodeFlowForecast& flow : forecast_->node_fixed_flow)
                if (flow.node < obs.nodes.size()) node_series_[flow.node] = &flow.kw;
        }
    }

    void add_vehicle(const VehicleJob& job);
    void add_ess(bool reaches_run_end);
    void add_node_limits();
    void add_phase_limits();
    void add_grid_exchange();
    void minimise() { model_.minimise(cost_); }

private:
    // Binaries only in the periods that start within the integer horizon.
    bool integral(int t) const { return cm_.bounds[t] - obs_.now < options_.integer_horizon; }
    bool exclusive_in(int t) const;
    // Adds one period of a vehicle's power (and the binaries its charger needs) to the model, and
    // returns its net inlet energy in the period: `hours` the vehicle is here, `to_end_h` from its
    // arrival (or the period's start) to the period's end. Variables are named tag + kind + when:
    // s12.p.t3.
    LinExpr add_vehicle_period(const VehicleJob& job, const ChargerRange& range, bool v2g, int t,
                               double hours, double to_end_h, const std::string& tag, const std::string& when,
                               PlannedSession& planned);
    // A vehicle's net inlet energy since now by the end of a period (`step` after `before`), priced
    // above the wear reference SoC.
    Var add_vehicle_state(const VehicleJob& job, double overshoot_kwh, const LinExpr& step,
                          std::optional<Var> before, int t, double hours, const std::string& tag,
                          const std::string& when);
    // Battery wear in period t: in the objective, and in ChargingModel::wear for the expected cost.
    void add_wear(int t, Var v, double cost) {
        if (cost == 0.0) return;  // wear-blind, or a battery of no value: most columns of a large model
        cost_.add(v, cost);
        cm_.wear[static_cast<std::size_t>(t)].add(v, cost);
    }
    // A charging power (and a discharging one, where given) below `node`, in period t.
    void add_flow_through(NodeIndex node, int t, Var take, const Var* give);
    // The fixed flow of PV and base load through a node: what it carries now for the period in
    // progress, the per-node forecast after (a node the forecast does not list carries none).
    double fixed_flow_kw(NodeIndex node, int t) const;

    const Observation& obs_;
    const ChargingOptions& options_;
    const double revenue_;
    ChargingModel& cm_;
    Model& model_;
    const Forecast* forecast_;
    LinExpr cost_;
    // Per node and period: the charging and the discharging power below it that the plan sets. The
    // limits hold each on its own, as follow_plan grants them: a vehicle may give less than its
    // setpoint, so charging never counts on another's discharge.
    std::vector<std::vector<LinExpr>> node_takes_;
    std::vector<std::vector<LinExpr>> node_gives_;
    // Per node: its fixed flow forecast (null where none); empty without per-node forecasts.
    std::vector<const std::vector<double>*> node_series_;
    // Per period: the site's planned net power averaged over the period, as the meter counts it (see
    // add_vehicle_period; the node limits hold a vehicle's power while it is here).
    std::vector<LinExpr> metered_flow_;
};

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
    planned.efficiency = job.efficiency;
    planned.first = cm_.period_at(job.arrival);
    planned.slack = model_.add_continuous(0.0, job.need_kwh, tag + ".unmet");
    cost_.add(planned.slack, cm_.unmet_penalty + revenue_);
    const bool v2g = job.discharge_kw_later > kPlanningEps;
    const bool calendar = job.wear.per_kwh_h_high > 0.0;
    const bool stateful = v2g || calendar;  // the energy stored, period by period
    const ConnectorView& connector = obs_.connectors[job.connector];
    const ChargerRange first = charger_range(job, job.charge_kw, connector, options_, cm_.period);
    const ChargerRange later = charger_range(job, job.charge_kw_later, connector, options_, cm_.period);
    const double overshoot_kwh = std::max(first.overshoot_kwh, later.overshoot_kwh);
    LinExpr energy;            // without a state: the net inlet energy over the stay
    std::optional<Var> state;  // with one: the energy stored by the last period so far
    for (int t = planned.first; t < cm_.periods; ++t) {
        const Time from = cm_.bounds[t];
        const Time to = cm_.bounds[t + 1];
        if (from >= job.departure) break;
        const double hours = (std::min(to, job.departure) - std::max(from, job.arrival)).hours_f();
        if (hours <= 0) break;
        const std::string when = ".t" + std::to_string(t);
        const ChargerRange& range = t == planned.first ? first : later;
        const double to_end_h = (to - std::max(from, job.arrival)).hours_f();
        const LinExpr step = add_vehicle_period(job, range, v2g, t, hours, to_end_h, tag, when, planned);
        planned.hours.push_back(hours);
        if (stateful)
            state = add_vehicle_state(job, overshoot_kwh, step, state, t, hours, tag, when);
        else
            energy += step;
    }
    if (stateful) {
        if (state)
            model_.add_ge(LinExpr(*state) + planned.slack, job.need_kwh, tag + ".energy");
        else
            model_.add_ge(LinExpr(planned.slack), job.need_kwh, tag + ".energy");
    } else {
        model_.add_ge(energy + planned.slack, job.need_kwh, tag + ".energy");
        if (!energy.terms().empty())
            model_.add_le(energy, job.room_kwh + overshoot_kwh + 1e-9, tag + ".room");
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
    cost_.add(charge, options_.early_preference * t * hours);
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

void ModelBuilder::add_ess(bool reaches_run_end) {
    const EssView& ess = obs_.ess;
    const NodeIndex node = ess.node < obs_.nodes.size() ? ess.node : NodeIndex{0};
    const double charge_efficiency = ess.charge_efficiency > 0 ? ess.charge_efficiency : 1.0;
    const double discharge_efficiency = ess.discharge_efficiency > 0 ? ess.discharge_efficiency : 1.0;
    const BatteryWear wear = weighted(ess.wear, options_.wear_weight);
    LinExpr stored_before(ess.soc * ess.capacity_kwh);
    for (int t = 0; t < cm_.periods; ++t) {
        const std::string when = ".t" + std::to_string(t);
        const double hours = cm_.hours[t];
        // What it can take or give now in the first period; each direction's rating after (the
        // stored energy's bounds keep it within its SoC bounds).
        const double max_charge_kw = t == 0 ? ess.max_charge_kw : ess.rated_charge_kw;
        const double max_discharge_kw = t == 0 ? ess.max_discharge_kw : ess.rated_discharge_kw;
        const Var charge = model_.add_continuous(0.0, max_charge_kw, "ess.c" + when);
        const Var discharge = model_.add_continuous(0.0, max_discharge_kw, "ess.d" + when);
        cm_.ess_charge.push_back(charge);
        cm_.ess_discharge.push_back(discharge);
        cost_.add(discharge, cm_.ess_degradation * hours);
        add_wear(t, discharge, wear.per_kwh / discharge_efficiency * hours);
        // A tiny cost of charging: no idle cycling on ties.
        cost_.add(charge, options_.early_preference * 1e-3 + cm_.ess_degradation * hours);
        add_wear(t, charge, wear.per_kwh * charge_efficiency * hours);
        const Var stored =
            model_.add_continuous(std::min(ess.soc_min, ess.soc) * ess.capacity_kwh,
                                  std::max(ess.soc_max, ess.soc) * ess.capacity_kwh, "ess.E" + when);
        LinExpr balance = LinExpr(stored) - stored_before;
        balance.add(charge, -charge_efficiency * hours);
        balance.add(discharge, hours / discharge_efficiency);
        model_.add_eq(balance, 0.0);
        stored_before = LinExpr(stored);
        if (wear.per_kwh_h_high > 0.0) {
            const Var high = model_.add_continuous(0.0, kInf, "ess.high" + when);
            model_.add_ge(LinExpr(high) - LinExpr(stored), -kWearReferenceSoc * ess.capacity_kwh);
            add_wear(t, high, wear.per_kwh_h_high * hours);
        }
        if (exclusive_in(t) && max_charge_kw > kPlanningEps && max_discharge_kw > kPlanningEps) {
            const Var charging = model_.add_binary("ess.dir" + when);
            ++cm_.binaries;
            model_.add_le(LinExpr(charge) - max_charge_kw * LinExpr(charging), 0.0);
            model_.add_le(LinExpr(discharge) + max_discharge_kw * LinExpr(charging), max_discharge_kw);
        }
        metered_flow_[t].add(charge, 1.0);
        metered_flow_[t].add(discharge, -1.0);
        add_flow_through(node, t, charge, &discharge);
    }
    if (options_.ess_keep_energy && !reaches_run_end)
        model_.add_ge(stored_before, std::min(ess.soc, ess.soc_max) * ess.capacity_kwh - 1e-6, "ess.keep");
}

double ModelBuilder::fixed_flow_kw(NodeIndex node, int t) const {
    const double now_kw = obs_.nodes[node].fixed_flow_kw;
    if (t == 0) return now_kw;
    const Forecast* forecast = forecast_;
    const Time from = cm_.bounds[t];
    if (!node_series_.empty())
        return node_series_[node] ? at(forecast, *node_series_[node], from, now_kw) : 0.0;
    if (node != 0 || forecast == nullptr) return now_kw;
    // Root only, from the site totals, shifted so that it starts from what is observed now.
    const double net =
        at(forecast, forecast->base_load_kw, from, 0.0) - at(forecast, forecast->pv_kw, from, 0.0);
    const double net_now =
        at(forecast, forecast->base_load_kw, obs_.now, 0.0) - at(forecast, forecast->pv_kw, obs_.now, 0.0);
    return now_kw + net - net_now;
}

void ModelBuilder::add_node_limits() {
    for (NodeIndex node = 0; node < obs_.nodes.size(); ++node) {
        const double import_limit = obs_.nodes[node].import_limit_kw;
        const double export_limit = obs_.nodes[node].export_limit_kw;
        for (int t = 0; t < cm_.periods; ++t) {
            const LinExpr& takes = node_takes_[node][t];
            const LinExpr& gives = node_gives_[node][t];
            if (takes.terms().empty() && gives.terms().empty()) continue;
            const double fixed = fixed_flow_kw(node, t);
            // Never tighter than zero: a node over its limit from fixed flow alone cannot be
            // helped by a plan, and the engine's check is on what the decision adds.
            if (std::isfinite(import_limit) && !takes.terms().empty())
                model_.add_le(takes, std::max(0.0, import_limit - fixed),
                              "node" + std::to_string(node) + ".t" + std::to_string(t));
            if (std::isfinite(export_limit) && !gives.terms().empty())
                model_.add_le(gives, std::max(0.0, export_limit + fixed));
        }
    }
}

// Three-phase limits: the projections of the phasor sum on K evenly spread directions stay
// below limit·cos(π/K), a polygon inside the circle, for the charging and for the discharging
// apart. Aligned phasors need one exact row per direction. With lazy_phase_rows the polygons' rows
// are left to add_phase_rows, which adds those a solution breaks (most never bind).
void ModelBuilder::add_phase_limits() {
    cm_.phase_sides = std::max(3, options_.phase_polygon_sides);
    const std::size_t connectors = obs_.connectors.size();
    for (const PhaseConstraintView& constraint : obs_.phase_constraints) {
        PhaseLimit limit;
        limit.limit_a = constraint.limit_a;
        limit.re.assign(connectors, 0.0);
        limit.im.assign(connectors, 0.0);
        limit.in.assign(connectors, 0);
        if (!std::isfinite(constraint.limit_a) || constraint.terms.empty()) {
            cm_.phase_limits.push_back(std::move(limit));
            continue;
        }
        for (const ConnectorTerm& term : constraint.terms) {
            if (term.connector >= connectors) continue;
            limit.re[term.connector] += term.coefficient * term.amps_per_kw * term.cos_phase;
            limit.im[term.connector] += term.coefficient * term.amps_per_kw * term.sin_phase;
            limit.in[term.connector] = 1;
        }
        const Alignment alignment = alignment_of(limit);
        limit.added.assign(static_cast<std::size_t>(cm_.periods) * cm_.phase_sides * 2, 0);
        for (int t = 0; t < cm_.periods; ++t) {
            bool any = false, gives = false;
            for (const PhaseActive& active : cm_.phase_active[t])
                if (limit.in[active.connector]) {
                    any = true;
                    gives = gives || active.has_discharge;
                }
            if (!any) continue;
            if (alignment.aligned) {
                model_.add_le(cm_.phase_projection(limit, t, alignment.re, alignment.im, PhaseFlow::charge),
                              constraint.limit_a);
                if (gives)
                    model_.add_le(
                        cm_.phase_projection(limit, t, -alignment.re, -alignment.im, PhaseFlow::discharge),
                        constraint.limit_a);
                continue;
            }
            limit.slots.push_back(t);
            if (!options_.lazy_phase_rows)
                for (int side = 0; side < cm_.phase_sides; ++side) {
                    cm_.add_phase_row(limit, t, side, PhaseFlow::charge);
                    if (gives) cm_.add_phase_row(limit, t, side, PhaseFlow::discharge);
                }
        }
        cm_.phase_limits.push_back(std::move(limit));
    }
}

// Grid exchange, its prices, curtailment of a PV surplus, and the demand charge.
void ModelBuilder::add_grid_exchange() {
    const DemandView& demand = obs_.demand;
    cm_.demand_rate = options_.demand_charge_per_kw >= 0 ? options_.demand_charge_per_kw : demand.rate_per_kw;
    cm_.peak_so_far = std::max(0.0, options_.peak_so_far_kw >= 0 ? options_.peak_so_far_kw : demand.peak_kw);
    cm_.peak = model_.add_continuous(cm_.peak_so_far, kInf, "peak");
    const double export_limit = obs_.nodes.empty() ? kInf : obs_.nodes[0].export_limit_kw;
    const bool by_interval =
        cm_.demand_rate > 0 && options_.demand_charge_per_kw < 0 && demand.interval.ms() > 0;
    if (by_interval) cm_.demand_intervals = demand;
    std::vector<LinExpr> interval_kwh;  // per demand interval from the one in progress
    for (int t = 0; t < cm_.periods; ++t) {
        const std::string when = ".t" + std::to_string(t);
        const double fixed = obs_.nodes.empty() ? 0.0 : fixed_flow_kw(0, t);
        const Var bought = model_.add_continuous(0.0, kInf, "import" + when);
        const Var sold = model_.add_continuous(0.0, std::max(0.0, export_limit), "export" + when);
        cm_.grid_import.push_back(bought);
        cm_.grid_export.push_back(sold);
        LinExpr balance = LinExpr(bought) - sold;
        if (fixed < 0) balance.add(model_.add_continuous(0.0, -fixed, "curtail" + when), -1.0);
        balance -= metered_flow_[t];
        model_.add_eq(balance, fixed, "grid" + when);
        cost_.add(bought, cm_.import_price[t] * cm_.hours[t]);
        cost_.add(sold, -cm_.export_price[t] * cm_.hours[t]);
        if (cm_.demand_rate <= 0) continue;
        if (by_interval) {
            // A plan made within an interval fills the rest of that one, then the next.
            for_each_interval_part(demand, cm_.bounds[t], cm_.bounds[t + 1],
                                   [&](std::size_t k, double hours) {
                                       if (interval_kwh.size() <= k) interval_kwh.resize(k + 1);
                                       interval_kwh[k].add(bought, hours);
                                   });
        } else {
            model_.add_ge(LinExpr(cm_.peak) - bought, 0.0);
        }
    }
    if (by_interval) {
        const double interval_h = demand.interval.hours_f();
        for (std::size_t k = 0; k < interval_kwh.size(); ++k) {
            if (interval_kwh[k].terms().empty()) continue;
            LinExpr average_kw = interval_kwh[k] * (1.0 / interval_h);
            if (k == 0) average_kw.add(demand.interval_kwh / interval_h);  // imported before now
            model_.add_ge(LinExpr(cm_.peak) - average_kw, 0.0, "demand.k" + std::to_string(k));
        }
    }
    cost_.add(cm_.peak, cm_.demand_rate);
    cost_.add(-cm_.demand_rate * cm_.peak_so_far);
}

}  // namespace

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

    const std::vector<VehicleJob> jobs = vehicle_jobs(obs, options, upcoming);
    const bool with_ess = options.ess && obs.ess.present && obs.ess.capacity_kwh > 0;
    set_periods(cm, obs, options, jobs, with_ess, horizon_end);
    cm.wear.assign(static_cast<std::size_t>(cm.periods), LinExpr());
    const bool reaches_run_end = obs.run_end > obs.now && cm.bounds.back() >= obs.run_end;
    cm.unmet_penalty = unmet_penalty(options, cm.import_price);

    ModelBuilder builder(obs, options, revenue, cm);
    for (const VehicleJob& job : jobs) builder.add_vehicle(job);
    if (with_ess) builder.add_ess(reaches_run_end);
    builder.add_node_limits();
    builder.add_phase_limits();
    builder.add_grid_exchange();
    builder.minimise();
    return cm;
}

}  // namespace evtwin::milp
