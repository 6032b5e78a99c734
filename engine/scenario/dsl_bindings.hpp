#pragma once
// The scenario DSL: the global functions a scenario script calls (scenario, grid, transformer,
// feeder, charger, pv, ess, load, tariff, economics, arrivals.*, session, param, data) and what
// they record in a ScenarioBuilder. docs/scenario-dsl.md is the user's reference.
#include "scenario/scenario_builder.hpp"

#include <evtwin/time.hpp>

#include <lua.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace evtwin {

class LuaSandbox;

struct DslContext {
    ScenarioBuilder* builder = nullptr;
    LuaSandbox* sandbox = nullptr;
    std::filesystem::path scenario_dir;  // relative file names are read from here
    std::filesystem::path data_root;     // data("...") names files here
    const std::map<std::string, std::string>* params = nullptr;
    std::set<std::string> params_read;  // names param() was asked for
    std::optional<std::uint64_t> seed_override;
    double most_sessions = 5e6;  // ScenarioLoadOptions::most_sessions

    // Hooks: at(), every() and on() (engine/scenario/lua_hooks.hpp). Functions are kept in the Lua
    // registry by reference.
    struct TimerDecl {
        std::string at;     // "file:line: "
        std::string time;   // at(time) or every{first = time}; empty: start + period
        Duration period{};  // zero for at()
        int function = LUA_NOREF;
    };
    struct OnDecl {
        std::string kind;
        int function = LUA_NOREF;
    };
    std::vector<TimerDecl> timers;
    std::vector<OnDecl> ons;
    bool running = false;  // the script has finished loading: the DSL's constructors are refused
};

// Installs the DSL globals; `context` must outlive the Lua state's use.
void register_dsl(lua_State* L, DslContext& context);

// Sets `fn`, with `context` as its upvalue, as the global `name` (table 0) or as the field `name`
// of the table at stack index `table`.
void set_closure(lua_State* L, DslContext& context, lua_CFunction fn, const char* name, int table = 0);

}  // namespace evtwin
