#include "sweep/sweep_file.hpp"

#include "scenario/lua_fields.hpp"
#include "scenario/lua_sandbox.hpp"

#include <evtwin/errors.hpp>

#include <lua.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

namespace evtwin::sweep {

namespace {

constexpr long kMostRuns = 10'000'000;

struct Collected {
    std::filesystem::path dir;  // the sweep file's folder: relative scenario paths start there
    std::optional<SweepSpec> spec;
};

// The text of a scalar Lua value as `-D`/`--opt` take it: integers without a decimal point, other
// numbers in the shortest form that reads back exactly.
std::string scalar_text(lua_State* L, int index, const std::string& what) {
    switch (lua_type(L, index)) {
        case LUA_TSTRING:
            return lua_tostring(L, index);
        case LUA_TBOOLEAN:
            return lua_toboolean(L, index) ? "true" : "false";
        case LUA_TNUMBER: {
            if (lua_isinteger(L, index)) return std::to_string(lua_tointeger(L, index));
            const double v = lua_tonumber(L, index);
            if (!std::isfinite(v))
                throw std::runtime_error(what + ": " + std::to_string(v) + " is not a finite number");
            if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
            char buf[32];
            const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
            return std::string(buf, end);
        }
        default:
            throw std::runtime_error(what + ": expected a number, string or boolean, got " +
                                     describe_value(L, index));
    }
}

// Fails unless every key of the table at `index` is one of `allowed` (integer keys allowed when `array`).
void check_keys(lua_State* L, int index, const std::string& what, const std::set<std::string>& allowed,
                bool array) {
    index = lua_absindex(L, index);
    lua_pushnil(L);
    while (lua_next(L, index) != 0) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            const std::string key = lua_tostring(L, -1);
            if (allowed.count(key) == 0) {
                std::string names;
                for (const auto& a : allowed) names += (names.empty() ? "" : ", ") + a;
                lua_pop(L, 1);
                throw std::runtime_error(what + ": unknown field '" + key + "' (expected: " + names + ")");
            }
        } else if (!(array && lua_isinteger(L, -1))) {
            lua_pop(L, 1);
            throw std::runtime_error(what + ": unexpected key " + describe_value(L, -1));
        }
    }
}

// The elements of the array at `index` (each pushed in turn for `each`); fails when it is not a
// non-empty list.
template <class Each>
void for_each_item(lua_State* L, int index, const std::string& what, Each&& each) {
    index = lua_absindex(L, index);
    if (!lua_istable(L, index))
        throw std::runtime_error(what + ": expected a list, got " + describe_value(L, index));
    const lua_Integer n = luaL_len(L, index);
    if (n == 0) throw std::runtime_error(what + ": is empty (a sweep over nothing runs nothing)");
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_geti(L, index, i);
        PopOnExit pop{L};
        each(what + "[" + std::to_string(i) + "]");
    }
}

// Values of an axis: a list of scalars, or one scalar.
std::vector<std::string> axis_values(lua_State* L, int index, const std::string& what) {
    std::vector<std::string> values;
    if (!lua_istable(L, index)) {
        values.push_back(scalar_text(L, index, what));
        return values;
    }
    std::set<std::string> seen;
    for_each_item(L, index, what, [&](const std::string& item) {
        values.push_back(scalar_text(L, -1, item));
        if (!seen.insert(values.back()).second)
            throw std::runtime_error(item + ": " + values.back() + " is listed twice");
    });
    return values;
}

std::uint64_t seed_value(lua_State* L, int index, const std::string& what) {
    if (!lua_isinteger(L, index) &&
        !(lua_isnumber(L, index) && lua_tonumber(L, index) == std::floor(lua_tonumber(L, index))))
        throw std::runtime_error(what + ": expected a whole number (a seed), got " +
                                 describe_value(L, index));
    const double v = lua_tonumber(L, index);
    if (v < 0) throw std::runtime_error(what + ": a seed is not negative, got " + describe_value(L, index));
    return lua_isinteger(L, index) ? static_cast<std::uint64_t>(lua_tointeger(L, index))
                                   : static_cast<std::uint64_t>(v);
}

struct StrategyChoice {
    std::string name;
    std::map<std::string, std::string> options;
};

// "edf", or { "mpc", horizon_h = 12 }: the name first, then the options.
StrategyChoice strategy_value(lua_State* L, int index, const std::string& what) {
    StrategyChoice choice;
    if (lua_type(L, index) == LUA_TSTRING) {
        choice.name = lua_tostring(L, index);
        return choice;
    }
    if (!lua_istable(L, index))
        throw std::runtime_error(what +
                                 ": expected a strategy name or { \"name\", option = value, ... }, got " +
                                 describe_value(L, index));
    index = lua_absindex(L, index);
    lua_geti(L, index, 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
        lua_pop(L, 1);
        throw std::runtime_error(what + ": the first element must be the strategy's name");
    }
    choice.name = lua_tostring(L, -1);
    lua_pop(L, 1);
    lua_pushnil(L);
    while (lua_next(L, index) != 0) {
        PopOnExit pop_value{L};
        if (lua_type(L, -2) == LUA_TSTRING) {
            const std::string key = lua_tostring(L, -2);
            choice.options[key] = scalar_text(L, -1, what + "." + key);
        } else if (!(lua_isinteger(L, -2) && lua_tointeger(L, -2) == 1)) {
            throw std::runtime_error(what + ": options are written key = value, after the strategy's name");
        }
    }
    if (choice.name.empty()) throw std::runtime_error(what + ": the strategy's name is empty");
    return choice;
}

std::filesystem::path scenario_path(const Collected& c, const std::string& written) {
    std::filesystem::path p(written);
    if (p.is_relative()) p = c.dir / p;
    p = std::filesystem::absolute(p).lexically_normal();
    if (!std::filesystem::is_regular_file(p))
        throw std::runtime_error("scenario '" + written + "': no such file (" + p.string() + ")");
    return p;
}

SweepRun make_run(const std::string& scenario_written, const std::filesystem::path& scenario,
                  const StrategyChoice& strategy, std::uint64_t seed,
                  std::map<std::string, std::string> params) {
    SweepRun run;
    run.scenario = scenario;
    run.strategy = strategy.name;
    run.options = strategy.options;
    run.seed = seed;
    run.params = std::move(params);
    run.key = "scenario=" + scenario_written +
              "|strategy=" + strategy_label(strategy.name, strategy.options) +
              "|seed=" + std::to_string(seed);
    for (const auto& [k, v] : run.params) run.key += "|" + k + "=" + v;
    return run;
}

// Every combination of the axes' values, in the order of the axes' names (std::map) and values.
std::vector<std::map<std::string, std::string>> parameter_points(
    const std::map<std::string, std::vector<std::string>>& axes) {
    std::vector<std::map<std::string, std::string>> points(1);
    for (const auto& [name, values] : axes) {
        std::vector<std::map<std::string, std::string>> next;
        for (const auto& point : points)
            for (const auto& v : values) {
                next.push_back(point);
                next.back()[name] = v;
            }
        points = std::move(next);
    }
    return points;
}

void read_factorial(lua_State* L, Collected& c, SweepSpec& spec) {
    std::vector<std::pair<std::string, std::filesystem::path>> scenarios;
    lua_getfield(L, 1, "scenarios");
    for_each_item(L, -1, "sweep: scenarios", [&](const std::string& item) {
        if (lua_type(L, -1) != LUA_TSTRING)
            throw std::runtime_error(item + ": expected a scenario file name");
        const std::string written = lua_tostring(L, -1);
        scenarios.emplace_back(written, scenario_path(c, written));
    });
    lua_pop(L, 1);

    std::vector<StrategyChoice> strategies;
    lua_getfield(L, 1, "strategies");
    if (lua_isnil(L, -1))
        throw std::runtime_error(
            "sweep: strategies is missing (with scenarios, the factorial part needs it)");
    for_each_item(L, -1, "sweep: strategies",
                  [&](const std::string& item) { strategies.push_back(strategy_value(L, -1, item)); });
    lua_pop(L, 1);

    std::vector<std::uint64_t> seeds;
    lua_getfield(L, 1, "seeds");
    if (lua_isnil(L, -1)) throw std::runtime_error("sweep: seeds is missing (e.g. seeds = range(1, 10))");
    for_each_item(L, -1, "sweep: seeds",
                  [&](const std::string& item) { seeds.push_back(seed_value(L, -1, item)); });
    lua_pop(L, 1);

    std::map<std::string, std::vector<std::string>> axes;
    lua_getfield(L, 1, "params");
    if (!lua_isnil(L, -1)) {
        if (!lua_istable(L, -1))
            throw std::runtime_error("sweep: params: expected a table { name = { values } }");
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
            PopOnExit pop_value{L};
            if (lua_type(L, -2) != LUA_TSTRING)
                throw std::runtime_error("sweep: params: keys are parameter names");
            const std::string name = lua_tostring(L, -2);
            axes[name] = axis_values(L, -1, "sweep: params." + name);
        }
    }
    lua_pop(L, 1);

    double runs = static_cast<double>(scenarios.size() * seeds.size() * strategies.size());
    for (const auto& [name, values] : axes) runs *= static_cast<double>(values.size());
    if (runs > kMostRuns) {
        char count[32];
        std::snprintf(count, sizeof count, "%.4g", runs);
        throw std::runtime_error(
            std::string("sweep: ") + count +
            " runs (scenarios x parameter points x seeds x strategies); a campaign holds "
            "at most " +
            std::to_string(kMostRuns));
    }
    for (const auto& [written, path] : scenarios)
        for (const auto& point : parameter_points(axes))
            for (auto seed : seeds)
                for (const auto& strategy : strategies)
                    spec.runs.push_back(make_run(written, path, strategy, seed, point));
}

void read_explicit_runs(lua_State* L, Collected& c, SweepSpec& spec) {
    for_each_item(L, -1, "sweep: runs", [&](const std::string& item) {
        if (!lua_istable(L, -1))
            throw std::runtime_error(
                item + ": expected { scenario = ..., strategy = ..., seed = ..., params = {...} }");
        check_keys(L, -1, item, {"scenario", "strategy", "seed", "params"}, false);
        lua_getfield(L, -1, "scenario");
        if (lua_type(L, -1) != LUA_TSTRING)
            throw std::runtime_error(item + ".scenario: expected a scenario file name");
        const std::string written = lua_tostring(L, -1);
        lua_pop(L, 1);
        lua_getfield(L, -1, "strategy");
        if (lua_isnil(L, -1)) throw std::runtime_error(item + ".strategy is missing");
        const StrategyChoice strategy = strategy_value(L, -1, item + ".strategy");
        lua_pop(L, 1);
        lua_getfield(L, -1, "seed");
        if (lua_isnil(L, -1)) throw std::runtime_error(item + ".seed is missing");
        const std::uint64_t seed = seed_value(L, -1, item + ".seed");
        lua_pop(L, 1);
        std::map<std::string, std::string> params;
        lua_getfield(L, -1, "params");
        if (!lua_isnil(L, -1)) {
            if (!lua_istable(L, -1)) throw std::runtime_error(item + ".params: expected { name = value }");
            lua_pushnil(L);
            while (lua_next(L, -2) != 0) {
                PopOnExit pop_value{L};
                if (lua_type(L, -2) != LUA_TSTRING)
                    throw std::runtime_error(item + ".params: keys are parameter names");
                const std::string name = lua_tostring(L, -2);
                params[name] = scalar_text(L, -1, item + ".params." + name);
            }
        }
        lua_pop(L, 1);
        spec.runs.push_back(make_run(written, scenario_path(c, written), strategy, seed, std::move(params)));
    });
}

int lua_sweep(lua_State* L) {
    auto& c = *static_cast<Collected*>(lua_touserdata(L, lua_upvalueindex(1)));
    return lua_guarded(L, [L, &c] {
        if (c.spec) throw std::runtime_error("sweep: a sweep file declares one sweep {}");
        if (!lua_istable(L, 1))
            throw std::runtime_error("sweep: expected a table, sweep { name = ..., ... }");
        check_keys(L, 1, "sweep", {"name", "scenarios", "strategies", "seeds", "params", "runs"}, false);
        SweepSpec spec;
        lua_getfield(L, 1, "name");
        if (lua_type(L, -1) != LUA_TSTRING)
            throw std::runtime_error("sweep: name is missing (a word naming the campaign)");
        spec.name = lua_tostring(L, -1);
        lua_pop(L, 1);
        if (spec.name.empty() ||
            spec.name.find_first_not_of(
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != std::string::npos)
            throw std::runtime_error("sweep: name '" + spec.name +
                                     "' must be letters, digits, '_', '.' or '-'");

        lua_getfield(L, 1, "scenarios");
        const bool factorial = !lua_isnil(L, -1);
        lua_pop(L, 1);
        if (factorial) {
            read_factorial(L, c, spec);
        } else {
            for (const char* key : {"strategies", "seeds", "params"}) {
                lua_getfield(L, 1, key);
                const bool present = !lua_isnil(L, -1);
                lua_pop(L, 1);
                if (present) throw std::runtime_error(std::string("sweep: ") + key + " without scenarios");
            }
        }
        lua_getfield(L, 1, "runs");
        if (!lua_isnil(L, -1))
            read_explicit_runs(L, c, spec);
        else if (!factorial)
            throw std::runtime_error(
                "sweep: neither scenarios (a factorial sweep) nor runs (a list) is given");
        lua_pop(L, 1);

        std::set<std::string> keys;
        for (const auto& run : spec.runs)
            if (!keys.insert(run.key).second)
                throw std::runtime_error("sweep: the run " + run.key + " is listed twice");
        c.spec = std::move(spec);
        return 0;
    });
}

// range(first, last[, step]): first, first + step, ... up to last (inclusive).
int lua_range(lua_State* L) {
    return lua_guarded(L, [L] {
        const double first = luaL_checknumber(L, 1);
        const double last = luaL_checknumber(L, 2);
        const double step = luaL_optnumber(L, 3, 1.0);
        if (!(step != 0.0) || !std::isfinite(step) || !std::isfinite(first) || !std::isfinite(last))
            throw std::runtime_error("range: expects finite numbers and a step other than 0");
        const double count = std::floor((last - first) / step + 1e-9) + 1;
        if (count < 1)
            throw std::runtime_error("range: from " + scalar_text(L, 1, "first") + " to " +
                                     scalar_text(L, 2, "last") + " in steps of " + std::to_string(step) +
                                     " is empty");
        if (count > 1e6) throw std::runtime_error("range: more than a million values");
        const bool integers =
            lua_isinteger(L, 1) && lua_isinteger(L, 2) && (lua_isnone(L, 3) || lua_isinteger(L, 3));
        lua_createtable(L, static_cast<int>(count), 0);
        for (lua_Integer i = 0; i < static_cast<lua_Integer>(count); ++i) {
            if (integers)
                lua_pushinteger(L, lua_tointeger(L, 1) + i * static_cast<lua_Integer>(step));
            else
                lua_pushnumber(L, first + static_cast<double>(i) * step);
            lua_rawseti(L, -2, i + 1);
        }
        return 1;
    });
}

}  // namespace

std::string parameter_point(const SweepRun& run) {
    std::string point = run.scenario.string();
    for (const auto& [k, v] : run.params) point += "|" + k + "=" + v;
    return point;
}

std::string strategy_label(const std::string& strategy, const std::map<std::string, std::string>& options) {
    if (options.empty()) return strategy;
    std::string label = strategy + "{";
    bool first = true;
    for (const auto& [k, v] : options) {
        label += (first ? "" : ",") + k + "=" + v;
        first = false;
    }
    return label + "}";
}

SweepSpec load_sweep_file(const std::filesystem::path& file) {
    if (!std::filesystem::is_regular_file(file)) throw SweepError(file.string() + ": no such sweep file");
    Collected collected;
    collected.dir = std::filesystem::absolute(file).parent_path();
    const auto project_lib =
        (std::filesystem::path(EVTWIN_SOURCE_DIR) / "scenarios" / "lib").lexically_normal();
    try {
        LuaSandbox sandbox({collected.dir / "lib", project_lib}, project_lib, SandboxLimits{}, 1);
        lua_State* L = sandbox.state();
        lua_pushlightuserdata(L, &collected);
        lua_pushcclosure(L, lua_sweep, 1);
        lua_setglobal(L, "sweep");
        lua_register(L, "range", lua_range);
        sandbox.run_file(file);
        if (!collected.spec) throw SweepError(sandbox.end_of_file() + "no sweep { ... } declared");
    } catch (const ScenarioError& e) {
        throw SweepError(e.what());
    }
    collected.spec->file = std::filesystem::absolute(file).lexically_normal();
    return std::move(*collected.spec);
}

}  // namespace evtwin::sweep
