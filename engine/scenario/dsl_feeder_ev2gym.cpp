// distribution_feeder { ev2gym = { nodes = ..., lines = ... } }: one of EV2Gym's networks as the
// feeder (data/ev2gym_feeder.hpp, docs/scenario-dsl.md).
#include "data/ev2gym_feeder.hpp"
#include "scenario/dsl_support.hpp"

namespace evtwin {

grid::Network read_ev2gym_network(lua_State* L, const LuaFields& f, const DslContext& c) {
    const int type = f.push("ev2gym");
    PopOnExit pop{L};
    if (type != LUA_TTABLE)
        f.fail_type("ev2gym", "{ nodes = FILE, lines = FILE [, kv, pu, frequency_hz, normamps] }");
    LuaFields e(L, lua_gettop(L), f.construct() + ": ev2gym",
                {"nodes", "lines", "kv", "pu", "frequency_hz", "normamps"});
    const std::filesystem::path nodes = existing_file(e, c, "nodes", e.required_string("nodes"));
    const std::filesystem::path lines = existing_file(e, c, "lines", e.required_string("lines"));
    Ev2gymBase base;
    base.kv = e.number("kv", base.kv, Range::positive);
    base.per_unit = e.number("pu", base.per_unit, Range::positive);
    base.frequency_hz = e.number("frequency_hz", base.frequency_hz, Range::positive);
    base.normal_amps = e.number("normamps", base.normal_amps, Range::positive);
    try {
        return read_ev2gym_feeder(nodes, lines, base);
    } catch (const DataError& error) {
        e.fail(error.what());
    }
}

}  // namespace evtwin
