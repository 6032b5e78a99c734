// The electrical tree (grid, transformer, feeder, charger) and its three-phase limits
// (phase_constraint), and what the other constructors use of it: handles and parents.
#include "scenario/dsl_support.hpp"
#include "scenario/lua_sandbox.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evtwin {

namespace {

bool is_node_kind(const std::string& kind) {
    return kind == "grid" || kind == "transformer" || kind == "feeder";
}

void require_grid(const LuaFields& f, const DslContext& c) {
    if (!c.builder->have_grid) {
        f.fail("grid{} must come before " + f.construct() +
               "{}: the grid connection is the root of the site tree");
    }
}

}  // namespace

// The value a constructor returns: { name = ..., kind = ... }, usable as `parent`.
int push_handle(lua_State* L, const std::string& name, const char* kind) {
    lua_createtable(L, 0, 2);
    lua_pushstring(L, name.c_str());
    lua_setfield(L, -2, "name");
    lua_pushstring(L, kind);
    lua_setfield(L, -2, "kind");
    return 1;
}

NodeIndex node_of(lua_State* L, const LuaFields& f, const DslContext& c, const char* key, NodeIndex absent) {
    require_grid(f, c);
    const int type = f.push(key);
    PopOnExit pop{L};
    if (type == LUA_TNIL) return absent;
    const std::optional<std::string> named = name_on_top(L);
    if (!named) f.fail_type(key, "a node (what grid{}, transformer{} or feeder{} returned) or its name");
    const std::string& name = *named;
    auto it = c.builder->names.find(name);
    if (it == c.builder->names.end()) {
        std::string known;
        for (const auto& node : c.builder->spec.nodes) known += (known.empty() ? "" : ", ") + node.name;
        f.fail("unknown " + std::string(key) + " '" + name + "'; the nodes declared so far are: " + known);
    }
    if (!is_node_kind(it->second)) {
        f.fail(std::string(key) + " '" + name + "' is a " + it->second + "; a " + key +
               " must be the grid, a transformer or a feeder");
    }
    return c.builder->node_index.at(name);
}

int dsl_grid(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        LuaFields f(L, 1, "grid", {"name", "import_kw", "export_kw"});
        if (b.have_grid) f.fail("declared twice: a site has one grid connection");
        NodeSpec node;
        node.name = f.string("name").value_or("grid");
        node.kind = NodeKind::grid;
        node.parent = kNone;
        node.import_limit_kw = f.number("import_kw", kUnlimited, Range::non_negative);
        node.export_limit_kw = f.number("export_kw", kUnlimited, Range::non_negative);
        b.claim_name("grid", node.name, "grid");
        b.spec.nodes.push_back(node);  // node 0: every other node needs the grid first
        b.node_index[node.name] = 0;
        b.have_grid = true;
        return push_handle(L, node.name, "grid");
    });
}

namespace {

int tree_node(lua_State* L, NodeKind kind) {
    return lua_guarded(L, [L, kind] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        const char* construct = to_string(kind);
        LuaFields f(L, 1, construct, {"name", "parent", "limit_kw", "import_kw", "export_kw"});
        NodeSpec node;
        node.name = f.required_string("name");
        node.kind = kind;
        node.parent = parent_of(L, f, c);
        const double limit = f.number("limit_kw", kUnlimited, Range::positive);
        node.import_limit_kw = f.number("import_kw", limit, Range::non_negative);
        node.export_limit_kw = f.number("export_kw", limit, Range::non_negative);
        b.claim_name(construct, node.name, construct);
        b.node_index[node.name] = static_cast<NodeIndex>(b.spec.nodes.size());
        b.spec.nodes.push_back(node);
        return push_handle(L, node.name, construct);
    });
}

}  // namespace

int dsl_transformer(lua_State* L) {
    return tree_node(L, NodeKind::transformer);
}
int dsl_feeder(lua_State* L) {
    return tree_node(L, NodeKind::feeder);
}

int dsl_charger(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        LuaFields f(L, 1, "charger",
                    {"name", "parent", "max_kw", "min_kw", "setpoints_kw", "efficiency", "dc", "v2g",
                     "connectors", "voltage_v", "phase_deg"});
        ChargerSpec charger;
        charger.name = f.required_string("name");
        charger.parent = parent_of(L, f, c);
        charger.max_kw = f.required_number("max_kw", Range::positive);
        charger.min_kw = f.number("min_kw", 0.0, Range::non_negative);
        if (charger.min_kw > charger.max_kw) f.fail("'min_kw' must not exceed 'max_kw'");
        charger.efficiency = f.number("efficiency", charger.efficiency, Range::efficiency);
        charger.dc = f.boolean("dc").value_or(false);
        charger.v2g_capable = f.boolean("v2g").value_or(false);
        const std::int64_t connectors = f.integer("connectors", 1).value_or(1);
        if (connectors > 64) f.fail("'connectors' must be at most 64");
        charger.connectors = static_cast<int>(connectors);
        charger.voltage_v = f.number("voltage_v", charger.voltage_v, Range::positive);
        charger.phase_deg = f.number("phase_deg", charger.phase_deg, Range::any);
        if (auto setpoints = f.numbers("setpoints_kw")) {
            for (double kw : *setpoints) {
                if (std::fabs(kw) > charger.max_kw + 1e-9)
                    f.fail("setpoint " + std::to_string(kw) + " kW exceeds 'max_kw'");
                if (kw < 0 && !charger.v2g_capable) f.fail("negative setpoints (discharge) need v2g = true");
            }
            std::sort(setpoints->begin(), setpoints->end());
            setpoints->erase(std::unique(setpoints->begin(), setpoints->end()), setpoints->end());
            charger.setpoints_kw = std::move(*setpoints);
        }
        c.builder->claim_name("charger", charger.name, "charger");
        c.builder->spec.chargers.push_back(charger);
        return push_handle(L, charger.name, "charger");
    });
}

namespace {

// The charger named by the value on top of the stack: its name or what charger{} returned.
std::size_t charger_of_value(lua_State* L, const LuaFields& f, const DslContext& c,
                             const std::string& entry) {
    const std::optional<std::string> named = name_on_top(L);
    if (!named)
        f.fail(entry + ": expected a charger (what charger{} returned) or its name, got " +
               describe_value(L, -1));
    const std::string& name = *named;
    const auto& chargers = c.builder->spec.chargers;
    for (std::size_t i = 0; i < chargers.size(); ++i)
        if (chargers[i].name == name) return i;
    std::string known;
    for (const auto& ch : chargers) known += (known.empty() ? "" : ", ") + ch.name;
    f.fail(entry + ": unknown charger '" + name +
           "'; the chargers declared so far are: " + (known.empty() ? "(none)" : known));
}

}  // namespace

// phase_constraint { name = "I3a", limit_a = 416.7, terms = { {"CA-308", 1}, {"CA-307", -1} } }:
// |Σ coefficient · I · e^{j·phase}| <= limit_a over the chargers' currents.
int dsl_phase_constraint(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        LuaFields f(L, 1, "phase_constraint", {"name", "limit_a", "terms"});
        PhaseConstraintSpec k;
        k.name = f.required_string("name");
        k.limit_a = f.required_number("limit_a", Range::positive);
        const int type = f.push("terms");
        PopOnExit pop{L};
        if (type == LUA_TNIL) f.fail("missing required key 'terms' (a list of {charger, coefficient})");
        if (type != LUA_TTABLE) f.fail_type("terms", "a list of {charger, coefficient}");
        const auto n = static_cast<lua_Integer>(lua_rawlen(L, -1));
        if (n == 0) f.fail("'terms' must list at least one {charger, coefficient}");
        for (lua_Integer i = 1; i <= n; ++i) {
            lua_rawgeti(L, -1, i);
            PopOnExit pop_term{L};
            const std::string entry = "'terms' entry " + std::to_string(i);
            PhaseTermSpec term;
            if (lua_type(L, -1) == LUA_TTABLE && lua_rawlen(L, -1) > 0) {  // {charger, coefficient}
                if (lua_rawlen(L, -1) > 2)
                    f.fail(entry + " must be {charger, coefficient}, got " + describe_value(L, -1));
                lua_rawgeti(L, -1, 1);
                {
                    PopOnExit pop_charger{L};
                    term.charger = charger_of_value(L, f, c, entry);
                }
                lua_rawgeti(L, -1, 2);
                PopOnExit pop_coefficient{L};
                if (lua_type(L, -1) == LUA_TNUMBER) {
                    term.coefficient = lua_tonumber(L, -1);
                    if (!std::isfinite(term.coefficient))
                        f.fail(entry + ": the coefficient must be a finite number");
                } else if (lua_type(L, -1) != LUA_TNIL) {
                    f.fail(entry + ": the coefficient must be a number, got " + describe_value(L, -1));
                }
            } else {  // a charger alone: coefficient 1
                term.charger = charger_of_value(L, f, c, entry);
            }
            for (const PhaseTermSpec& earlier : k.terms)
                if (earlier.charger == term.charger)
                    f.fail(entry + ": charger '" + c.builder->spec.chargers[term.charger].name +
                           "' is listed twice");
            k.terms.push_back(term);
        }
        c.builder->claim_name("phase_constraint", k.name, "phase constraint");
        c.builder->spec.phase_constraints.push_back(std::move(k));
        return 0;
    });
}

}  // namespace evtwin
