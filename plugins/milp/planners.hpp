#pragma once
// The two ways the MILP strategies plan: an oracle that solves the whole run once with perfect
// foresight and follows it (re-solving only when reality leaves the plan), and a receding horizon
// (MPC) that plans again at every decision from a forecast of the vehicles to come.
#include "plugins/milp/plan_ahead.hpp"
#include "plugins/milp/planning.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace evtwin::milp {

// When the oracle makes its plan again: at every decision (the tightest yardstick: a plan followed
// between re-plans misses what reality does differently from the model, e.g. a vehicle that tapers
// or gives less than its discharge setpoint), only when reality leaves the plan, or `auto`: at every
// decision where that is bounded work, on deviation elsewhere.
enum class Replan : std::uint8_t { auto_, every_decision, on_deviation };

// auto re-plans at every decision where the first plan is a linear program (no minimum power,
// setpoints or direction binaries: a whole-run MILP re-solve can take a minute) whose columns x
// periods stay within this: v2g_profit_max.lua's 11,444 x 480 = 5.5e6 re-plans at every decision;
// the caltech_acn month's 91,331 x 8,916 = 8.1e8, over a hundred times as much work, does not.
inline constexpr double kEveryDecisionWork = 2e7;
bool replans_every_decision(Replan replan, const ChargingModel& first_plan);

struct OracleSettings {
    double tolerance_kwh = 0.5;  // on deviation: the lag (or lead, V2G) that makes a plan again
    Replan replan = Replan::auto_;
};

// Reads tolerance_kwh and replan (auto, every, deviation).
OracleSettings read_oracle_settings(const OptionReader& read);
std::vector<std::string> oracle_keys();

class OraclePlanner {
public:
    OraclePlanner(ChargingOptions options, SolveOptions solve, OracleSettings settings);
    Foresight foresight() const { return {Foresight::whole_run()}; }
    void decide(const Observation& obs, Decision& out);
    int solves() const { return solves_; }

private:
    ChargingOptions options_;
    Solver solver_;
    OracleSettings settings_;
    Plan plan_;
    Time planned_at_ = Time::min();
    bool every_ = false;  // replans_every_decision(), known after the first plan
    int solves_ = 0;
};

enum class ArrivalForecast : std::uint8_t { perfect, persistence, noisy };

struct MpcSettings {
    Duration horizon = Duration::hours(24);
    ArrivalForecast arrivals = ArrivalForecast::perfect;
    double noise = 0.2;                              // noisy: relative error level
    std::uint64_t seed = 1;                          // noisy: error draws
    Duration persistence_lag = Duration::hours(24);  // persistence: arrivals seen this much earlier
    // Plan again at every decision (the default), or only when reality leaves the plan: a vehicle
    // the plan did not expect, one behind (or, with V2G, ahead of) it by more than tolerance_kwh,
    // the plan's end, or half the horizon gone by since it was made.
    bool replan_on_deviation = false;
    double tolerance_kwh = 0.5;
    // Solve each plan on another thread while the decision in force runs, and follow it from the
    // next control period (plan_ahead.hpp): no decision waits for a solve. Until the first plan, the
    // heuristic decides.
    bool plan_ahead = false;
};

class MpcPlanner {
public:
    MpcPlanner(ChargingOptions options, SolveOptions solve, MpcSettings settings);
    Foresight foresight() const;
    void decide(const Observation& obs, Decision& out);
    // The vehicles this planner expects, by its forecast source (for tests).
    std::vector<UpcomingSession> expected_arrivals(const Observation& obs);

private:
    void decide_ahead(const Observation& obs, Decision& out);
    void remember(const Observation& obs);
    // Why the last plan no longer holds; empty while it does.
    std::string replan_reason(const Observation& obs, const std::vector<UpcomingSession>& arrivals) const;

    ChargingOptions options_;
    Solver solver_;
    MpcSettings settings_;
    std::vector<UpcomingSession> seen_;  // persistence: every arrival seen, in order
    std::unordered_map<SessionId, bool> seen_ids_;
    Plan last_;  // the warm start of the next plan
    Time planned_at_ = Time::min();
    PlanAhead ahead_;  // last: it waits for its solve when destroyed
};

// Reads the MPC settings (horizon_h, forecast, noise, seed, persistence_lag_h, replan, tolerance_kwh,
// plan_ahead).
MpcSettings read_mpc_settings(const OptionReader& read);
std::vector<std::string> mpc_keys();

}  // namespace evtwin::milp
