#pragma once
// A scenario factory for the reinforcement-learning Env from a Lua scenario file: each seed loads
// the file again with that seed, so the scenario's random arrivals are drawn anew per episode.
#include "core/env.hpp"
#include "scenario/scenario_loader.hpp"

#include <filesystem>

namespace evtwin {

ScenarioFactory lua_scenario_factory(std::filesystem::path file, ScenarioLoadOptions options = {});

}  // namespace evtwin
