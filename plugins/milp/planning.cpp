#include "plugins/milp/planning.hpp"

#include "plugins/milp/formulation/charge_taper.hpp"

#include <evtwin/ess_grid_permissions.hpp>
#include <evtwin/headroom.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace evtwin::milp {
namespace {

constexpr double kEps = 1e-9;
// Rounds of lazy polygon rows, and of exact cuts, per plan.
constexpr int kPhaseRowRounds = 12;
constexpr int kPhaseCutRounds = 40;
constexpr double kQuiet = 1e-6;  // kW below which a plan's power is zero

// The setpoint closest to `planned_kw` from above that fits `room_kw`, else the largest below.
double realisable(const ConnectorView& c, double planned_kw, double room_kw) {
    if (planned_kw <= kQuiet) return 0.0;
    const double cap = feasible_setpoint_below(c, room_kw);
    if (c.setpoints_kw.empty()) {
        const double kw = std::min(std::max(planned_kw, c.min_kw), cap);
        return kw + kEps < c.min_kw ? 0.0 : kw;
    }
    double best = cap;
    for (double s : c.setpoints_kw)
        if (s >= planned_kw - 1e-6 && s <= cap + kEps && s < best) best = s;
    return best;
}

std::vector<const SessionView*> by_departure(const Observation& obs) {
    std::vector<const SessionView*> order;
    for (const SessionView& s : obs.sessions)
        if (s.connector < obs.connectors.size()) order.push_back(&s);
    std::stable_sort(order.begin(), order.end(), [](const SessionView* a, const SessionView* b) {
        return a->declared_departure < b->declared_departure;
    });
    return order;
}

}  // namespace

namespace {

constexpr double kCatchUpFromKwh = 0.01;

// "s12.on.t5" -> ("s12.on", 5); a name without a period suffix gives period -1.
std::pair<std::string_view, int> split_period(std::string_view name) {
    const std::size_t dot = name.rfind(".t");
    if (dot == std::string_view::npos || dot + 2 >= name.size()) return {name, -1};
    int t = 0;
    for (std::size_t i = dot + 2; i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9') return {name, -1};
        t = t * 10 + (name[i] - '0');
    }
    return {name.substr(0, dot), t};
}

// Extra power that brings a session that fell behind its planned energy back onto it by the end of
// its planned window. A plan assumes a vehicle takes what it is given; one that tapers near full
// takes less, and a plan that is followed (not re-made each period) would leave that short.
double catch_up_kw(const Observation& obs, const Plan& plan, const SessionView& s, std::size_t row, int t) {
    const ChargingModel& cm = plan.model;
    const PlannedSession& ps = cm.planned[row];
    const double planned_kw = cm.row_kw(plan.solution, row, t);
    const double into_h = std::max(0.0, (obs.now - std::max(cm.bounds[t], s.arrival)).hours_f());
    const double inlet_kw = planned_kw > 0 ? planned_kw * ps.efficiency : planned_kw / ps.efficiency;
    const double lag_kwh = s.remaining_kwh - (cm.planned_need(plan.solution, row, t) - inlet_kw * into_h);
    if (lag_kwh <= kCatchUpFromKwh) return 0.0;
    const Time window_end = cm.bounds[ps.first + static_cast<int>(ps.charge.size())];
    const double left_h = std::max((window_end - obs.now).hours_f(), cm.period.hours_f());
    return lag_kwh / ps.efficiency / left_h;
}

// Whether the plan asks of a vehicle, over what is left of period t, about all its charge curve
// lets it take (at least kCurveLimitedShare of what its battery takes from its SoC now): a
// constant setpoint at the period's average would then cost energy, since the battery takes more
// than the average early in the period and less later. Such a vehicle is asked all it takes; its
// curve keeps it within the bound, so it takes no more than the plan counted.
bool curve_limited(const Plan& plan, const PlannedSession& ps, const SessionView& s, double charger_kw, int t,
                   Time now, double want_kw) {
    constexpr double kCurveLimitedShare = 0.99;
    const ChargingModel& cm = plan.model;
    const int k = t - ps.first;
    if (k < 0 || k >= static_cast<int>(ps.hours.size()) || !(s.capacity_kwh > 0.0)) return false;
    const std::vector<TaperLine> lines = taper_lines(s.charge_curve, s.curve_rated_kw);
    if (lines.empty()) return false;
    const Time present_from = std::max(cm.bounds[t], s.arrival);
    const Time present_to =
        std::min(cm.bounds[t + 1],
                 present_from + Duration(static_cast<std::int64_t>(std::llround(ps.hours[k] * 3'600'000.0))));
    const double hours = (present_to - now).hours_f();
    if (hours <= 0.0) return false;
    const double cap_kw =
        std::min(charger_kw * ps.efficiency, curve_top_kw(s.charge_curve, s.curve_rated_kw));
    const double most_kwh =
        taper_energy(lines, cap_kw, s.battery_charge_efficiency / s.capacity_kwh, s.soc, hours).kwh;
    return want_kw * ps.efficiency * hours >= kCurveLimitedShare * most_kwh;
}

// The most a vehicle's charger is set to draw when the plan asks all it takes: SessionView::
// max_charge_kw, except in decision periods, where that is the period's average at full power and a
// setpoint at it would cap the start of the period, where the battery takes more than the average;
// there, its charger's rating within what its curve takes at its SoC now.
double all_it_takes_kw(const Observation& obs, const SessionView& s, const ConnectorView& c) {
    if (obs.mode != RunMode::decision_period || s.charge_curve.empty() || !(s.charge_efficiency > 0.0))
        return s.max_charge_kw;
    const double now_kw = curve_fraction(s.charge_curve, s.soc) * s.curve_rated_kw / s.charge_efficiency;
    return std::max(s.max_charge_kw, std::min(c.max_kw, now_kw));
}

}  // namespace

std::vector<StartValue> carried_start(const Plan& previous, const ChargingModel& next) {
    std::vector<StartValue> start;
    if (!previous.solution.has_values() || previous.model.period != next.period) return start;
    const int shift = previous.model.period_at(next.start);  // both on the run's control periods
    std::unordered_map<std::string, double> earlier;
    const auto& before = previous.model.model.columns();
    for (std::size_t c = 0; c < before.size(); ++c)
        if (before[c].type != VarType::continuous)
            earlier.emplace(before[c].name, previous.solution.values[c]);
    const auto& after = next.model.columns();
    std::string key;
    for (std::size_t c = 0; c < after.size(); ++c) {
        if (after[c].type == VarType::continuous) continue;
        const auto [stem, t] = split_period(after[c].name);
        if (t < 0) continue;
        key.assign(stem).append(".t").append(std::to_string(t + shift));
        if (const auto it = earlier.find(key); it != earlier.end())
            start.push_back({Var{static_cast<std::uint32_t>(c)}, it->second});
    }
    return start;
}

namespace {

// Energy first: the least slack the first stage found, plus what the solver's tolerances leave.
double slack_allowance(double least_kwh) {
    return least_kwh + 1e-6 * std::abs(least_kwh) + 1e-6;
}

// Where a plan's first solve starts: from scratch, or from the solver's last basis, for the stages
// of one plan that keep its model and change the objective.
enum class FirstSolve { from_scratch, from_last_basis };

// Solves the plan's model, then adds the phase rows (or exact cuts) its solution breaks and solves
// again, from the last basis where the plan is an LP, a bounded number of rounds (Headroom keeps
// the limits whatever is left). Returns whether the clock stopped a solve.
bool solve_with_phase_rounds(Plan& plan, const ChargingOptions& options, Solver& solver,
                             std::span<const StartValue> start, FirstSolve first = FirstSolve::from_scratch) {
    plan.solution = first == FirstSolve::from_last_basis ? solver.solve_again(plan.model.model, start)
                                                         : solver.solve(plan.model.model, start);
    bool stopped_by_clock = plan.solution.stopped_by_clock;
    const int rounds = options.exact_phase ? kPhaseCutRounds : kPhaseRowRounds;
    // Every kind of row in each round: the phase limits', the charge curves' and the feeder's.
    const auto add_broken_rows = [&plan] {
        const int phase_rows = plan.model.add_broken_phase_rows(plan.solution);
        const int taper_rows = plan.model.add_taper_cuts(plan.solution);
        return phase_rows + taper_rows + plan.model.add_feeder_cuts(plan.solution);
    };
    for (int round = 0; round < rounds && plan.solution.has_values() && add_broken_rows() > 0; ++round) {
        plan.solution = solver.solve_again(plan.model.model, start);
        stopped_by_clock = stopped_by_clock || plan.solution.stopped_by_clock;
    }
    return stopped_by_clock;
}

// The model's objective as an expression.
LinExpr objective_of(const Model& model) {
    LinExpr cost(model.objective_constant());
    for (std::size_t c = 0; c < model.num_vars(); ++c)
        if (model.objective()[c] != 0.0) cost.add(Var{static_cast<std::uint32_t>(c)}, model.objective()[c]);
    return cost;
}

// A tie-break policy among the plans that cost what the solved one does: its cost without the
// preferences held (within the solver's tolerances), the policy's measure minimised, the preferences
// deciding what is still equal. Returns whether the clock stopped a solve.
bool solve_tie_break(Plan& plan, const ChargingOptions& options, Solver& solver) {
    ChargingModel& cm = plan.model;
    Model& model = cm.model;
    LinExpr cost = objective_of(model);
    cost -= cm.preference;
    const double least = plan.solution.value(cost);
    model.add_le(cost, least + 1e-9 * std::abs(least) + 1e-9, "tie.cost");
    LinExpr policy = cm.preference;
    if (options.tie_break == TieBreak::charge_before_export) {
        for (int t = 0; t < cm.periods; ++t) policy.add(cm.grid_export[t], cm.hours[t]);
    } else {
        const std::vector<Var>& flow =
            options.tie_break == TieBreak::level_import ? cm.grid_import : cm.grid_export;
        const Var top = model.add_continuous(0.0, kInf, "tie.top");
        for (const Var v : flow) model.add_le(LinExpr(v) - LinExpr(top), 0.0);
        policy.add(top, 1.0);
    }
    model.minimise(policy);
    const Solution cheapest = plan.solution;
    const bool stopped_by_clock =
        solve_with_phase_rounds(plan, options, solver, {}, FirstSolve::from_last_basis);
    if (!plan.solution.has_values()) {
        // The solver failed on the policy: the cheapest plan stands (the policy's column at zero).
        plan.solution = cheapest;
        plan.solution.values.resize(model.num_vars(), 0.0);
    }
    return stopped_by_clock;
}

// Energy first: the least energy left undelivered (the sum of the slacks, the only objective of a
// first stage), then the plan's own objective with that sum held. Two objectives of plain scale
// where one with a penalty far above every price would leave CLP's re-solves in numerical trouble.
bool solve_energy_first(Plan& plan, const ChargingOptions& options, Solver& solver,
                        std::span<const StartValue> start) {
    Model& model = plan.model.model;
    const LinExpr cost = objective_of(model);
    LinExpr unmet;
    for (const Var v : plan.model.slack) unmet.add(v, 1.0);
    model.minimise(unmet);
    bool stopped_by_clock = solve_with_phase_rounds(plan, options, solver, start);
    // Where the first stage fails the second plans at its own cost alone.
    const Solution most_energy = plan.solution;
    if (most_energy.has_values()) model.add_le(unmet, slack_allowance(most_energy.value(unmet)));
    model.minimise(cost);
    stopped_by_clock = solve_with_phase_rounds(plan, options, solver, start, FirstSolve::from_last_basis) ||
                       stopped_by_clock;
    // The second stage's phase cuts can make the first's energy unreachable where the first ran out
    // of rounds before its cuts were done: its plan then stands, the most energy at any cost.
    if (!plan.solution.has_values()) plan.solution = most_energy;
    return stopped_by_clock;
}

}  // namespace

PlanDraft draft_plan(const Observation& obs, const ChargingOptions& options,
                     std::vector<StrategyEvent>& events, const std::vector<UpcomingSession>* upcoming,
                     Time horizon_end, const Plan* warm_from) {
    PlanDraft draft;
    try {
        draft.plan.model = build_charging_model(obs, options, upcoming, horizon_end);
        if (warm_from != nullptr) draft.plan.model.carry_phase_cuts(warm_from->model, warm_from->solution);
        if (warm_from != nullptr) draft.start = carried_start(*warm_from, draft.plan.model);
        draft.built = true;
    } catch (const std::exception& e) {
        draft.plan.model.feeder.feeder = nullptr;
        events.push_back({"solver_fallback", std::string("error: ") + e.what()});
    }
    return draft;
}

Plan solve_draft(PlanDraft draft, const ChargingOptions& options, Solver& solver,
                 std::vector<StrategyEvent>& events) {
    Plan plan = std::move(draft.plan);
    if (!draft.built) return plan;
    try {
        bool stopped_by_clock = options.energy_first
                                    ? solve_energy_first(plan, options, solver, draft.start)
                                    : solve_with_phase_rounds(plan, options, solver, draft.start);
        if (options.tie_break != TieBreak::preferences && plan.solution.has_values())
            stopped_by_clock = solve_tie_break(plan, options, solver) || stopped_by_clock;
        if (stopped_by_clock && plan.solution.has_values()) {
            char text[160];
            std::snprintf(text, sizeof text,
                          "stopped at time_limit_s = %g s with a feasible plan: a run on a more or less "
                          "loaded machine may differ (max_nodes bounds the work repeatably)",
                          solver.options().time_limit_s);
            events.push_back({"solver_time_limit", text});
        }
    } catch (const std::exception& e) {
        plan.solution = Solution{};
        plan.model.feeder.feeder = nullptr;
        events.push_back({"solver_fallback", std::string("error: ") + e.what()});
        return plan;
    }
    plan.model.feeder.feeder = nullptr;  // the Observation's: gone after this decision
    if (!plan.solution.has_values() && plan.model.model.has_integers()) {
        // CBC gave up on the MILP (numerical trouble, the clock before any solution, or an
        // infeasibility its preprocessing reports where none is: no power at all is always a
        // plan): its LP relaxation is a plan follow_plan can round to what the chargers hold, far
        // closer to the optimum than charging everything at once.
        SolveOptions relaxed = solver.options();
        relaxed.relax_integrality = true;
        const Solution lp = milp::solve(plan.model.model, relaxed);
        if (lp.has_values()) {
            events.push_back({"solver_fallback",
                              std::string(to_string(plan.solution.status)) + ": followed the LP relaxation"});
            plan.solution = lp;
        }
    }
    if (!plan.solution.has_values()) {
        events.push_back({"solver_fallback", std::string(to_string(plan.solution.status))});
        return plan;
    }
    for (std::size_t r = 0; r < plan.model.planned.size(); ++r)
        plan.rows.emplace(plan.model.planned[r].id, static_cast<int>(r));
    return plan;
}

Plan make_plan(const Observation& obs, const ChargingOptions& options, Solver& solver, Decision& out,
               const std::vector<UpcomingSession>* upcoming, Time horizon_end, const Plan* warm_from) {
    return solve_draft(draft_plan(obs, options, out.events, upcoming, horizon_end, warm_from), options,
                       solver, out.events);
}

void heuristic_decision(const Observation& obs, Decision& out) {
    out.connector_kw.assign(obs.connectors.size(), 0.0);
    out.ess_kw.assign(obs.ess.size(), 0.0);
    Headroom room(obs);
    for (const SessionView* s : by_departure(obs)) {
        const ConnectorView& c = obs.connectors[s->connector];
        if (!c.usable() || s->remaining_kwh <= kEps) continue;
        const double kw =
            feasible_setpoint_below(c, std::min(s->max_charge_kw, room.charge_room(s->connector)));
        room.take(s->connector, kw);
        out.connector_kw[s->connector] = kw;
    }
}

void follow_plan(const Observation& obs, const Plan& plan, Decision& out) {
    if (!plan.solution.has_values()) {
        heuristic_decision(obs, out);
        return;
    }
    out.connector_kw.assign(obs.connectors.size(), 0.0);
    out.ess_kw.assign(obs.ess.size(), 0.0);
    const int t = plan.period_at(obs.now);
    std::vector<double> want(obs.sessions.size(), 0.0);
    std::vector<double> most(obs.sessions.size(), 0.0);  // the most each charger is set to draw
    for (std::size_t i = 0; i < obs.sessions.size(); ++i) {
        const SessionView& s = obs.sessions[i];
        const int row = plan.row_of(s.id);
        most[i] = s.max_charge_kw;
        if (row >= 0) {
            const auto r = static_cast<std::size_t>(row);
            want[i] = plan.model.row_kw(plan.solution, r, t) + catch_up_kw(obs, plan, s, r, t);
            if (want[i] > kQuiet && curve_limited(plan, plan.model.planned[r], s,
                                                  obs.connectors[s.connector].max_kw, t, obs.now, want[i])) {
                most[i] = all_it_takes_kw(obs, s, obs.connectors[s.connector]);
                want[i] = std::max(want[i], most[i]);
            }
        } else if (s.remaining_kwh > kEps)
            want[i] = s.max_charge_kw;  // unknown to the plan: as fast as it can
    }
    // A vehicle may give less than its discharge setpoint and take less than its charging one, so
    // neither direction counts on the other: charging is granted as if nothing discharged, and
    // discharge as if nothing charged. A plan that charges one vehicle from another's discharge at
    // a full transformer is cut back, never over the limit.
    Headroom room(obs);
    Headroom charge_room(obs);
    for (std::size_t i = 0; i < obs.sessions.size(); ++i) {
        const SessionView& s = obs.sessions[i];
        if (want[i] >= -kQuiet || s.connector >= obs.connectors.size()) continue;
        const ConnectorView& c = obs.connectors[s.connector];
        if (!c.usable() || !s.v2g_allowed || !c.v2g_capable) continue;
        const double kw =
            std::min({-want[i], s.max_discharge_kw, c.max_kw, room.discharge_room(s.connector)});
        if (kw <= kQuiet) continue;
        room.take(s.connector, -kw);
        out.connector_kw[s.connector] = -kw;
    }
    for (std::size_t b = 0; b < obs.ess.size(); ++b) {
        const double planned = plan.model.ess_kw(plan.solution, b, t);
        const EssView& ess = obs.ess[b];
        if (planned >= -kQuiet || ess.node >= obs.nodes.size()) continue;
        const double kw = std::min({-planned, ess.max_discharge_kw, room.discharge_room_at(ess.node)});
        room.take_at(ess.node, -kw);
        out.ess_kw[b] = -kw;
    }
    for (const SessionView* s : by_departure(obs)) {
        const std::size_t i = static_cast<std::size_t>(s - obs.sessions.data());
        const ConnectorView& c = obs.connectors[s->connector];
        if (want[i] <= kQuiet || !c.usable() || s->remaining_kwh <= kEps) continue;
        const double kw =
            realisable(c, std::min(want[i], most[i] + kEps), charge_room.charge_room(s->connector));
        charge_room.take(s->connector, kw);
        out.connector_kw[s->connector] = kw;
    }
    for (std::size_t b = 0; b < obs.ess.size(); ++b) {
        const double planned = plan.model.ess_kw(plan.solution, b, t);
        const EssView& ess = obs.ess[b];
        if (planned <= kQuiet || ess.node >= obs.nodes.size()) continue;
        const double kw = std::min({planned, ess.max_charge_kw, charge_room.charge_room_at(ess.node)});
        charge_room.take_at(ess.node, kw);
        out.ess_kw[b] = kw;
    }
    hold_to_grid_permissions(obs, out);  // the plan holds them on average, the engine at every instant
    out.pv_limit_kw = plan.model.pv_limit_kw(plan.solution, t);
    out.expected_cost = plan.model.expected_cost(plan.solution, t);
}

bool departs_from(const Observation& obs, const Plan& plan, double tolerance_kwh) {
    return !departure_reason(obs, plan, tolerance_kwh).empty();
}

std::string departure_reason(const Observation& obs, const Plan& plan, double tolerance_kwh) {
    if (!plan.solution.has_values()) return "no plan";
    if (!plan.covers(obs.now)) return "plan ended";
    const int t = plan.period_at(obs.now);
    for (const SessionView& s : obs.sessions) {
        if (s.remaining_kwh <= kEps && !s.v2g_allowed) continue;
        const int row = plan.row_of(s.id);
        const std::string who = "session " + std::to_string(s.id);
        if (row < 0) return who + " not planned";
        const PlannedSession& ps = plan.model.planned[static_cast<std::size_t>(row)];
        if (ps.connector != s.connector) return who + " on another connector";
        const double need = plan.model.planned_need(plan.solution, static_cast<std::size_t>(row), t);
        if (s.remaining_kwh > need + tolerance_kwh + 0.02 * ps.need_kwh) return who + " behind plan";
        if (s.v2g_allowed && s.remaining_kwh < need - tolerance_kwh - 0.02 * ps.need_kwh)
            return who + " ahead of plan";
    }
    return {};
}

}  // namespace evtwin::milp
