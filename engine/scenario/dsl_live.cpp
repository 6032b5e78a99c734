// live { ... }: how `evtwin serve`'s central system maps charge points onto the site (docs/live.md).
#include "scenario/dsl_support.hpp"
#include "scenario/lua_sandbox.hpp"

#include <algorithm>

namespace evtwin {

namespace {

std::size_t charger_named(const LuaFields& f, const ScenarioSpec& spec, const std::string& cp,
                          const std::string& name) {
    for (std::size_t i = 0; i < spec.chargers.size(); ++i)
        if (spec.chargers[i].name == name) return i;
    f.fail("charge point '" + cp + "' names charger '" + name + "', which is not declared before live{}");
}

// charge_points = { ["CP-1"] = "CP01", ["CP-2"] = { "CP02", "CP03" } }
std::vector<LiveChargePoint> charge_points(lua_State* L, const LuaFields& f, const ScenarioSpec& spec,
                                           char unit) {
    std::vector<LiveChargePoint> out;
    if (f.push("charge_points") == LUA_TNIL) {
        lua_pop(L, 1);
        return out;
    }
    PopOnExit pop{L};
    if (!lua_istable(L, -1))
        f.fail_type("charge_points", "a table { [\"CP-1\"] = \"charger\", [\"CP-2\"] = { \"c1\", \"c2\" } }");
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        PopOnExit pop_value{L};
        if (lua_type(L, -2) != LUA_TSTRING)
            f.fail("'charge_points' is keyed by charge point id (a string), got " + describe_value(L, -2));
        LiveChargePoint cp;
        cp.id = lua_tostring(L, -2);
        cp.unit = unit;
        if (cp.id.empty() || cp.id.size() > 48 || cp.id.find('/') != std::string::npos)
            f.fail("charge point id '" + cp.id + "' must be 1-48 characters without '/'");
        if (lua_type(L, -1) == LUA_TSTRING) {
            cp.chargers.push_back(charger_named(f, spec, cp.id, lua_tostring(L, -1)));
        } else if (lua_istable(L, -1)) {
            const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, -1));
            for (lua_Integer k = 1; k <= n; ++k) {
                lua_rawgeti(L, -1, k);
                PopOnExit pop_name{L};
                if (lua_type(L, -1) != LUA_TSTRING)
                    f.fail("charge point '" + cp.id + "': connector " + std::to_string(k) +
                           " must name a charger, got " + describe_value(L, -1));
                const std::size_t c = charger_named(f, spec, cp.id, lua_tostring(L, -1));
                if (spec.chargers[c].connectors != 1)
                    f.fail("charge point '" + cp.id + "': charger '" + spec.chargers[c].name +
                           "' has several connectors; name it alone to map its connectors");
                cp.chargers.push_back(c);
            }
            if (cp.chargers.empty()) f.fail("charge point '" + cp.id + "' names no charger");
        } else {
            f.fail("charge point '" + cp.id + "' must name a charger or a list of chargers, got " +
                   describe_value(L, -1));
        }
        out.push_back(std::move(cp));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    for (std::size_t i = 0; i < out.size(); ++i)
        for (std::size_t c : out[i].chargers)
            for (std::size_t j = 0; j < i; ++j)
                if (std::count(out[j].chargers.begin(), out[j].chargers.end(), c))
                    f.fail("charger '" + spec.chargers[c].name + "' belongs to both '" + out[j].id +
                           "' and '" + out[i].id + "'");
    return out;
}

}  // namespace

int dsl_live(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        LuaFields f(L, 1, "live",
                    {"charge_points", "unit", "stay", "energy_kwh", "capacity_kwh", "soc", "phases"});
        if (b.have_live) f.fail("declared twice");
        LiveSpec& live = b.spec.live;
        char unit = 'A';
        if (auto u = f.string("unit")) {
            if (*u != "A" && *u != "W") f.fail("'unit' must be \"A\" or \"W\", got \"" + *u + "\"");
            unit = (*u)[0];
        }
        live.charge_points = charge_points(L, f, b.spec, unit);
        live.stay = f.duration("stay").value_or(live.stay);
        if (live.stay.ms() <= 0) f.fail("'stay' must be positive");
        live.energy_kwh = f.number("energy_kwh", live.energy_kwh, Range::non_negative);
        live.capacity_kwh = f.number("capacity_kwh", live.capacity_kwh, Range::positive);
        live.soc = f.number("soc", live.soc, Range::unit);
        if (auto phases = f.integer("phases", 1)) {
            if (*phases != 1 && *phases != 3)
                f.fail("'phases' must be 1 or 3, got " + std::to_string(*phases));
            live.phases = static_cast<int>(*phases);
        }
        b.have_live = true;
        return 0;
    });
}

}  // namespace evtwin
