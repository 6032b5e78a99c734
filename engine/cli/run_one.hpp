#pragma once
// The path `evtwin run` and `evtwin compare` share: load a scenario, load a strategy, simulate one
// run into a results database, compute and store its KPIs. What the user must be told is thrown as
// CommandFailure (message and exit code); main prints the message and returns the code.
#include "core/plugin_loader.hpp"
#include "core/simulator.hpp"
#include "model/local_time.hpp"
#include "model/scenario_spec.hpp"
#include "record/records.hpp"
#include "record/sqlite_run_writer.hpp"
#include "scenario/scenario_loader.hpp"

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace evtwin::cli {

struct CommandFailure : std::runtime_error {
    CommandFailure(int code, const std::string& message) : std::runtime_error(message), exit_code(code) {}
    int exit_code;
};

// Throws CommandFailure(kBadInput) with the loader's "file:line: ..." message.
ScenarioSpec load_scenario_or_fail(const std::filesystem::path& file, const ScenarioLoadOptions& options);

// The strategy's name as scenario tables key it: `strategy` itself, or for a plugin path
// (.../libevtwin_mpc.so) the name in its file name.
std::string strategy_key(const std::string& strategy);

// The options `strategy` (a name or a plugin path) gets: the scenario's flat strategy_options, its
// own table (strategy_options = { mpc = {...} }) over them, and `overrides` (--opt) over both. For
// `guarded`, the tables of its inner and baseline strategies come too, as inner.<k> and
// baseline.<k>, under any such key given explicitly.
StrategyOptions merged_strategy_options(const ScenarioSpec& spec, const std::string& strategy,
                                        const std::map<std::string, std::string>& overrides);

// The options `strategy` gets in a run of `run_strategies` (as named on the command line): a key
// "S.key" where S is one of them goes to S alone, as "key"; every other key to all of them.
StrategyOptions scoped_strategy_options(const StrategyOptions& options, const std::string& strategy,
                                        const std::vector<std::string>& run_strategies);

// A strategy by name or plugin path; throws CommandFailure(kPluginRefused) "evtwin <verb>: <why>".
StrategyHandle load_strategy_or_fail(const std::string& verb, const std::string& strategy,
                                     const StrategyOptions& options);

// Non-negative integer (a seed); throws UsageError naming `option`.
std::uint64_t parse_seed(const std::string& text, const std::string& option);

// "k=v;k=v", as stored in runs.strategy_options.
std::string joined_options(const StrategyOptions& options);
// "2024-07-01 00:00" in the site's zone: what the scenario's author wrote.
std::string local_minutes(Time t, const TimeZone& zone);

// While alive, Ctrl-C sets the flag runs are stopped by (at the next instant); a second Ctrl-C
// ends the process at once.
class SigintScope {
public:
    SigintScope();
    ~SigintScope();
    SigintScope(const SigintScope&) = delete;
    SigintScope& operator=(const SigintScope&) = delete;
    static bool interrupted();
};

struct RunOneRequest {
    std::string verb;  // for messages: "run", "compare"
    std::filesystem::path scenario_file;
    const ScenarioSpec* spec = nullptr;
    StrategyOptions options;             // as recorded in the runs table
    std::function<void(Time)> progress;  // may be empty
};

struct RunOneResult {
    RunId run_id = 0;
    std::string strategy_name;
    std::string strategy_version;
    RunSummary summary;
    std::vector<Kpi> kpis;
    double wall_s = 0.0;  // of the simulation alone
};

// Simulates `strategy` (fresh: a strategy object serves one run) on the request's scenario as a new
// run in `writer`'s file, then computes and stores its KPIs. Stops at the next instant after Ctrl-C
// within a SigintScope (summary.interrupted). Throws CommandFailure: kBadInput for a malformed site,
// kPluginRefused when the strategy throws.
RunOneResult run_one(const RunOneRequest& request, StrategyHandle& strategy, SqliteRunWriter& writer);

}  // namespace evtwin::cli
