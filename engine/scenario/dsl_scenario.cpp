// scenario { ... }: the run's name, period, time zone, control period, mode, seed, and the strategy
// with its options.
#include "scenario/dsl_support.hpp"
#include "scenario/lua_sandbox.hpp"

#include <cstdint>
#include <stdexcept>

namespace evtwin {

namespace {

constexpr std::int64_t kMostForecastPeriods = 100'000;
constexpr Duration kLongestPeriod = Duration::days(36'525);

// The option value at the top of the stack, as a string; `path` names it in errors.
std::string option_value(lua_State* L, const LuaFields& f, const std::string& path) {
    const int type = lua_type(L, -1);
    if (type == LUA_TBOOLEAN) return lua_toboolean(L, -1) ? "true" : "false";
    if (type != LUA_TSTRING && type != LUA_TNUMBER)
        f.fail("'" + path + "' must be a string, number or boolean, got " + describe_value(L, -1));
    lua_pushvalue(L, -1);  // lua_tostring converts a number in place: convert a copy
    std::string text = lua_tostring(L, -1);
    lua_pop(L, 1);
    return text;
}

// strategy_options = { name = value, ..., strategy = { name = value } }: flat keys for every
// strategy, a table keyed by a strategy's name for that strategy alone.
void read_strategy_options(lua_State* L, const LuaFields& f, ScenarioSpec& s) {
    if (f.push("strategy_options") == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    PopOnExit pop{L};
    if (!lua_istable(L, -1))
        f.fail_type("strategy_options", "a table of name = value, or strategy = { name = value }");
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        PopOnExit pop_value{L};
        if (lua_type(L, -2) != LUA_TSTRING) f.fail("'strategy_options' keys must be names");
        const std::string key = lua_tostring(L, -2);
        if (!lua_istable(L, -1)) {
            s.strategy_options[key] = option_value(L, f, "strategy_options." + key);
            continue;
        }
        StrategyOptions& own = s.strategy_options_by_name[key];
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
            PopOnExit pop_inner{L};
            if (lua_type(L, -2) != LUA_TSTRING)
                f.fail("'strategy_options." + key + "' keys must be names (options of strategy '" + key +
                       "')");
            const std::string option = lua_tostring(L, -2);
            if (lua_istable(L, -1))
                f.fail("'strategy_options." + key + "." + option +
                       "' must be a string, number or boolean: options nest one level, by strategy name");
            own[option] = option_value(L, f, "strategy_options." + key + "." + option);
        }
    }
}

}  // namespace

int dsl_scenario(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        LuaFields f(L, 1, "scenario",
                    {"name", "timezone", "start", "duration", "stop", "control_period", "forecast_horizon",
                     "seed", "strategy", "strategy_options", "mode"});
        if (!b.scenario_at.empty())
            f.fail("declared twice (the first scenario{} is at " + b.scenario_at + ")");
        ScenarioSpec& s = b.spec;
        s.name = f.required_string("name");
        s.timezone = f.string("timezone").value_or("UTC");
        try {
            b.zone.emplace(s.timezone);
        } catch (const std::exception& e) {
            f.fail(std::string("timezone: ") + e.what());
        }
        b.start_text = f.required_string("start");
        try {
            s.start = parse_time(b.start_text, *b.zone);
        } catch (const std::exception& e) {
            f.fail(std::string("start: ") + e.what());
        }
        const auto duration = f.duration("duration");
        const auto stop = f.string("stop");  // not "end": that is a Lua keyword
        if (duration.has_value() == stop.has_value())
            f.fail("give exactly one of 'duration' (e.g. days(7)) and 'stop'");
        if (duration) {
            s.end = s.start + *duration;
        } else {
            try {
                s.end = parse_time(*stop, *b.zone);
            } catch (const std::exception& e) {
                f.fail(std::string("stop: ") + e.what());
            }
        }
        if (s.end <= s.start) f.fail("the period is empty: it must end after the start");
        // Profiles are laid out hour by hour over the period, and every session is held in memory.
        if (s.end - s.start > kLongestPeriod)
            f.fail("the period must be at most 100 years (" +
                   std::to_string(kLongestPeriod / Duration::days(1)) + " days), got " +
                   std::to_string((s.end - s.start) / Duration::days(1)) + " days");
        s.control_period = f.duration("control_period").value_or(Duration::minutes(15));
        if (s.control_period.ms() <= 0) f.fail("'control_period' must be longer than zero");
        const std::string mode = f.string("mode").value_or("event");
        if (mode != "event" && mode != "decision_period" && mode != "acnsim")
            f.fail("'mode' must be \"event\", \"decision_period\" or \"acnsim\", got \"" + mode + "\"");
        s.decision_period_mode = mode == "decision_period" || mode == "acnsim";
        s.acn_compatible = mode == "acnsim";
        s.forecast_horizon = f.duration("forecast_horizon").value_or(Duration::hours(24));
        if (s.forecast_horizon.ms() < 0) f.fail("'forecast_horizon' must not be negative");
        // Forecasts hold a value per control period of the horizon.
        if (s.forecast_horizon.ms() / s.control_period.ms() > kMostForecastPeriods)
            f.fail("'forecast_horizon' must be at most " + std::to_string(kMostForecastPeriods) +
                   " control periods, got " +
                   std::to_string(s.forecast_horizon.ms() / s.control_period.ms()));
        const auto seed = f.integer("seed", 0);
        s.seed = c.seed_override.value_or(seed ? static_cast<std::uint64_t>(*seed) : 1);
        c.sandbox->reseed(s.seed);
        s.strategy = f.string("strategy").value_or(s.strategy);
        read_strategy_options(L, f, s);
        b.scenario_at = c.sandbox->where(L);
        return 0;
    });
}

}  // namespace evtwin
