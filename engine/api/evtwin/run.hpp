#pragma once
// Running a scenario under a strategy into a results database, as `evtwin run` does: the run's
// physics, limit checks and violations are the engine's, whatever the strategy; its KPIs are
// computed from the database and stored with it. For any program built on the SDK (the Python
// module, the planning service).
#include <evtwin/results.hpp>
#include <evtwin/scenario.hpp>
#include <evtwin/strategy.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace evtwin {

struct RunOptions {
    std::optional<std::uint64_t> seed;  // the run of this seed; default: the scenario's own
    // A strategy by name (as `evtwin plugins` lists them) or plugin path; empty: the scenario's own.
    // With `strategy_object`, the name the run is recorded under.
    std::string strategy;
    // A strategy object instead of a plugin (e.g. one written in Python), kept alive by the caller;
    // it gets the same observations, checks and violations as a plugin.
    Strategy* strategy_object = nullptr;
    std::string strategy_version = "0";  // with strategy_object
    // Over the scenario's strategy_options (its flat keys, then its table for this strategy).
    std::map<std::string, std::string> options;
    std::filesystem::path db;  // created, or the run is added
    // `db` is a new file nobody reads until the run is complete, and the caller syncs it to disk
    // (e.g. before renaming it into place): written without a journal on disk and without syncs.
    bool private_db = false;
    std::function<void(Time now)> progress;        // called every few thousand instants
    const std::atomic<bool>* interrupt = nullptr;  // set: the run stops at the next instant
};

struct RunOutcome {
    RunId run_id = 0;
    std::filesystem::path db;
    std::string strategy_name;
    std::string strategy_version;
    std::map<std::string, std::string> strategy_options;  // as recorded
    std::uint64_t seed = 0;
    std::vector<Kpi> kpis;
    std::uint64_t events = 0;
    std::uint64_t decisions = 0;
    std::uint64_t violations = 0;
    bool interrupted = false;
    double wall_s = 0.0;  // the simulation alone
};

// Throws ScenarioError (a malformed site, a failing scenario hook), PluginError (the strategy
// refused, or failed during the run: the message names it), ResultsError (the database).
RunOutcome run_scenario(const Scenario& scenario, const RunOptions& options);

}  // namespace evtwin
