#include "scenario/scenario_factory.hpp"

namespace evtwin {

ScenarioFactory lua_scenario_factory(std::filesystem::path file, ScenarioLoadOptions options) {
    return [file = std::move(file), options = std::move(options)](std::uint64_t seed) {
        ScenarioLoadOptions o = options;
        o.seed = seed;
        return load_scenario(file, o);
    };
}

}  // namespace evtwin
