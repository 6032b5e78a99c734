#pragma once
// What the MILP strategies share beyond the formulation: option parsing, solving a plan with a
// fallback when the solver fails, and turning a plan's period into a Decision that keeps every
// limit (through Headroom).
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"

#include <evtwin/options.hpp>
#include <evtwin/strategy.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace evtwin::milp {

// The time limit per solve of the plans that are followed (offline_optimal, day_ahead), also a
// safety net far beyond what the shipped scenarios' solves need to reach their gap: a solve cut by
// the clock depends on the machine's load, and would change the plan.
inline constexpr double kFollowedPlanTimeLimitS = 600.0;

// The receding horizon's time limit per solve: a safety net that should not bind (a solve stopped by
// the clock depends on the machine's load, so the run would not repeat); max_nodes bounds the work
// reproducibly.
inline constexpr double kMpcTimeLimitS = 10.0;

// Reads a MILP strategy's options (evtwin/options.hpp's readers over them), refusing unknown keys
// and bad values with an OptionError naming the key and what was expected.
class OptionReader {
public:
    OptionReader(const StrategyOptions& options, const std::vector<std::string>& known) : options_(options) {
        check_option_keys(options, known);
    }
    double number(const std::string& key, double fallback, double min, double max) const {
        return number_option(options_, key, fallback, min, max);
    }
    std::int64_t whole(const std::string& key, std::int64_t fallback, std::int64_t min,
                       std::int64_t max) const {
        return whole_option(options_, key, fallback, min, max);
    }
    bool flag(const std::string& key, bool fallback) const { return flag_option(options_, key, fallback); }
    std::string choice(const std::string& key, const std::string& fallback,
                       const std::vector<std::string>& allowed) const {
        return choice_option(options_, key, fallback, allowed);
    }
    // The formulation's options every MILP strategy takes: unmet_penalty, demand_charge,
    // peak_so_far, binaries, setpoints, exclusive, v2g, ess, degradation_per_kwh,
    // ess_degradation_per_kwh, v2g_price_factor, phase_sides, efficiency; and time_limit_s, relax, gap.
    static std::vector<std::string> common_keys();
    ChargingOptions charging(ChargingOptions base = {}) const;
    // The defaults of the strategies with foresight: true departures.
    static ChargingOptions with_foresight() {
        ChargingOptions o;
        o.true_departures = true;
        return o;
    }
    SolveOptions solve(double default_time_limit_s) const;

private:
    const StrategyOptions& options_;
};

// A plan: the model it was built from, its solution, and the sessions it planned.
struct Plan {
    ChargingModel model;
    Solution solution;
    int period_at(Time t) const { return model.period_at(t); }
    bool covers(Time t) const { return t >= model.start && period_at(t) < model.periods; }
    std::unordered_map<SessionId, int> rows;  // session id -> row of model.planned
    // The row planned for a session id, or -1.
    int row_of(SessionId id) const {
        const auto it = rows.find(id);
        return it == rows.end() ? -1 : it->second;
    }
};

// A plan built from an Observation but not yet solved: it no longer needs the Observation (unless
// it holds a feeder's limits, whose cut rounds solve the feeder of the Observation's FeederView).
struct PlanDraft {
    Plan plan;
    std::vector<StartValue> start;  // carried from an earlier plan
    bool built = false;             // false: building failed (an event says why)
};

// Builds the plan's model (make_plan's first half). `warm_from` as for make_plan.
PlanDraft draft_plan(const Observation& obs, const ChargingOptions& options,
                     std::vector<StrategyEvent>& events,
                     const std::vector<UpcomingSession>* upcoming = nullptr, Time horizon_end = Time::min(),
                     const Plan* warm_from = nullptr);
// Solves a draft (make_plan's second half), with make_plan's fallbacks and events.
Plan solve_draft(PlanDraft draft, const ChargingOptions& options, Solver& solver,
                 std::vector<StrategyEvent>& events);

// Builds and solves; on an exception or a solver status without values returns a Plan whose
// solution has none, and records a "solver_fallback" event in `out`. `warm_from`: an earlier plan
// whose integer decisions start the search (carried_start).
Plan make_plan(const Observation& obs, const ChargingOptions& options, Solver& solver, Decision& out,
               const std::vector<UpcomingSession>* upcoming = nullptr, Time horizon_end = Time::min(),
               const Plan* warm_from = nullptr);

// A MIP start for `next` from an earlier plan: each integer variable of `next` takes the value its
// namesake had in `previous` at the same instant (names end in ".t<period>", periods counted from
// each plan's start). Variables the earlier plan did not have are left to the solver.
std::vector<StartValue> carried_start(const Plan& previous, const ChargingModel& next);

// Fills `out` with the plan's period containing obs.now: discharges first, then charging in order
// of declared departure, each within what Headroom leaves, rounded to what the charger can hold.
// A session the plan does not know gets the heuristic's power. Sets out.expected_cost.
void follow_plan(const Observation& obs, const Plan& plan, Decision& out);

// The heuristic used when there is no plan: earliest declared departure first, as fast as the
// limits allow, ESS idle.
void heuristic_decision(const Observation& obs, Decision& out);

// True when reality has left the plan: a session present that it does not know or put on another
// connector, or one that lags its planned energy by more than `tolerance_kwh`.
bool departs_from(const Observation& obs, const Plan& plan, double tolerance_kwh);
// Why it has (empty: it has not).
std::string departure_reason(const Observation& obs, const Plan& plan, double tolerance_kwh);

}  // namespace evtwin::milp
