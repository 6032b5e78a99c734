#pragma once
// What a Scenario handle (evtwin/scenario.hpp) holds: the run of the seed it was loaded with, and
// how to draw the run of any other seed.
#include "model/scenario_spec.hpp"

#include <evtwin/scenario.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>

namespace evtwin {

// The scenario of one seed.
using ScenarioFactory = std::function<ScenarioSpec(std::uint64_t seed)>;

struct Scenario::Impl {
    ScenarioFactory draw;
    std::uint64_t seed = 0;  // the seed the handle was made with
    ScenarioSpec loaded;     // draw(seed)
    std::filesystem::path file;
};

// A handle on scenarios built in code (tests, benchmarks): `factory(seed)` is the run of a seed.
// Throws what the factory throws.
Scenario scenario_from_factory(ScenarioFactory factory, std::uint64_t seed = 0);

// A handle on one run built in code, the same for every seed.
Scenario scenario_of(ScenarioSpec spec);

// The run of `seed`: the handle's own is copied, any other drawn anew.
ScenarioSpec draw_scenario(const Scenario& scenario, std::uint64_t seed);

}  // namespace evtwin
