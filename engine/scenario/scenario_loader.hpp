#pragma once
// Loads a Lua 5.4 scenario file (the DSL is documented in docs/scenario-dsl.md) into a ScenarioSpec.
// The script runs in a sandbox: no io, os, load or debug; `require` only reads modules from the
// scenario's lib/ folder and the project's scenarios/lib/; math.random is a seeded stream; memory
// and instruction count are capped.
#include "model/scenario_spec.hpp"

#include <evtwin/errors.hpp>  // ScenarioError: "file:line: message"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace evtwin {

struct ScenarioLoadOptions {
    std::optional<std::uint64_t> seed;            // overrides the scenario's seed
    std::map<std::string, std::string> params;    // -D key=value, read by param() in the script
    std::filesystem::path data_dir;               // root of data(); empty: $EVTWIN_DATA, else ../shared/data
    std::map<std::string, std::string> forecast;  // target -> "name[:arg]", over the scenario's forecast{}
    std::size_t memory_limit_bytes = std::size_t{512} << 20;
    std::uint64_t instruction_limit = 200'000'000;  // Lua VM instructions before a script is stopped
    double most_sessions = 5e6;  // drawn by an arrival process: a run holds them all, a quarter kB each
};

ScenarioSpec load_scenario(const std::filesystem::path& file, const ScenarioLoadOptions& options = {});

// The data root load_scenario uses for these options (see ScenarioLoadOptions::data_dir).
std::filesystem::path scenario_data_root(const ScenarioLoadOptions& options);

}  // namespace evtwin
