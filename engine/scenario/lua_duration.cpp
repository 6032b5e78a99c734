#include "scenario/lua_duration.hpp"

#include <cmath>
#include <cstdint>
#include <string>

namespace evtwin {
namespace {

const char* const kMeta = "evtwin.duration";

Duration check_duration(lua_State* L, int index) {
    if (auto d = to_duration(L, index)) return *d;
    luaL_typeerror(L, index, "duration");
    return Duration();
}

std::int64_t to_ms(lua_State* L, double value) {
    if (!std::isfinite(value) || std::fabs(value) > 9.0e15) luaL_error(L, "duration out of range");
    return std::llround(value);
}

template <std::int64_t Factor>
int make(lua_State* L) {
    const double n = luaL_checknumber(L, 1);
    push_duration(L, Duration(to_ms(L, n * static_cast<double>(Factor))));
    return 1;
}

int add(lua_State* L) {
    push_duration(L, check_duration(L, 1) + check_duration(L, 2));
    return 1;
}
int sub(lua_State* L) {
    push_duration(L, check_duration(L, 1) - check_duration(L, 2));
    return 1;
}
int unm(lua_State* L) {
    push_duration(L, Duration(-check_duration(L, 1).ms()));
    return 1;
}
int mul(lua_State* L) {
    const int d = to_duration(L, 1) ? 1 : 2;
    const Duration base = check_duration(L, d);
    const double k = luaL_checknumber(L, 3 - d);
    push_duration(L, Duration(to_ms(L, static_cast<double>(base.ms()) * k)));
    return 1;
}
int div(lua_State* L) {
    const Duration num = check_duration(L, 1);
    if (auto den = to_duration(L, 2)) {
        if (den->ms() == 0) return luaL_error(L, "division of a duration by a zero duration");
        lua_pushnumber(L, static_cast<double>(num.ms()) / static_cast<double>(den->ms()));
        return 1;
    }
    const double k = luaL_checknumber(L, 2);
    if (k == 0.0) return luaL_error(L, "division of a duration by zero");
    push_duration(L, Duration(to_ms(L, static_cast<double>(num.ms()) / k)));
    return 1;
}
int eq(lua_State* L) {
    lua_pushboolean(L, check_duration(L, 1) == check_duration(L, 2));
    return 1;
}
int lt(lua_State* L) {
    lua_pushboolean(L, check_duration(L, 1) < check_duration(L, 2));
    return 1;
}
int le(lua_State* L) {
    lua_pushboolean(L, check_duration(L, 1) <= check_duration(L, 2));
    return 1;
}
int tostring(lua_State* L) {
    const std::int64_t ms = check_duration(L, 1).ms();
    struct Unit {
        std::int64_t ms;
        const char* suffix;
    };
    const Unit units[] = {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "min"}, {1000, "s"}, {1, "ms"}};
    for (const auto& unit : units) {
        if (ms % unit.ms == 0) {
            const std::string text = std::to_string(ms / unit.ms) + unit.suffix;
            lua_pushstring(L, text.c_str());
            return 1;
        }
    }
    return 0;
}

}  // namespace

void push_duration(lua_State* L, Duration d) {
    auto* slot = static_cast<std::int64_t*>(lua_newuserdatauv(L, sizeof(std::int64_t), 0));
    *slot = d.ms();
    luaL_setmetatable(L, kMeta);
}

std::optional<Duration> to_duration(lua_State* L, int index) {
    auto* slot = static_cast<std::int64_t*>(luaL_testudata(L, index, kMeta));
    if (slot == nullptr) return std::nullopt;
    return Duration(*slot);
}

void register_durations(lua_State* L) {
    const luaL_Reg methods[] = {{"__add", add},           {"__sub", sub},    {"__unm", unm}, {"__mul", mul},
                                {"__div", div},           {"__eq", eq},      {"__lt", lt},   {"__le", le},
                                {"__tostring", tostring}, {nullptr, nullptr}};
    luaL_newmetatable(L, kMeta);
    luaL_setfuncs(L, methods, 0);
    lua_pushstring(L, "duration");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");  // scripts cannot reach or change it
    lua_pop(L, 1);
    lua_register(L, "seconds", make<1000>);
    lua_register(L, "minutes", make<60'000>);
    lua_register(L, "hours", make<3'600'000>);
    lua_register(L, "days", make<86'400'000>);
}

}  // namespace evtwin
