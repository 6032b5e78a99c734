#pragma once
// What the DSL's constructors share across the files that define them.
#include "scenario/dsl_bindings.hpp"
#include "scenario/lua_fields.hpp"

#include <filesystem>
#include <string>

namespace evtwin {

// The context of the DSL closure being called; throws when called from a hook (after loading).
DslContext& dsl_context(lua_State* L);

// `text` as a path (relative to the scenario's folder) to an existing file; fails on `key` otherwise.
std::filesystem::path existing_file(const LuaFields& f, const DslContext& c, const char* key,
                                    const std::string& text);

int dsl_battery(lua_State* L);   // dsl_battery.cpp
int dsl_forecast(lua_State* L);  // dsl_forecast.cpp

}  // namespace evtwin
