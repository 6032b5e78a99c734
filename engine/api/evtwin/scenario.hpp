#pragma once
// A scenario file (Lua, docs/scenario-dsl.md), loaded and checked once, that can draw its run for
// any seed: random arrivals are drawn from the seed, so each seed gives another episode of the same
// site. What the reinforcement-learning environment and the Python module start from.
#include <evtwin/errors.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace evtwin {

struct ScenarioOptions {
    std::optional<std::uint64_t> seed;          // overrides the scenario's own seed
    std::map<std::string, std::string> params;  // -D key=value, read by param() in the script
    std::filesystem::path data_dir;             // root of data(); empty: $EVTWIN_DATA, else ../shared/data
    std::map<std::string, std::string>
        forecast;  // target (pv, load, demand) -> "name[:arg]", over forecast{}
};

class Scenario {
public:
    // Loads the file at the options' seed (or its own). Throws ScenarioError (the script) or
    // DataError (a data file it reads), each naming the file and line.
    static Scenario load(const std::filesystem::path& file, const ScenarioOptions& options = {});

    const std::string& name() const;
    const std::filesystem::path& file() const;
    std::uint64_t seed() const;  // of the run it was loaded with

    // The engine's side of the handle (engine/scenario/scenario_impl.hpp).
    struct Impl;
    explicit Scenario(std::shared_ptr<const Impl> impl);
    const Impl& impl() const { return *impl_; }

private:
    std::shared_ptr<const Impl> impl_;
};

}  // namespace evtwin
