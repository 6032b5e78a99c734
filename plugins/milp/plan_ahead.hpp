#pragma once
// Planning ahead of the control period (mpc's `plan_ahead`): a plan that takes longer to solve than
// a decision may wait is made from the decision in force and solved on another thread while that
// decision runs, then followed from the next boundary of the control periods. Its first period (now
// to that boundary) holds what was decided for it, so the plan starts where that decision leaves
// the vehicles and batteries. When a plan is followed depends on the run's time alone, never on how
// fast it was solved: the decision at that boundary waits for it, and a simulation repeats.
#include "plugins/milp/planning.hpp"

#include <cstdint>
#include <future>
#include <vector>

namespace evtwin::milp {

// How the first period holds the decision in force: at it, or (where the model cannot hold it
// exactly: a forecast or a charge curve that the decision did not see) at most at it.
enum class Hold : std::uint8_t { exactly, at_most };

// One variable of the model's first period and what the decision in force gives it: a vehicle's or
// a battery's power, within what each can still take and give in that period (a vehicle stops at its
// request and its minimum SoC, a battery at its SoC bounds) and the variable's bounds.
struct FirstPeriodHold {
    Var var;
    double lower = 0.0;  // the variable's own
    double kw = 0.0;
};
std::vector<FirstPeriodHold> first_period_holds(const ChargingModel& model, const Observation& obs,
                                                const Decision& decided);
// Fixes each variable at its power, or bounds it there from above.
void hold(Model& model, const std::vector<FirstPeriodHold>& holds, Hold how);

class PlanAhead {
public:
    bool pending() const { return solved_.valid(); }
    // The first instant the pending plan is to be followed.
    Time from() const { return from_; }
    // Holds the draft's first period at `decided` and solves it on another thread, with a solver of
    // its own; a draft that holds a feeder's limits cannot be (its cut rounds need the Observation).
    // Where the exact holds leave no plan, a copy taken before the solve is solved with the decision
    // as a cap.
    void start(PlanDraft draft, const Observation& obs, const Decision& decided,
               const ChargingOptions& options, const SolveOptions& solve);
    // Waits for the pending plan; the events of its solve go to `events`.
    Plan take(std::vector<StrategyEvent>& events);

private:
    struct Solved {
        Plan plan;
        std::vector<StrategyEvent> events;
    };
    std::future<Solved> solved_;  // destroyed first: its destructor waits for the thread
    Time from_;
};

}  // namespace evtwin::milp
