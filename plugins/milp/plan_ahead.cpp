#include "plugins/milp/plan_ahead.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace evtwin::milp {
std::vector<FirstPeriodHold> first_period_holds(const ChargingModel& cm, const Observation& obs,
                                                const Decision& decided) {
    std::vector<FirstPeriodHold> holds;
    if (cm.periods == 0) return holds;
    const auto add = [&](Var v, double kw) {
        const Column& column = cm.model.columns()[v.index];
        holds.push_back({v, column.lower, std::clamp(kw, column.lower, column.upper)});
    };
    for (const PlannedSession& ps : cm.planned) {
        if (ps.session == kNone || ps.first != 0 || ps.charge.empty() ||
            ps.connector >= decided.connector_kw.size())
            continue;
        const double kw = decided.connector_kw[ps.connector];
        const double h = ps.hours[0];
        if (!(h > 0.0) || !(ps.efficiency > 0.0)) continue;
        add(ps.charge[0], std::min(std::max(kw, 0.0), ps.room_kwh / (ps.efficiency * h)));
        if (!ps.discharge.empty())
            add(ps.discharge[0], std::min(std::max(-kw, 0.0), ps.floor_kwh * ps.efficiency / h));
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
        add(cm.ess_charge[b][0], std::min(std::max(kw, 0.0), room_kwh / (charge_efficiency * h)));
        add(cm.ess_discharge[b][0], std::min(std::max(-kw, 0.0), floor_kwh * discharge_efficiency / h));
    }
    return holds;
}

void hold(Model& model, const std::vector<FirstPeriodHold>& holds, Hold how) {
    for (const FirstPeriodHold& held : holds)
        model.set_bounds(held.var, how == Hold::exactly ? held.kw : held.lower, held.kw);
}

void PlanAhead::start(PlanDraft draft, const Observation& obs, const Decision& decided,
                      const ChargingOptions& options, const SolveOptions& solve) {
    if (draft.plan.model.feeder.feeder != nullptr)
        throw std::logic_error(
            "plan_ahead: a plan that holds a feeder's limits is solved within its decision");
    from_ = draft.plan.model.bounds.size() > 1 ? draft.plan.model.bounds[1] : obs.now;
    std::vector<FirstPeriodHold> holds;
    if (draft.built) holds = first_period_holds(draft.plan.model, obs, decided);
    solved_ = std::async(
        std::launch::async, [draft = std::move(draft), holds = std::move(holds), options, solve]() mutable {
            Solved out;
            Solver solver(solve);
            PlanDraft capped = draft;  // here, not on the decision's thread
            hold(draft.plan.model.model, holds, Hold::exactly);
            out.plan = solve_draft(std::move(draft), options, solver, out.events);
            if (!out.plan.solution.has_values() && capped.built) {
                out.events.clear();
                out.events.push_back({"plan_ahead",
                                      "the plan cannot hold the decision in force in its first period "
                                      "exactly: held it as a cap"});
                hold(capped.plan.model.model, holds, Hold::at_most);
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
