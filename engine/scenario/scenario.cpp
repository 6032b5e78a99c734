#include "scenario/scenario_impl.hpp"

#include "data/data_cache.hpp"
#include "scenario/scenario_loader.hpp"

#include <stdexcept>

namespace evtwin {

Scenario::Scenario(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {
    if (!impl_ || !impl_->draw) throw std::invalid_argument("Scenario: no scenario to draw from");
}

const std::string& Scenario::name() const {
    return impl_->loaded.name;
}
const std::filesystem::path& Scenario::file() const {
    return impl_->file;
}
std::uint64_t Scenario::seed() const {
    return impl_->seed;
}

Scenario Scenario::load(const std::filesystem::path& file, const ScenarioOptions& options) {
    ScenarioLoadOptions load;
    load.params = options.params;
    load.data_dir = options.data_dir;
    load.seed = options.seed;
    load.forecast = options.forecast;
    auto impl = std::make_shared<Impl>();
    impl->file = file;
    // Every seed's draw runs the script again; the data files it reads are parsed once.
    auto cache = std::make_shared<DataCache>();
    {
        DataCache::Scope scope(*cache);
        impl->loaded = load_scenario(file, load);
    }
    impl->seed = impl->loaded.seed;
    impl->draw = [file, load, cache](std::uint64_t seed) {
        DataCache::Scope scope(*cache);
        ScenarioLoadOptions o = load;
        o.seed = seed;
        return load_scenario(file, o);
    };
    return Scenario(std::move(impl));
}

Scenario scenario_from_factory(ScenarioFactory factory, std::uint64_t seed) {
    if (!factory) throw std::invalid_argument("Scenario: no scenario factory");
    auto impl = std::make_shared<Scenario::Impl>();
    impl->seed = seed;
    impl->loaded = factory(seed);
    impl->file = impl->loaded.source_file;
    impl->draw = std::move(factory);
    return Scenario(std::move(impl));
}

Scenario scenario_of(ScenarioSpec spec) {
    auto impl = std::make_shared<Scenario::Impl>();
    impl->seed = spec.seed;
    impl->file = spec.source_file;
    impl->loaded = std::move(spec);
    impl->draw = [run = impl->loaded](std::uint64_t) { return run; };
    return Scenario(std::move(impl));
}

ScenarioSpec draw_scenario(const Scenario& scenario, std::uint64_t seed) {
    const Scenario::Impl& impl = scenario.impl();
    return seed == impl.seed ? impl.loaded : impl.draw(seed);
}

}  // namespace evtwin
