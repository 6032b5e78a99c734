#include <milp/formulation/charging_model.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace evtwin::milp {
namespace {

constexpr double kEps = 1e-9;

bool usable(const ConnectorView& c) {
    return c.state != PilotState::E && c.state != PilotState::F;
}

// The forecast value in force at time t: the step containing it, the last one past the end,
// `fallback` without a series.
double at(const Forecast* f, const std::vector<double>& series, Time t, double fallback) {
    if (f == nullptr || series.empty() || f->step.ms() <= 0) return fallback;
    const std::int64_t i = std::max<std::int64_t>(0, (t - f->start) / f->step);
    return series[static_cast<std::size_t>(
        std::min<std::int64_t>(i, static_cast<std::int64_t>(series.size()) - 1))];
}

// What one session row needs before its variables are made.
struct Job {
    SessionId id = 0;
    std::uint32_t session = kNone;
    ConnectorIndex connector = kNone;
    Time arrival, departure;
    double need_kwh = 0.0;     // inlet energy still requested
    double room_kwh = 0.0;     // most net inlet energy it can take (request, capacity)
    double floor_kwh = 0.0;    // most net inlet energy it can give (down to min_soc)
    double charge_kw = 0.0;    // grid side
    double charge_kw_later = 0.0;
    double discharge_kw = 0.0;  // grid side; 0: no V2G
    double discharge_kw_later = 0.0;
    double efficiency = 1.0;
    BatteryWear wear;
    double high_kwh = 0.0;  // stored energy above the wear reference SoC now (negative: below it)
};

// Where a vehicle to come plugs in: the first connector (of the charger its data names, if any)
// that is free at its arrival by the departures (declared, or true with foresight) of the sessions
// present and planned before it.
ConnectorIndex assign_connector(const Observation& obs, const UpcomingSession& u, Time leaves,
                                std::vector<Time>& busy_until) {
    for (ConnectorIndex c = 0; c < obs.connectors.size(); ++c) {
        if (u.charger != kNone && obs.connectors[c].charger != u.charger) continue;
        if (busy_until[c] <= u.arrival) {
            busy_until[c] = leaves;
            return c;
        }
    }
    return kNone;
}

}  // namespace

ChargingModel build_charging_model(const Observation& obs, const ChargingOptions& options,
                                   const std::vector<UpcomingSession>* upcoming_override, Time horizon_end) {
    if (obs.control_period.ms() <= 0)
        throw std::invalid_argument("charging model: control period must be positive");
    ChargingModel cm;
    cm.start = obs.now;
    cm.period = obs.control_period;
    // Negative: the site's economics (profit objectives).
    const EconomicsView& money = obs.economics;
    const double revenue = options.revenue_per_kwh >= 0 ? options.revenue_per_kwh : money.charging_price_per_kwh;
    cm.degradation = options.degradation_per_kwh >= 0 ? options.degradation_per_kwh : money.ev_degradation_per_kwh;
    cm.v2g_payment_factor = options.v2g_payment_factor >= 0 ? options.v2g_payment_factor : money.v2g_price_factor;
    cm.ess_degradation = options.ess_degradation_per_kwh;
    const Forecast* f = obs.forecast;

    // The jobs: the sessions present, then those to come.
    std::vector<Job> jobs;
    std::vector<Time> busy_until(obs.connectors.size(), obs.now);
    double known_efficiency = options.upcoming_efficiency > 0 ? options.upcoming_efficiency : 0.0;
    for (std::uint32_t si = 0; si < obs.sessions.size(); ++si) {
        const SessionView& s = obs.sessions[si];
        if (s.connector >= obs.connectors.size()) continue;
        const ConnectorView& c = obs.connectors[s.connector];
        Time leaves = s.declared_departure;
        if (options.true_departures && options.known_departures != nullptr)
            if (const auto it = options.known_departures->find(s.id); it != options.known_departures->end())
                leaves = it->second;
        busy_until[s.connector] = std::max(obs.now, leaves);
        if (known_efficiency <= 0.0) known_efficiency = s.charge_efficiency;
        Job j;
        j.id = s.id;
        j.session = si;
        j.connector = s.connector;
        j.arrival = obs.now;
        // A vehicle still here after it said it would leave stays at least one more period: planned
        // to leave now, it would be given nothing while it waits. One leaving within the period is
        // planned to its departure, not to the period's end: what it is given after it left is lost.
        if (leaves <= obs.now) {
            j.departure = obs.now + obs.control_period;
        } else {
            const Time with_margin = leaves - options.departure_margin;
            j.departure = with_margin > obs.now ? with_margin : leaves;
        }
        j.need_kwh = s.remaining_kwh;
        j.room_kwh = std::max(0.0, std::min(s.remaining_kwh, (1.0 - s.soc) * s.capacity_kwh));
        j.floor_kwh = std::max(0.0, (s.soc - s.min_soc) * s.capacity_kwh);
        j.charge_kw = j.charge_kw_later = usable(c) ? std::min(s.max_charge_kw, c.max_kw) : 0.0;
        if (options.v2g && s.v2g_allowed && c.v2g_capable && usable(c)) {
            j.discharge_kw = std::min(s.max_discharge_kw, c.max_kw);
            j.discharge_kw_later = j.discharge_kw > kEps ? j.discharge_kw : c.max_kw;
        }
        j.efficiency = s.charge_efficiency;
        if (options.wear) {
            j.wear = s.wear;
            j.high_kwh = (s.soc - kWearReferenceSoc) * s.capacity_kwh;
        }
        if (j.need_kwh <= kEps && j.discharge_kw_later <= kEps) continue;
        jobs.push_back(j);
    }
    if (known_efficiency <= 0.0) known_efficiency = 1.0;
    if (options.use_upcoming) {
        const std::span<const UpcomingSession> ups =
            upcoming_override ? std::span<const UpcomingSession>(*upcoming_override) : obs.upcoming;
        for (const UpcomingSession& u : ups) {
            if (u.declared_departure <= u.arrival || u.declared_departure <= obs.now) continue;
            if (options.true_departures && u.departure > u.arrival && u.departure <= obs.now) continue;
            const Time leaves =
                options.true_departures && u.departure > u.arrival ? u.departure : u.declared_departure;
            const ConnectorIndex ci = assign_connector(obs, u, leaves, busy_until);
            if (ci == kNone) continue;  // no connector free: it would be turned away
            const ConnectorView& c = obs.connectors[ci];
            Job j;
            j.id = u.id;
            j.connector = ci;
            j.arrival = std::max(u.arrival, obs.now);
            j.departure = std::max(j.arrival + Duration(1), leaves - options.departure_margin);
            j.efficiency = known_efficiency;
            const double vehicle_kw = u.max_ac_kw > 0 ? u.max_ac_kw : u.max_dc_kw;
            j.charge_kw = j.charge_kw_later =
                vehicle_kw > 0 ? std::min(c.max_kw, vehicle_kw / j.efficiency) : c.max_kw;
            j.need_kwh = u.requested_kwh;
            j.room_kwh = std::max(0.0, std::min(u.requested_kwh, (1.0 - u.initial_soc) * u.capacity_kwh));
            j.floor_kwh = std::max(0.0, (u.initial_soc - u.min_soc) * u.capacity_kwh);
            if (options.v2g && u.v2g_allowed && c.v2g_capable && u.max_discharge_kw > 0)
                j.discharge_kw = j.discharge_kw_later = std::min(c.max_kw, u.max_discharge_kw * j.efficiency);
            if (options.wear) j.wear = u.wear;
            j.high_kwh = (u.initial_soc - kWearReferenceSoc) * u.capacity_kwh;
            if (j.need_kwh <= kEps && j.discharge_kw <= kEps) continue;
            jobs.push_back(j);
        }
    }
    const bool with_ess = options.ess && obs.ess.present && obs.ess.capacity_kwh > 0;

    // The horizon: up to the last declared departure (and the forecast's end with an ESS, and
    // `horizon_end`), within max_horizon and the run.
    Time end = obs.now;
    for (const Job& j : jobs) end = std::max(end, j.departure);
    if (with_ess && f != nullptr && f->step.ms() > 0)
        end = std::max(end, f->start + f->step * static_cast<std::int64_t>(f->import_price.size()));
    end = std::max(end, horizon_end);
    end = std::min(end, obs.now + options.max_horizon);
    if (obs.run_end > obs.now) end = std::min(end, obs.run_end);
    cm.periods = std::max<int>(1, static_cast<int>(((end - obs.now) + cm.period - Duration(1)) / cm.period));
    const bool reaches_run_end = obs.run_end > obs.now && obs.now + cm.period * cm.periods >= obs.run_end;
    for (int t = 0; t < cm.periods; ++t) {
        const Time from = obs.now + cm.period * t;
        cm.hours.push_back(cm.period.hours_f());
        cm.import_price.push_back(at(f, f ? f->import_price : std::vector<double>{}, from, 0.0));
        // The meter nets import and export: where export pays more than import, a plan that valued it
        // so would "earn" the spread by buying and selling at once. Valuing export at the import
        // price there removes that without a binary per period (exact, but it made day_ahead on
        // v2g_profit_max.lua take minutes instead of seconds); the plan undervalues real exports by
        // the spread.
        const double import_price = cm.import_price.back();
        cm.export_price.push_back(std::min(import_price, at(f, f ? f->export_price : std::vector<double>{}, from, 0.0)));
    }
    if (options.unmet_penalty_per_kwh >= 0) {
        cm.unmet_penalty = options.unmet_penalty_per_kwh;
    } else {
        double dearest = 0.0;
        for (double p : cm.import_price) dearest = std::max(dearest, std::abs(p));
        cm.unmet_penalty = std::max(10.0, 20.0 * dearest);
    }
    const auto integral = [&](int t) { return cm.period * t < options.integer_horizon; };
    auto exclusive_in = [&](int t) {
        if (!integral(t)) return false;
        if (options.exclusive == Exclusivity::always) return true;
        if (options.exclusive == Exclusivity::never) return false;
        // Charging and discharging at once only burns energy in losses: that pays only when
        // energy has a negative price.
        return cm.import_price[t] < 0.0 || cm.export_price[t] < 0.0;
    };

    Model& m = cm.model;
    LinExpr cost;
    std::vector<std::vector<LinExpr>> node_flow(obs.nodes.size(), std::vector<LinExpr>(cm.periods));
    std::vector<std::vector<char>> node_gives(obs.nodes.size(), std::vector<char>(cm.periods, 0));
    std::vector<std::vector<PhaseActive>>& active = cm.phase_active;
    active.assign(obs.phase_constraints.empty() ? 0 : cm.periods, {});

    for (const Job& j : jobs) {
        const ConnectorView& c = obs.connectors[j.connector];
        const std::string tag = std::string("s").append(std::to_string(j.id));
        PlannedSession ps;
        ps.id = j.id;
        ps.session = j.session;
        ps.connector = j.connector;
        ps.need_kwh = j.need_kwh;
        ps.efficiency = j.efficiency;
        ps.first = static_cast<int>((j.arrival - obs.now) / cm.period);
        ps.slack = m.add_continuous(0.0, j.need_kwh, tag + ".unmet");
        cost.add(ps.slack, cm.unmet_penalty + revenue);
        const bool v2g = j.discharge_kw_later > kEps;
        const bool calendar = j.wear.per_kwh_h_high > 0.0;
        const bool stateful = v2g || calendar;  // the energy stored, period by period
        std::vector<double> setpoints;
        if (options.setpoint_binaries)
            for (double sp : c.setpoints_kw)
                if (sp > kEps && sp <= j.charge_kw + 1e-6) setpoints.push_back(sp);
        double cap_kw = j.charge_kw;
        if (!c.setpoints_kw.empty()) {
            double best = 0.0;  // the largest allowed setpoint within the bound
            for (double sp : c.setpoints_kw)
                if (sp <= cap_kw + 1e-6) best = std::max(best, sp);
            cap_kw = best;
        }
        // A charger that cannot go below a minimum (or between setpoints) may be set above what is
        // still wanted: the vehicle stops at its request, so one period's worth may overshoot.
        double overshoot_kwh = 0.0;
        if (!c.setpoints_kw.empty() || c.min_kw > kEps)
            overshoot_kwh = cap_kw * cm.period.hours_f() * j.efficiency;
        LinExpr energy;
        Var prev_state{};
        bool has_prev = false;
        for (int t = ps.first; t < cm.periods; ++t) {
            const Time from = obs.now + cm.period * t;
            const Time to = from + cm.period;
            if (from >= j.departure) break;
            const double h = (std::min(to, j.departure) - std::max(from, j.arrival)).hours_f();
            if (h <= 0) break;
            const std::string when = ".t" + std::to_string(t);
            const double pmax = cap_kw;
            const Var p = m.add_continuous(0.0, j.need_kwh > kEps || v2g ? pmax : 0.0, tag + ".p" + when);
            ps.charge.push_back(p);
            cost.add(p, options.early_preference * t * h + j.wear.per_kwh * h * j.efficiency);
            LinExpr step = LinExpr(p) * (h * j.efficiency);
            LinExpr flow(p);
            Var d{};
            if (v2g) {
                const double dmax = t == ps.first ? j.discharge_kw : j.discharge_kw_later;
                d = m.add_continuous(0.0, dmax, tag + ".d" + when);
                ps.discharge.push_back(d);
                step.add(d, -h / j.efficiency);
                flow.add(d, -1.0);
                cost.add(d, (cm.degradation + j.wear.per_kwh) * h / j.efficiency +
                                cm.v2g_payment_factor * cm.import_price[t] * h);
                if (exclusive_in(t) && dmax > kEps && pmax > kEps) {
                    const Var y = m.add_binary(tag + ".dir" + when);
                    ++cm.binaries;
                    m.add_le(LinExpr(p) - pmax * LinExpr(y), 0.0);
                    m.add_le(LinExpr(d) + dmax * LinExpr(y), dmax);
                }
            }
            if (!setpoints.empty() && pmax > kEps && integral(t)) {
                // p is one of the setpoints, or zero.
                LinExpr choice, pick;
                for (std::size_t k = 0; k < setpoints.size(); ++k) {
                    const Var z = m.add_binary(tag + ".sp" + std::to_string(k) + when);
                    ++cm.binaries;
                    choice.add(z, 1.0);
                    pick.add(z, setpoints[k]);
                }
                m.add_le(choice, 1.0);
                m.add_eq(LinExpr(p) - pick, 0.0);
            } else if (options.min_power_binaries && c.setpoints_kw.empty() && c.min_kw > kEps &&
                       c.min_kw <= pmax && integral(t)) {
                const Var on = m.add_binary(tag + ".on" + when);
                ++cm.binaries;
                m.add_ge(LinExpr(p) - c.min_kw * LinExpr(on), 0.0);
                m.add_le(LinExpr(p) - pmax * LinExpr(on), 0.0);
            }
            for (NodeIndex n = c.node; n != kNone && n < obs.nodes.size(); n = obs.nodes[n].parent) {
                node_flow[n][t] += flow;
                if (v2g) node_gives[n][t] = 1;
            }
            if (!active.empty()) active[t].push_back({j.connector, p, d, v2g});
            if (stateful) {
                // Net inlet energy since now, between the min-SoC floor and the request.
                const Var e = m.add_continuous(-j.floor_kwh, j.room_kwh + overshoot_kwh, tag + ".e" + when);
                LinExpr dyn = LinExpr(e) - step;
                if (has_prev) dyn -= prev_state;
                m.add_eq(dyn, 0.0);
                prev_state = e;
                has_prev = true;
                if (calendar) {  // stored above the reference SoC, priced per kWh·h
                    const Var high = m.add_continuous(0.0, kInf, tag + ".high" + when);
                    m.add_ge(LinExpr(high) - LinExpr(e), j.high_kwh);
                    cost.add(high, j.wear.per_kwh_h_high * h);
                }
            } else {
                energy += step;
            }
        }
        if (stateful) {
            if (has_prev) m.add_ge(LinExpr(prev_state) + ps.slack, j.need_kwh, tag + ".energy");
            else m.add_ge(LinExpr(ps.slack), j.need_kwh, tag + ".energy");
        } else {
            m.add_ge(energy + ps.slack, j.need_kwh, tag + ".energy");
            if (!energy.terms().empty()) m.add_le(energy, j.room_kwh + overshoot_kwh + 1e-9, tag + ".room");
        }
        // Revenue for what is delivered = revenue·(need − slack): its constant part is left out.
        cm.sessions.push_back(ps.session);
        cm.connectors.push_back(ps.connector);
        cm.power.push_back(ps.charge);
        cm.slack.push_back(ps.slack);
        cm.planned.push_back(std::move(ps));
    }

    // The ESS.
    if (with_ess) {
        const EssView& e = obs.ess;
        const double rating = std::max(e.max_charge_kw, e.max_discharge_kw);
        const NodeIndex node = e.node < obs.nodes.size() ? e.node : NodeIndex{0};
        LinExpr prev(e.soc * e.capacity_kwh);
        for (int t = 0; t < cm.periods; ++t) {
            const std::string when = ".t" + std::to_string(t);
            const double cmax = t == 0 ? e.max_charge_kw : rating;
            const double dmax = t == 0 ? e.max_discharge_kw : rating;
            const Var ec = m.add_continuous(0.0, cmax, "ess.c" + when);
            const Var ed = m.add_continuous(0.0, dmax, "ess.d" + when);
            cm.ess_charge.push_back(ec);
            cm.ess_discharge.push_back(ed);
            const double eta_c = e.charge_efficiency > 0 ? e.charge_efficiency : 1.0;
            const double eta_d = e.discharge_efficiency > 0 ? e.discharge_efficiency : 1.0;
            const BatteryWear wear = options.wear ? e.wear : BatteryWear{};
            cost.add(ed, (options.ess_degradation_per_kwh + wear.per_kwh / eta_d) * cm.hours[t]);
            cost.add(ec, options.early_preference * 1e-3 + wear.per_kwh * eta_c * cm.hours[t]);  // no idle cycling on ties
            const Var soc = m.add_continuous(std::min(e.soc_min, e.soc) * e.capacity_kwh,
                                             std::max(e.soc_max, e.soc) * e.capacity_kwh, "ess.E" + when);
            LinExpr dyn = LinExpr(soc) - prev;
            dyn.add(ec, -eta_c * cm.hours[t]);
            dyn.add(ed, cm.hours[t] / eta_d);
            m.add_eq(dyn, 0.0);
            prev = LinExpr(soc);
            if (wear.per_kwh_h_high > 0.0) {
                const Var high = m.add_continuous(0.0, kInf, "ess.high" + when);
                m.add_ge(LinExpr(high) - LinExpr(soc), -kWearReferenceSoc * e.capacity_kwh);
                cost.add(high, wear.per_kwh_h_high * cm.hours[t]);
            }
            if (exclusive_in(t) && cmax > kEps && dmax > kEps) {
                const Var y = m.add_binary("ess.dir" + when);
                ++cm.binaries;
                m.add_le(LinExpr(ec) - cmax * LinExpr(y), 0.0);
                m.add_le(LinExpr(ed) + dmax * LinExpr(y), dmax);
            }
            for (NodeIndex n = node; n != kNone && n < obs.nodes.size(); n = obs.nodes[n].parent) {
                node_flow[n][t].add(ec, 1.0);
                node_flow[n][t].add(ed, -1.0);
                node_gives[n][t] = 1;
            }
        }
        if (options.ess_keep_energy && !reaches_run_end)
            m.add_ge(prev, std::min(e.soc, e.soc_max) * e.capacity_kwh - 1e-6, "ess.keep");
    }

    // The fixed flow of PV and base load through a node: what it carries now for the period in
    // progress, the per-node forecast after (a node the forecast does not list carries none).
    const bool node_forecast = f != nullptr && f->step.ms() > 0 && !f->node_fixed_flow.empty();
    std::vector<const std::vector<double>*> node_series(obs.nodes.size(), nullptr);
    if (node_forecast)
        for (const NodeFlowForecast& nf : f->node_fixed_flow)
            if (nf.node < obs.nodes.size()) node_series[nf.node] = &nf.kw;
    auto fixed_at = [&](NodeIndex n, int t) {
        const double now_kw = obs.nodes[n].fixed_flow_kw;
        if (t == 0) return now_kw;
        const Time from = obs.now + cm.period * t;
        if (node_forecast) return node_series[n] ? at(f, *node_series[n], from, now_kw) : 0.0;
        if (n != 0 || f == nullptr) return now_kw;
        // Root only, from the site totals, shifted so that it starts from what is observed now.
        const double net = at(f, f->base_load_kw, from, 0.0) - at(f, f->pv_kw, from, 0.0);
        const double net_now = at(f, f->base_load_kw, obs.now, 0.0) - at(f, f->pv_kw, obs.now, 0.0);
        return now_kw + net - net_now;
    };

    for (NodeIndex n = 0; n < obs.nodes.size(); ++n) {
        const double import_limit = obs.nodes[n].import_limit_kw;
        const double export_limit = obs.nodes[n].export_limit_kw;
        for (int t = 0; t < cm.periods; ++t) {
            if (node_flow[n][t].terms().empty()) continue;
            const double fixed = fixed_at(n, t);
            // Never tighter than zero: a node over its limit from fixed flow alone cannot be
            // helped by a plan, and the engine's check is on what the decision adds.
            const double upper = std::isfinite(import_limit) ? std::max(0.0, import_limit - fixed) : kInf;
            const double lower = node_gives[n][t] && std::isfinite(export_limit)
                                     ? std::min(0.0, -export_limit - fixed)
                                     : -kInf;
            if (std::isfinite(upper) || std::isfinite(lower)) {
                if (std::isfinite(upper))
                    m.add_le(node_flow[n][t], upper, "node" + std::to_string(n) + ".t" + std::to_string(t));
                if (std::isfinite(lower)) m.add_ge(node_flow[n][t], lower);
            }
        }
    }

    // Three-phase limits: the projections of the phasor sum on K evenly spread directions stay
    // below limit·cos(π/K), a polygon inside the circle. Aligned phasors need one exact row. With
    // lazy_phase_rows the polygon's rows are left to add_phase_rows, which adds those a solution
    // breaks (most never bind).
    cm.phase_sides = std::max(3, options.phase_polygon_sides);
    for (std::size_t k = 0; k < obs.phase_constraints.size(); ++k) {
        const PhaseConstraintView& pc = obs.phase_constraints[k];
        PhaseLimit pl;
        pl.limit_a = pc.limit_a;
        pl.re.assign(obs.connectors.size(), 0.0);
        pl.im.assign(obs.connectors.size(), 0.0);
        pl.in.assign(obs.connectors.size(), 0);
        if (!std::isfinite(pc.limit_a) || pc.terms.empty()) {
            cm.phase_limits.push_back(std::move(pl));
            continue;
        }
        for (const ConnectorTerm& term : pc.terms) {
            if (term.connector >= obs.connectors.size()) continue;
            pl.re[term.connector] += term.coefficient * term.amps_per_kw * term.cos_phase;
            pl.im[term.connector] += term.coefficient * term.amps_per_kw * term.sin_phase;
            pl.in[term.connector] = 1;
        }
        // Aligned: every phasor a non-negative multiple of one direction.
        double ur = 0, ui = 0;
        bool aligned = true;
        for (std::size_t c = 0; c < pl.re.size() && aligned; ++c) {
            if (!pl.in[c] || std::hypot(pl.re[c], pl.im[c]) < 1e-12) continue;
            if (ur == 0 && ui == 0) {
                const double len = std::hypot(pl.re[c], pl.im[c]);
                ur = pl.re[c] / len;
                ui = pl.im[c] / len;
            } else if (std::abs(pl.re[c] * ui - pl.im[c] * ur) > 1e-9 * std::hypot(pl.re[c], pl.im[c]) ||
                       pl.re[c] * ur + pl.im[c] * ui < 0) {
                aligned = false;
            }
        }
        pl.added.assign(static_cast<std::size_t>(cm.periods) * cm.phase_sides, 0);
        for (int t = 0; t < cm.periods; ++t) {
            bool any = false, gives = false;
            for (const PhaseActive& a : active[t])
                if (pl.in[a.connector]) {
                    any = true;
                    gives = gives || a.has_discharge;
                }
            if (!any) continue;
            if (aligned && !gives) {
                m.add_le(cm.phase_projection(pl, t, ur, ui), pc.limit_a);
                continue;
            }
            pl.slots.push_back(t);
            if (!options.lazy_phase_rows)
                for (int d = 0; d < cm.phase_sides; ++d) cm.add_phase_row(pl, t, d);
        }
        cm.phase_limits.push_back(std::move(pl));
    }

    // Grid exchange, its prices, curtailment of a PV surplus, and the demand charge.
    const DemandView& dv = obs.demand;
    cm.demand_rate = options.demand_charge_per_kw >= 0 ? options.demand_charge_per_kw : dv.rate_per_kw;
    cm.peak_so_far = std::max(0.0, options.peak_so_far_kw >= 0 ? options.peak_so_far_kw : dv.peak_kw);
    cm.peak = m.add_continuous(cm.peak_so_far, kInf, "peak");
    const double export_limit = obs.nodes.empty() ? kInf : obs.nodes[0].export_limit_kw;
    const bool by_interval = cm.demand_rate > 0 && options.demand_charge_per_kw < 0 && dv.interval.ms() > 0;
    std::vector<LinExpr> interval_kwh;
    for (int t = 0; t < cm.periods; ++t) {
        const double fixed = obs.nodes.empty() ? 0.0 : fixed_at(0, t);
        const Var imp = m.add_continuous(0.0, kInf, "import.t" + std::to_string(t));
        const Var exp = m.add_continuous(0.0, std::max(0.0, export_limit), "export.t" + std::to_string(t));
        cm.grid_import.push_back(imp);
        cm.grid_export.push_back(exp);
        LinExpr balance = LinExpr(imp) - exp;
        if (fixed < 0) balance.add(m.add_continuous(0.0, -fixed, "curtail.t" + std::to_string(t)), -1.0);
        balance -= obs.nodes.empty() ? LinExpr() : node_flow[0][t];
        m.add_eq(balance, fixed, "grid.t" + std::to_string(t));
        cost.add(imp, cm.import_price[t] * cm.hours[t]);
        cost.add(exp, -cm.export_price[t] * cm.hours[t]);
        if (cm.demand_rate <= 0) continue;
        const Time from = obs.now + cm.period * t;
        if (by_interval) {
            if (from >= dv.period_end) continue;  // the next billing period's peak is not modelled
            const auto k = static_cast<std::size_t>(std::max<std::int64_t>(0, (from - dv.interval_start) / dv.interval));
            if (interval_kwh.size() <= k) interval_kwh.resize(k + 1);
            interval_kwh[k].add(imp, cm.hours[t]);
        } else {
            m.add_ge(LinExpr(cm.peak) - imp, 0.0);
        }
    }
    if (by_interval) {
        const double interval_h = dv.interval.hours_f();
        for (std::size_t k = 0; k < interval_kwh.size(); ++k) {
            if (interval_kwh[k].terms().empty()) continue;
            LinExpr demand = interval_kwh[k] * (1.0 / interval_h);
            if (k == 0) demand.add(dv.interval_kwh / interval_h);
            m.add_ge(LinExpr(cm.peak) - demand, 0.0, "demand.k" + std::to_string(k));
        }
    }
    cost.add(cm.peak, cm.demand_rate);
    cost.add(-cm.demand_rate * cm.peak_so_far);
    m.minimise(cost);
    return cm;
}

LinExpr ChargingModel::phase_projection(const PhaseLimit& pl, int t, double cr, double ci) const {
    LinExpr proj;
    for (const PhaseActive& a : phase_active[t]) {
        if (!pl.in[a.connector]) continue;
        const double coef = pl.re[a.connector] * cr + pl.im[a.connector] * ci;
        proj.add(a.charge, coef);
        if (a.has_discharge) proj.add(a.discharge, -coef);
    }
    return proj;
}

void ChargingModel::add_phase_row(PhaseLimit& pl, int t, int d) {
    char& done = pl.added[static_cast<std::size_t>(t) * phase_sides + d];
    if (done) return;
    done = 1;
    const double theta = 2.0 * std::numbers::pi * d / phase_sides;
    model.add_le(phase_projection(pl, t, std::cos(theta), std::sin(theta)),
                 pl.limit_a * std::cos(std::numbers::pi / phase_sides));
}

int ChargingModel::add_phase_rows(const Solution& solution) {
    if (!solution.has_values()) return 0;
    int added = 0;
    const double bound_scale = std::cos(std::numbers::pi / phase_sides);
    for (PhaseLimit& pl : phase_limits)
        for (const int t : pl.slots) {
            double re = 0.0, im = 0.0;
            for (const PhaseActive& a : phase_active[t]) {
                if (!pl.in[a.connector]) continue;
                double kw = solution.value(a.charge);
                if (a.has_discharge) kw -= solution.value(a.discharge);
                re += pl.re[a.connector] * kw;
                im += pl.im[a.connector] * kw;
            }
            // The polygon side facing the phasor sum is the one it would break first.
            double theta = std::atan2(im, re);
            if (theta < 0) theta += 2.0 * std::numbers::pi;
            const int near = static_cast<int>(std::lround(theta / (2.0 * std::numbers::pi / phase_sides))) % phase_sides;
            for (int d : {near, (near + 1) % phase_sides, (near + phase_sides - 1) % phase_sides}) {
                const double a = 2.0 * std::numbers::pi * d / phase_sides;
                if (re * std::cos(a) + im * std::sin(a) > pl.limit_a * bound_scale * (1.0 + 1e-7) + 1e-9 &&
                    !pl.added[static_cast<std::size_t>(t) * phase_sides + d]) {
                    add_phase_row(pl, t, d);
                    ++added;
                }
            }
        }
    return added;
}

double ChargingModel::row_kw(const Solution& solution, std::size_t row, int t) const {
    const PlannedSession& ps = planned[row];
    const int k = t - ps.first;
    if (!solution.has_values() || k < 0 || k >= static_cast<int>(ps.charge.size())) return 0.0;
    double kw = solution.value(ps.charge[k]);
    if (!ps.discharge.empty()) kw -= solution.value(ps.discharge[k]);
    return kw;
}

std::vector<double> ChargingModel::planned_kw(const Solution& solution, int t, std::size_t connector_count) const {
    std::vector<double> kw(connector_count, 0.0);
    for (std::size_t row = 0; row < planned.size(); ++row)
        if (planned[row].connector < connector_count) kw[planned[row].connector] += row_kw(solution, row, t);
    return kw;
}

double ChargingModel::planned_need(const Solution& solution, std::size_t row, int t) const {
    const PlannedSession& ps = planned[row];
    double need = ps.need_kwh;
    if (!solution.has_values()) return need;
    for (int k = 0; k < static_cast<int>(ps.charge.size()) && ps.first + k < t; ++k) {
        const double h = hours[static_cast<std::size_t>(ps.first + k)];
        need -= solution.value(ps.charge[k]) * h * ps.efficiency;
        if (!ps.discharge.empty()) need += solution.value(ps.discharge[k]) * h / ps.efficiency;
    }
    return std::max(0.0, need);
}

double ChargingModel::ess_kw(const Solution& solution, int t) const {
    if (!solution.has_values() || t < 0 || t >= static_cast<int>(ess_charge.size())) return 0.0;
    return solution.value(ess_charge[t]) - solution.value(ess_discharge[t]);
}

double ChargingModel::expected_cost(const Solution& solution, int from) const {
    if (!solution.has_values()) return std::numeric_limits<double>::quiet_NaN();
    double cost = demand_rate * (solution.value(peak) - peak_so_far);
    for (int t = std::max(0, from); t < periods; ++t) {
        cost += (import_price[t] * solution.value(grid_import[t]) - export_price[t] * solution.value(grid_export[t])) *
                hours[t];
        if (!ess_discharge.empty()) cost += ess_degradation * solution.value(ess_discharge[t]) * hours[t];
    }
    for (const PlannedSession& ps : planned) {
        cost += unmet_penalty * solution.value(ps.slack);
        for (std::size_t k = 0; k < ps.discharge.size(); ++k)
            if (const int t = ps.first + static_cast<int>(k); t >= from)
                cost += (degradation / ps.efficiency + v2g_payment_factor * import_price[t]) *
                        solution.value(ps.discharge[k]) * hours[t];
    }
    return cost;
}

}  // namespace evtwin::milp
