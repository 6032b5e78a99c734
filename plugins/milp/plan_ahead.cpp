#include "plugins/milp/plan_ahead.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace evtwin::milp {
namespace {

// Fixes v at `value` (or caps it there), within its bounds.
void hold(Model& model, Var v, double value, Hold how) {
    const Column& column = model.columns()[v.index];
    const double x = std::clamp(value, column.lower, column.upper);
    model.set_bounds(v, how == Hold::exactly ? x : column.lower, x);
}

}  // namespace

void hold_first_period(ChargingModel& cm, const Observation& obs, const Decision& decided, Hold how) {
    if (cm.periods == 0) return;
    for (const PlannedSession& ps : cm.planned) {
        if (ps.session == kNone || ps.first != 0 || ps.charge.empty() ||
            ps.connector >= decided.connector_kw.size())
            continue;
        const double kw = decided.connector_kw[ps.connector];
        const double h = ps.hours[0];
        if (!(h > 0.0) || !(ps.efficiency > 0.0)) continue;
        hold(cm.model, ps.charge[0], std::min(std::max(kw, 0.0), ps.room_kwh / (ps.efficiency * h)), how);
        if (!ps.discharge.empty())
            hold(cm.model, ps.discharge[0], std::min(std::max(-kw, 0.0), ps.floor_kwh * ps.efficiency / h),
                 how);
    }
    const double h = cm.hours[0];
    for (std::size_t b = 0; b < cm.ess_charge.size() && b < obs.ess.size() && b < decided.ess_kw.size();
         ++b) {
        if (cm.ess_charge[b].empty() || !(h > 0.0)) continue;
        const EssView& ess = obs.ess[b];
        const double charge_efficiency = ess.charge_efficiency > 0 ? ess.charge_efficiency : 1.0;
        const double discharge_efficiency = ess.discharge_efficiency > 0 ? ess.discharge_efficiency : 1.0;
        const double room_kwh = std::max(0.0, ess.soc_max - ess.soc) * ess.capacity_kwh;
        const double floor_kwh = std::max(0.0, ess.soc - ess.soc_min) * ess.capacity_kwh;
        const double kw = decided.ess_kw[b];
        hold(cm.model, cm.ess_charge[b][0], std::min(std::max(kw, 0.0), room_kwh / (charge_efficiency * h)),
             how);
        hold(cm.model, cm.ess_discharge[b][0],
             std::min(std::max(-kw, 0.0), floor_kwh * discharge_efficiency / h), how);
    }
}

void PlanAhead::start(PlanDraft draft, const Observation& obs, const Decision& decided,
                      const ChargingOptions& options, const SolveOptions& solve) {
    if (draft.plan.model.feeder.feeder != nullptr)
        throw std::logic_error(
            "plan_ahead: a plan that holds a feeder's limits is solved within its decision");
    from_ = draft.plan.model.bounds.size() > 1 ? draft.plan.model.bounds[1] : obs.now;
    PlanDraft capped = draft;
    if (draft.built) {
        hold_first_period(draft.plan.model, obs, decided, Hold::exactly);
        hold_first_period(capped.plan.model, obs, decided, Hold::at_most);
    }
    solved_ = std::async(
        std::launch::async, [held = std::move(draft), capped = std::move(capped), options, solve]() mutable {
            Solved out;
            Solver solver(solve);
            out.plan = solve_draft(std::move(held), options, solver, out.events);
            if (!out.plan.solution.has_values() && capped.built) {
                out.events.clear();
                out.events.push_back({"plan_ahead",
                                      "the plan cannot hold the decision in force in its first period "
                                      "exactly: held it as a cap"});
                out.plan = solve_draft(std::move(capped), options, solver, out.events);
            }
            return out;
        });
}

Plan PlanAhead::take(std::vector<StrategyEvent>& events) {
    Solved solved = solved_.get();
    events.insert(events.end(), std::make_move_iterator(solved.events.begin()),
                  std::make_move_iterator(solved.events.end()));
    return std::move(solved.plan);
}

}  // namespace evtwin::milp
