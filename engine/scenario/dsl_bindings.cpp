#include "scenario/dsl_bindings.hpp"

#include "scenario/dsl_support.hpp"
#include "scenario/lua_duration.hpp"
#include "scenario/lua_hooks.hpp"

#include <stdexcept>

namespace evtwin {

DslContext& dsl_context(lua_State* L) {
    DslContext& c = *static_cast<DslContext*>(lua_touserdata(L, lua_upvalueindex(1)));
    if (c.running) {
        throw std::runtime_error(
            "the scenario's constructors and at(), every(), on(), param(), data() work only while "
            "the scenario loads, not inside a hook");
    }
    return c;
}

std::filesystem::path existing_file(const LuaFields& f, const DslContext& c, const char* key,
                                    const std::string& text) {
    std::filesystem::path path(text);
    if (path.is_relative()) path = c.scenario_dir / path;
    path = path.lexically_normal();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        f.fail(std::string("'") + key + "': no such file " + path.string() +
               " (relative names are read from the scenario's folder; use data(\"...\") for reference data)");
    }
    return path;
}

void set_closure(lua_State* L, DslContext& context, lua_CFunction fn, const char* name, int table) {
    lua_pushlightuserdata(L, &context);
    lua_pushcclosure(L, fn, 1);
    if (table == 0) {
        lua_setglobal(L, name);
    } else {
        lua_setfield(L, table, name);
    }
}

namespace {}  // namespace

void register_dsl(lua_State* L, DslContext& c) {
    register_durations(L);
    register_hooks(L, c);
    const std::pair<const char*, lua_CFunction> functions[] = {{"scenario", dsl_scenario},
                                                               {"grid", dsl_grid},
                                                               {"transformer", dsl_transformer},
                                                               {"feeder", dsl_feeder},
                                                               {"charger", dsl_charger},
                                                               {"pv", dsl_pv},
                                                               {"ess", dsl_ess},
                                                               {"load", dsl_load},
                                                               {"tariff", dsl_tariff},
                                                               {"economics", dsl_economics},
                                                               {"session", dsl_session},
                                                               {"param", dsl_param},
                                                               {"data", dsl_data},
                                                               {"phase_constraint", dsl_phase_constraint},
                                                               {"rl", dsl_rl},
                                                               {"live", dsl_live},
                                                               {"reservations", dsl_reservations},
                                                               {"battery", dsl_battery},
                                                               {"forecast", dsl_forecast}};
    for (const auto& [name, fn] : functions) set_closure(L, c, fn, name);
    set_closure(L, c, dsl_distribution_feeder, "distribution_feeder");
    lua_newtable(L);
    const int arrivals = lua_gettop(L);
    set_closure(L, c, dsl_elaadnl, "elaadnl", arrivals);
    set_closure(L, c, dsl_acn_json, "acn_json", arrivals);
    set_closure(L, c, dsl_acn_csv, "acn_csv", arrivals);
    set_closure(L, c, dsl_acnsim_events, "acnsim_events", arrivals);
    set_closure(L, c, dsl_norway_csv, "norway_csv", arrivals);
    set_closure(L, c, dsl_ocpi, "ocpi", arrivals);
    lua_setglobal(L, "arrivals");
}

}  // namespace evtwin
