#pragma once
// What the DSL's constructors share across the files that define them, and the constructors
// themselves, one file per part of the DSL; register_dsl (dsl_bindings.cpp) installs them.
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

// The value a constructor returns: { name = ..., kind = ... }, usable as `parent`.
int push_handle(lua_State* L, const std::string& name, const char* kind);

// The node the construct's `key` names (a handle or a name; `absent` when not given). Fails before
// grid{}, and on a name that is not the grid, a transformer or a feeder.
NodeIndex node_of(lua_State* L, const LuaFields& f, const DslContext& c, const char* key, NodeIndex absent);
// Its `parent`: the grid when not given.
inline NodeIndex parent_of(lua_State* L, const LuaFields& f, const DslContext& c) {
    return node_of(L, f, c, "parent", 0);
}

int dsl_scenario(lua_State* L);  // dsl_scenario.cpp

int dsl_grid(lua_State* L);  // dsl_site.cpp
int dsl_transformer(lua_State* L);
int dsl_feeder(lua_State* L);
int dsl_charger(lua_State* L);
int dsl_phase_constraint(lua_State* L);

int dsl_pv(lua_State* L);  // dsl_assets.cpp
int dsl_load(lua_State* L);
int dsl_ess(lua_State* L);

int dsl_tariff(lua_State* L);  // dsl_money.cpp
int dsl_economics(lua_State* L);

int dsl_session(lua_State* L);  // dsl_sessions.cpp
int dsl_elaadnl(lua_State* L);
int dsl_acn_json(lua_State* L);
int dsl_acn_csv(lua_State* L);
int dsl_acnsim_events(lua_State* L);
int dsl_norway_csv(lua_State* L);
int dsl_ocpi(lua_State* L);

int dsl_rl(lua_State* L);     // dsl_rl.cpp
int dsl_param(lua_State* L);  // dsl_params.cpp
int dsl_data(lua_State* L);
int dsl_battery(lua_State* L);   // dsl_battery.cpp
int dsl_forecast(lua_State* L);  // dsl_forecast.cpp
int dsl_live(lua_State* L);      // dsl_live.cpp

// dsl_distribution_feeder.cpp
int dsl_distribution_feeder(lua_State* L);
// The DSO's flexibility requests of distribution_feeder{} at its sites' buses, and its voltage
// bands of buses (dsl_feeder_dso.cpp).
std::vector<FlexibilityRequest> read_flexibility(lua_State* L, const LuaFields& f, const DslContext& c,
                                                 const FeederSpec& feeder);
std::vector<BusBand> read_bands(lua_State* L, const LuaFields& f, const FeederSpec& feeder);
// One of EV2Gym's networks, distribution_feeder{}'s `ev2gym` (dsl_feeder_ev2gym.cpp).
grid::Network read_ev2gym_network(lua_State* L, const LuaFields& f, const DslContext& c);
// dsl_reservations.cpp
int dsl_reservations(lua_State* L);

}  // namespace evtwin
