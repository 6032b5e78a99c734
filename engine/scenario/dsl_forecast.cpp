// forecast { pv = ..., load = ..., demand = ..., holidays = ..., history = ... } (docs/forecasting.md).
#include "forecast/calendar.hpp"
#include "forecast/forecaster_choice.hpp"
#include "scenario/dsl_support.hpp"
#include "scenario/lua_sandbox.hpp"

#include <stdexcept>

namespace evtwin {

namespace {

// A target's forecaster: "name[:arg]", or { "name", key = value, ... }.
ForecasterChoice choice_field(lua_State* L, const LuaFields& f, const char* key) {
    ForecasterChoice choice;
    if (f.push(key) == LUA_TNIL) {
        lua_pop(L, 1);
        return choice;
    }
    PopOnExit pop{L};
    try {
        if (lua_type(L, -1) == LUA_TSTRING) return parse_forecaster_choice(lua_tostring(L, -1));
        if (!lua_istable(L, -1))
            f.fail_type(key, "a forecaster name (\"lstm:model.pt\") or { \"name\", option = value }");
        lua_rawgeti(L, -1, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            f.fail(std::string("'") + key +
                   "' needs the forecaster's name first, e.g. { \"noisy\", noise = 0.1 }");
        choice.name = lua_tostring(L, -1);
        lua_pop(L, 1);
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
            PopOnExit pop_value{L};
            if (lua_type(L, -2) == LUA_TNUMBER) continue;  // the name
            if (lua_type(L, -2) != LUA_TSTRING ||
                (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TNUMBER))
                f.fail(std::string("'") + key + "' options must be name = string or number");
            lua_pushvalue(L, -1);
            choice.options[lua_tostring(L, -3)] = lua_tostring(L, -1);
            lua_pop(L, 1);
        }
        check_forecaster_choice(choice);
    } catch (const std::invalid_argument& e) {
        f.fail(std::string("'") + key + "': " + e.what());
    }
    return choice;
}

}  // namespace

int dsl_forecast(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        LuaFields f(L, 1, "forecast", {"pv", "load", "demand", "holidays", "history"});
        if (b.have_forecast) f.fail("declared twice");
        ForecastSpec& spec = b.spec.forecast;
        spec.pv = choice_field(L, f, "pv");
        spec.load = choice_field(L, f, "load");
        spec.demand = choice_field(L, f, "demand");
        spec.holidays = f.string("holidays").value_or(spec.holidays);
        try {
            HolidayCalendar check(spec.holidays);
        } catch (const std::invalid_argument& e) {
            f.fail(std::string("'holidays': ") + e.what());
        }
        spec.history = f.duration("history").value_or(spec.history);
        if (spec.history.ms() < 0) f.fail("'history' must not be negative");
        b.have_forecast = true;
        return 0;
    });
}

}  // namespace evtwin
