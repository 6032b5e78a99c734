#pragma once
// Durations in scenario scripts: minutes(n), hours(n), days(n), seconds(n) return a duration value
// (integer milliseconds inside) that supports +, -, * and / by a number, comparison and tostring.
// Duration fields accept only such values, so `duration = 7` cannot silently mean 7 ms.
#include <evtwin/time.hpp>

#include <lua.hpp>

#include <optional>

namespace evtwin {

void register_durations(lua_State* L);
void push_duration(lua_State* L, Duration d);
std::optional<Duration> to_duration(lua_State* L, int index);

}  // namespace evtwin
