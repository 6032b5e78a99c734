#pragma once
// The two ways the MILP strategies plan: an oracle that solves the whole run once with perfect
// foresight and follows it (re-solving only when reality leaves the plan), and a receding horizon
// (MPC) that plans again at every decision from a forecast of the vehicles to come.
#include <milp/planning.hpp>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace evtwin::milp {

// The true departures of the vehicles seen coming (foresight), kept for when they are present.
class DepartureMemory {
public:
    void remember(const Observation& obs) {
        for (const UpcomingSession& u : obs.upcoming)
            if (u.departure > u.arrival) departures_[u.id] = u.departure;
    }
    const std::unordered_map<SessionId, Time>* get() const { return &departures_; }

private:
    std::unordered_map<SessionId, Time> departures_;
};

class OraclePlanner {
public:
    OraclePlanner(ChargingOptions options, SolveOptions solve, double tolerance_kwh);
    Foresight foresight() const { return {Foresight::whole_run()}; }
    void decide(const Observation& obs, Decision& out);
    int solves() const { return solves_; }

private:
    ChargingOptions options_;
    Solver solver_;
    double tolerance_kwh_;
    Plan plan_;
    int solves_ = 0;
    DepartureMemory departures_;
};

enum class ArrivalForecast : std::uint8_t { perfect, persistence, noisy };

struct MpcSettings {
    Duration horizon = Duration::hours(24);
    ArrivalForecast arrivals = ArrivalForecast::perfect;
    double noise = 0.2;                         // noisy: relative error level
    std::uint64_t seed = 1;                     // noisy: error draws
    Duration persistence_lag = Duration::hours(24);  // persistence: arrivals seen this much earlier
};

class MpcPlanner {
public:
    MpcPlanner(ChargingOptions options, SolveOptions solve, MpcSettings settings);
    Foresight foresight() const;
    void decide(const Observation& obs, Decision& out);
    // The vehicles this planner expects, by its forecast source (for tests).
    std::vector<UpcomingSession> expected_arrivals(const Observation& obs);

private:
    void remember(const Observation& obs);

    ChargingOptions options_;
    Solver solver_;
    MpcSettings settings_;
    std::vector<UpcomingSession> seen_;  // persistence: every arrival seen, in order
    std::unordered_map<SessionId, bool> seen_ids_;
    DepartureMemory departures_;
    Plan last_;  // the warm start of the next plan
};

// Reads the MPC settings (horizon_h, forecast, noise, seed, persistence_lag_h).
MpcSettings read_mpc_settings(const OptionReader& read);
std::vector<std::string> mpc_keys();

}  // namespace evtwin::milp
