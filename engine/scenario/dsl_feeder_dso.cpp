// What a distribution system operator asks of the sites on its feeder (docs/scenario-dsl.md):
// distribution_feeder { flexibility = { ... } }, caps on what the sites at a bus import and export
// over a time, and { bands = { ... } }, a voltage band of a bus's own.
#include "scenario/dsl_support.hpp"
#include "scenario/scenario_builder.hpp"

#include <algorithm>

namespace evtwin {

std::vector<FlexibilityRequest> read_flexibility(lua_State* L, const LuaFields& f, const DslContext& c,
                                                 const FeederSpec& feeder) {
    const int type = f.push("flexibility");
    PopOnExit pop{L};
    if (type == LUA_TNIL) return {};
    const char* expected = "a list of { bus = ..., from = ..., to = ..., import_kw = ..., export_kw = ... }";
    if (type != LUA_TTABLE) f.fail_type("flexibility", expected);
    if (!c.builder->zone) f.fail("'flexibility': declare scenario{} first (its times are the scenario's)");
    const TimeZone& zone = *c.builder->zone;
    std::vector<FlexibilityRequest> out;
    const auto n = static_cast<lua_Integer>(lua_rawlen(L, -1));
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, -1, i);
        PopOnExit pop_entry{L};
        const std::string what = "flexibility[" + std::to_string(i) + "]";
        if (!lua_istable(L, -1)) f.fail(what + ": expected " + std::string(expected));
        LuaFields e(L, lua_gettop(L), f.construct() + ": " + what,
                    {"bus", "from", "to", "import_kw", "export_kw"});
        FlexibilityRequest r;
        const std::string bus = e.required_string("bus");
        const auto found = feeder.network.find_bus(bus);
        if (!found) e.fail("the feeder has no bus '" + bus + "'");
        if (std::none_of(feeder.sites.begin(), feeder.sites.end(),
                         [&](const FeederSite& s) { return s.bus == *found; }))
            e.fail("no node of 'sites' is attached at bus '" + bus + "'");
        r.bus = *found;
        const auto time = [&](const char* key) {
            const std::string text = e.required_string(key);
            try {
                return parse_time(text, zone);
            } catch (const std::exception& error) {
                e.fail(std::string("'") + key + "': " + error.what());
            }
        };
        r.from = time("from");
        r.to = time("to");
        if (!(r.from < r.to)) e.fail("'to' must come after 'from'");
        r.import_kw = e.number("import_kw", r.import_kw, Range::non_negative);
        r.export_kw = e.number("export_kw", r.export_kw, Range::non_negative);
        out.push_back(r);
    }
    std::stable_sort(out.begin(), out.end(), [](const FlexibilityRequest& a, const FlexibilityRequest& b) {
        return a.from < b.from;
    });
    return out;
}

std::vector<BusBand> read_bands(lua_State* L, const LuaFields& f, const FeederSpec& feeder) {
    const int type = f.push("bands");
    PopOnExit pop{L};
    if (type == LUA_TNIL) return {};
    const char* expected = "a list of { bus = ..., v_min_pu = ..., v_max_pu = ... }";
    if (type != LUA_TTABLE) f.fail_type("bands", expected);
    std::vector<BusBand> out;
    const auto n = static_cast<lua_Integer>(lua_rawlen(L, -1));
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, -1, i);
        PopOnExit pop_entry{L};
        const std::string what = "bands[" + std::to_string(i) + "]";
        if (!lua_istable(L, -1)) f.fail(what + ": expected " + std::string(expected));
        LuaFields e(L, lua_gettop(L), f.construct() + ": " + what, {"bus", "v_min_pu", "v_max_pu"});
        const std::string bus = e.required_string("bus");
        const auto found = feeder.network.find_bus(bus);
        if (!found) e.fail("the feeder has no bus '" + bus + "'");
        if (std::any_of(out.begin(), out.end(), [&](const BusBand& b) { return b.bus == *found; }))
            e.fail("bus '" + bus + "' has a band already");
        BusBand band{*found, e.number("v_min_pu", feeder.v_min_pu, Range::positive),
                     e.number("v_max_pu", feeder.v_max_pu, Range::positive)};
        if (band.v_min_pu >= band.v_max_pu) e.fail("'v_min_pu' must be below 'v_max_pu'");
        out.push_back(band);
    }
    return out;
}

}  // namespace evtwin
