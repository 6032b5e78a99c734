#include "scenario/scenario_loader.hpp"

#include "forecast/forecaster_choice.hpp"
#include "scenario/dsl_bindings.hpp"
#include "scenario/lua_hooks.hpp"
#include "scenario/lua_sandbox.hpp"
#include "scenario/scenario_builder.hpp"

#include <cstdlib>

namespace evtwin {

std::filesystem::path scenario_data_root(const ScenarioLoadOptions& options) {
    // Absolute, from the working directory: data("...") paths must not be read again as relative to
    // the scenario's folder.
    const auto absolute = [](const std::filesystem::path& p) {
        std::error_code ec;
        const std::filesystem::path a = std::filesystem::absolute(p, ec);
        return (ec ? p : a).lexically_normal();
    };
    if (!options.data_dir.empty()) return absolute(options.data_dir);
    if (const char* env = std::getenv("EVTWIN_DATA"); env != nullptr && *env != '\0') return absolute(env);
    return (std::filesystem::path(EVTWIN_SOURCE_DIR) / ".." / "shared" / "data").lexically_normal();
}

LoadedScript run_scenario_script(const std::filesystem::path& file, const ScenarioLoadOptions& options) {
    std::filesystem::path dir = file.parent_path();
    if (dir.empty()) dir = ".";
    std::vector<std::filesystem::path> lib_dirs{(dir / "lib").lexically_normal()};
    const auto project_lib =
        (std::filesystem::path(EVTWIN_SOURCE_DIR) / "scenarios" / "lib").lexically_normal();
    std::error_code ec;
    if (!std::filesystem::equivalent(lib_dirs.front(), project_lib, ec)) lib_dirs.push_back(project_lib);

    LoadedScript loaded;
    loaded.sandbox = std::make_unique<LuaSandbox>(
        lib_dirs, project_lib, SandboxLimits{options.memory_limit_bytes, options.instruction_limit},
        options.seed.value_or(1));
    loaded.builder = std::make_unique<ScenarioBuilder>();
    loaded.builder->spec.source_file = file.string();
    loaded.context = std::make_unique<DslContext>();
    DslContext& context = *loaded.context;
    context.builder = loaded.builder.get();
    context.sandbox = loaded.sandbox.get();
    context.scenario_dir = dir;
    context.data_root = scenario_data_root(options);
    context.params = &options.params;
    context.seed_override = options.seed;
    context.most_sessions = options.most_sessions;
    register_dsl(loaded.sandbox->state(), context);

    loaded.sandbox->run_file(file);
    return loaded;
}

ScenarioSpec load_scenario(const std::filesystem::path& file, const ScenarioLoadOptions& options) {
    LoadedScript loaded = run_scenario_script(file, options);
    const DslContext& context = *loaded.context;
    const LuaSandbox& sandbox = *loaded.sandbox;

    std::string unused;
    for (const auto& [name, value] : options.params) {
        if (context.params_read.count(name) == 0) unused += (unused.empty() ? "" : ", ") + name;
    }
    if (!unused.empty()) {
        std::string declared;
        for (const auto& name : context.params_read) declared += (declared.empty() ? "" : ", ") + name;
        throw ScenarioError(
            sandbox.main_file() + ": -D " + unused +
            ": the scenario has no such param(); it reads: " + (declared.empty() ? "none" : declared));
    }
    ScenarioSpec spec = loaded.builder->finish(sandbox.end_of_file());
    for (const auto& [target, choice] : options.forecast) {
        try {
            spec.forecast.choice(parse_forecast_target(target)) = parse_forecaster_choice(choice);
        } catch (const std::invalid_argument& e) {
            throw ScenarioError(sandbox.main_file() + ": --forecast " + target + "=" + choice + ": " +
                                e.what());
        }
    }
    if (!context.timers.empty() || !context.ons.empty()) {
        resolve_timers(context, *loaded.builder->zone, spec.start, spec.end);  // reports a bad time now
        spec.price_events = std::make_shared<PriceEventTariff>(spec.tariff);
        spec.tariff = spec.price_events;
        spec.script = std::make_shared<LuaScenarioScript>(file, options);
    }
    return spec;
}

}  // namespace evtwin
