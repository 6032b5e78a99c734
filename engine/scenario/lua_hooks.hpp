#pragma once
// Scripted events during a run: the DSL's at(), every() and on(), and the live script the engine
// calls them through (ScenarioScript, engine/model/scenario_script.hpp). Each run re-runs the
// scenario file in a fresh sandbox with the same options, so its hooks start from the script's
// initial state (Lua variables, the seeded math.random) whatever ran before: a spec may serve
// several runs. A hook gets `site`, a control object valid during the call; docs/scenario-dsl.md
// describes it.
#include "model/local_time.hpp"
#include "model/scenario_script.hpp"
#include "scenario/dsl_bindings.hpp"
#include "scenario/lua_sandbox.hpp"
#include "scenario/scenario_builder.hpp"
#include "scenario/scenario_loader.hpp"

#include <lua.hpp>

#include <filesystem>
#include <memory>
#include <vector>

namespace evtwin {

// A scenario script that has run: what it declared, its DSL context and its Lua state.
struct LoadedScript {
    std::unique_ptr<ScenarioBuilder> builder;
    std::unique_ptr<DslContext> context;
    std::unique_ptr<LuaSandbox> sandbox;  // last, so it is closed first
};
// Runs the scenario file in a new sandbox (scenario_loader.cpp); throws ScenarioError.
LoadedScript run_scenario_script(const std::filesystem::path& file, const ScenarioLoadOptions& options);

// Installs at, every and on.
void register_hooks(lua_State* L, DslContext& context);

// The declared timers as instants; throws ScenarioError at the declaration for a bad time or one
// outside [start, end).
std::vector<HookTimer> resolve_timers(const DslContext& context, const TimeZone& zone, Time start, Time end);

class LuaScenarioScript final : public ScenarioScript {
public:
    LuaScenarioScript(std::filesystem::path file, ScenarioLoadOptions options);
    // Throws ScriptError when the file no longer loads.
    std::unique_ptr<ScriptRun> start_run() const override;

private:
    std::filesystem::path file_;
    ScenarioLoadOptions options_;
};

}  // namespace evtwin
