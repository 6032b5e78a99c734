#include "scenario/scenario_loader.hpp"

#include "scenario/dsl_bindings.hpp"
#include "scenario/lua_sandbox.hpp"
#include "scenario/scenario_builder.hpp"

#include <cstdlib>

namespace evtwin {

std::filesystem::path scenario_data_root(const ScenarioLoadOptions& options) {
    if (!options.data_dir.empty()) return options.data_dir;
    if (const char* env = std::getenv("EVTWIN_DATA"); env != nullptr && *env != '\0') return env;
    return (std::filesystem::path(EVTWIN_SOURCE_DIR) / ".." / "shared" / "data").lexically_normal();
}

ScenarioSpec load_scenario(const std::filesystem::path& file, const ScenarioLoadOptions& options) {
    std::filesystem::path dir = file.parent_path();
    if (dir.empty()) dir = ".";
    std::vector<std::filesystem::path> lib_dirs{(dir / "lib").lexically_normal()};
    const auto project_lib = (std::filesystem::path(EVTWIN_SOURCE_DIR) / "scenarios" / "lib").lexically_normal();
    std::error_code ec;
    if (!std::filesystem::equivalent(lib_dirs.front(), project_lib, ec)) lib_dirs.push_back(project_lib);

    LuaSandbox sandbox(lib_dirs, project_lib, SandboxLimits{options.memory_limit_bytes, options.instruction_limit},
                       options.seed.value_or(1));
    ScenarioBuilder builder;
    builder.spec.source_file = file.string();
    DslContext context;
    context.builder = &builder;
    context.sandbox = &sandbox;
    context.scenario_dir = dir;
    context.data_root = scenario_data_root(options);
    context.params = &options.params;
    context.seed_override = options.seed;
    register_dsl(sandbox.state(), context);

    sandbox.run_file(file);

    std::string unused;
    for (const auto& [name, value] : options.params) {
        if (context.params_read.count(name) == 0) unused += (unused.empty() ? "" : ", ") + name;
    }
    if (!unused.empty()) {
        std::string declared;
        for (const auto& name : context.params_read) declared += (declared.empty() ? "" : ", ") + name;
        throw ScenarioError(sandbox.main_file() + ": -D " + unused + ": the scenario has no such param(); it reads: " +
                            (declared.empty() ? "none" : declared));
    }
    return builder.finish(sandbox.end_of_file());
}

}  // namespace evtwin
