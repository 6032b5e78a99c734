#pragma once
// A sweep file (Lua, docs/sweeps.md): scenarios x parameter axes x seeds x strategies, full
// factorial, plus an explicit list of runs. Each run gets a key that names exactly what it runs,
// independent of the order the file lists things in: the campaign numbers runs by key.
#include <cstdint>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace evtwin::sweep {

// A sweep file, a campaign or a run that cannot be used; the message names the file (and line).
struct SweepError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct SweepRun {
    std::string key;                 // "scenario=...|strategy=...|seed=N|param=value|..."
    std::filesystem::path scenario;  // absolute
    std::string strategy;            // a name or a plugin path, as `evtwin run --strategy` takes it
    std::map<std::string, std::string> options;  // --opt KEY=VALUE
    std::uint64_t seed = 0;
    std::map<std::string, std::string> params;  // -D KEY=VALUE
};

struct SweepSpec {
    std::string name;
    std::filesystem::path file;
    std::vector<SweepRun>
        runs;  // factorial runs first (scenario, parameter point, seed, strategy), then `runs`
};

// Throws SweepError "file:line: ..." for a syntax error, a missing or empty field, a value of the
// wrong type, or a run listed twice.
SweepSpec load_sweep_file(const std::filesystem::path& file);

// "scenario path|param=value|...": the runs that load their scenario alike (seeds and strategies aside).
std::string parameter_point(const SweepRun& run);

// The strategy as a run key and the report show it: "mpc" or "mpc{horizon_h=12,solver=cbc}".
std::string strategy_label(const std::string& strategy, const std::map<std::string, std::string>& options);

}  // namespace evtwin::sweep
