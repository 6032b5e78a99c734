// distribution_feeder{}: the feeder behind the site (docs/scenario-dsl.md), read from an OpenDSS
// file or described element by element in Lua, and the site's nodes attached to its buses.
#include "grid/dss_reader.hpp"
#include "grid/dss_values.hpp"
#include "grid/nodal_admittance.hpp"
#include "grid/power_flow.hpp"
#include "grid/tap_control.hpp"
#include "model/feeder_spec.hpp"
#include "scenario/dsl_support.hpp"
#include "scenario/lua_sandbox.hpp"

#include <evtwin/errors.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <set>

namespace evtwin {

namespace {

// The element lists of a feeder described in Lua, each made of OpenDSS elements of one class.
struct ElementList {
    const char* key;
    const char* dss_class;
};
constexpr ElementList kElementLists[] = {
    {"linecodes", "LineCode"},     {"lines", "Line"}, {"transformers", "Transformer"},
    {"regcontrols", "RegControl"}, {"loads", "Load"}, {"capacitors", "Capacitor"}};

// What OpenDSS reads as syntax in a value: quotes, brackets, '|' (matrix rows), '=' and comments
// ('!', '//'), which would end the command there.
constexpr const char* kSyntax = "\"'[](){}|=!/";

std::string number_text(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", v);
    return buffer;
}

// A Lua value as OpenDSS writes it: a number, a word (quoted when it holds a space), a list as
// "[a b c]", a list of lists as a matrix by rows "(a | b c | d e f)". Fails naming `what`.
std::string dss_value(lua_State* L, int index, const LuaFields& f, const std::string& what, int depth = 0) {
    index = lua_absindex(L, index);
    switch (lua_type(L, index)) {
        case LUA_TNUMBER:
            return number_text(lua_tonumber(L, index));
        case LUA_TBOOLEAN:
            return lua_toboolean(L, index) ? "yes" : "no";
        case LUA_TSTRING: {
            std::string text = lua_tostring(L, index);
            if (text.find_first_of(kSyntax) != std::string::npos)
                f.fail(what + ": '" + text + "' holds a character OpenDSS reads as syntax");
            if (text.find(' ') != std::string::npos) return std::string("\"").append(text).append("\"");
            return text;
        }
        case LUA_TTABLE: {
            if (depth > 0 && lua_type(L, index) == LUA_TTABLE) {
                std::string row;
                const auto n = static_cast<lua_Integer>(lua_rawlen(L, index));
                for (lua_Integer i = 1; i <= n; ++i) {
                    lua_rawgeti(L, index, i);
                    PopOnExit pop{L};
                    if (lua_type(L, -1) != LUA_TNUMBER)
                        f.fail(what + ": a matrix row holds numbers, got " + describe_value(L, -1));
                    row.append(i > 1 ? " " : "").append(number_text(lua_tonumber(L, -1)));
                }
                return row;
            }
            const auto n = static_cast<lua_Integer>(lua_rawlen(L, index));
            if (n == 0) f.fail(what + ": expected a list of values, got an empty or keyed table");
            lua_rawgeti(L, index, 1);
            const bool matrix = lua_type(L, -1) == LUA_TTABLE;
            lua_pop(L, 1);
            std::string out = matrix ? "(" : "[";
            for (lua_Integer i = 1; i <= n; ++i) {
                lua_rawgeti(L, index, i);
                PopOnExit pop{L};
                if (matrix != (lua_type(L, -1) == LUA_TTABLE))
                    f.fail(what + ": a matrix is a list of rows, each a list of numbers");
                if (i > 1) out.append(matrix ? " | " : " ");
                out.append(dss_value(L, -1, f, what, matrix ? 1 : 0));
            }
            return out.append(matrix ? ")" : "]");
        }
        default:
            f.fail(what + ": expected a number, a string, a boolean or a list, got " +
                   describe_value(L, index));
    }
}

// Properties that change how later ones are read go first; the rest in name order, so that the
// script does not depend on Lua's order of a table's keys.
int property_rank(const std::string& name) {
    if (name == "like") return 0;
    if (name == "switch") return 1;
    if (name == "phases") return 2;
    return 3;
}

// The element table on top of the stack as one OpenDSS command "New Class.name k=v ...". A key
// pct_x is the property %x.
std::string dss_command(lua_State* L, const LuaFields& f, const char* dss_class, const std::string& what) {
    if (lua_type(L, -1) != LUA_TTABLE) f.fail(what + ": expected a table of OpenDSS properties");
    std::vector<std::pair<std::string, std::string>> properties;
    std::string name;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        PopOnExit pop{L};
        if (lua_type(L, -2) != LUA_TSTRING) f.fail(what + ": keys are property names, got a list entry");
        std::string key = lua_tostring(L, -2);
        if (key.empty() || key.find_first_of(kSyntax) != std::string::npos ||
            key.find_first_of(" .") != std::string::npos)
            f.fail(what + ": '" + key + "' is not a property name");
        if (key == "name") {
            if (lua_type(L, -1) != LUA_TSTRING || lua_rawlen(L, -1) == 0)
                f.fail(what + ": 'name' must be a non-empty string");
            name = lua_tostring(L, -1);
            if (name.find_first_of(kSyntax) != std::string::npos ||
                name.find_first_of(" .") != std::string::npos)
                f.fail(what + ": the name '" + name +
                       "' holds a space, a '.' or a character OpenDSS reads as syntax");
            continue;
        }
        if (key.rfind("pct_", 0) == 0) key.replace(0, 4, "%");
        properties.emplace_back(key, dss_value(L, -1, f, what + "." + key));
    }
    if (name.empty()) f.fail(what + ": missing required key 'name'");
    std::sort(properties.begin(), properties.end(), [](const auto& a, const auto& b) {
        const int ra = property_rank(a.first), rb = property_rank(b.first);
        return ra != rb ? ra < rb : a.first < b.first;
    });
    std::string command = std::string("New ").append(dss_class).append(".").append(name);
    for (const auto& [key, value] : properties) command.append(" ").append(key).append("=").append(value);
    return command;
}

constexpr const char* kScript = "distribution_feeder";

// The feeder the Lua tables describe, through the OpenDSS reader: one command per element, each
// error then named by the element it came from (lines[2]) instead of the generated script's line.
grid::Network described_network(lua_State* L, const LuaFields& f) {
    std::string script;
    std::vector<std::string> origin{""};  // per generated line, from 1
    const auto add = [&](std::string line, std::string what) {
        script.append(line).append("\n");
        origin.push_back(std::move(what));
    };
    {
        const int type = f.push("source");
        PopOnExit pop{L};
        if (type == LUA_TNIL)
            f.fail("missing required key 'source' (the substation: bus1, basekv, pu, angle)");
        if (type == LUA_TTABLE) {
            lua_pushstring(L, "feeder");
            lua_setfield(L, -2, "name");
        }
        add(dss_command(L, f, "Circuit", "source"), "source");
    }
    for (const ElementList& list : kElementLists) {
        const int type = f.push(list.key);
        PopOnExit pop{L};
        if (type == LUA_TNIL) continue;
        if (type != LUA_TTABLE) f.fail_type(list.key, "a list of element tables");
        const auto n = static_cast<lua_Integer>(lua_rawlen(L, -1));
        for (lua_Integer i = 1; i <= n; ++i) {
            lua_rawgeti(L, -1, i);
            PopOnExit pop_element{L};
            const std::string what = std::string(list.key) + "[" + std::to_string(i) + "]";
            add(dss_command(L, f, list.dss_class, what), what);
        }
    }
    if (auto bases = f.numbers("voltage_bases")) {
        std::string line = "Set VoltageBases=[";
        for (std::size_t i = 0; i < bases->size(); ++i) {
            if (!((*bases)[i] > 0.0)) f.fail("'voltage_bases' must hold kV above 0");
            line.append(i ? " " : "").append(number_text((*bases)[i]));
        }
        add(line + "]", "voltage_bases");
    }
    try {
        return grid::read_dss_text(script, kScript);
    } catch (const DataError& e) {
        // "distribution_feeder:<line>: message" from the reader; else a message of the whole network.
        const std::string message = e.what();
        const std::string prefix = std::string(kScript) + ":";
        if (message.rfind(prefix, 0) == 0) {
            std::size_t line = 0;
            const char* begin = message.data() + prefix.size();
            const auto [end, ec] = std::from_chars(begin, message.data() + message.size(), line);
            if (ec == std::errc{} && line < origin.size() &&
                message.compare(end - message.data(), 2, ": ") == 0)
                f.fail(origin[line] + ": " + message.substr(end - message.data() + 2));
        }
        f.fail(message);
    }
}

// Line-to-line kV of every voltage level: the source's and each transformer winding's.
std::vector<double> voltage_levels(const grid::Network& network) {
    std::set<double> levels{network.source.kv};
    for (const grid::Transformer& t : network.transformers)
        for (const grid::Winding& w : t.windings)
            levels.insert(w.connection == grid::Connection::wye && t.phases == 1 ? w.kv * std::numbers::sqrt3
                                                                                 : w.kv);
    return {levels.begin(), levels.end()};
}

NodeIndex site_node(lua_State* L, const LuaFields& f, const DslContext& c, const std::string& what) {
    const std::optional<std::string> named = name_on_top(L);
    if (!named)
        f.fail(what +
               ": expected a node (what grid{}, transformer{} or feeder{} returned) or its name, got " +
               describe_value(L, -1));
    const std::string& name = *named;
    const auto found = c.builder->node_index.find(name);
    if (found == c.builder->node_index.end()) {
        std::string known;
        for (const auto& node : c.builder->spec.nodes)
            known.append(known.empty() ? "" : ", ").append(node.name);
        f.fail(what + ": unknown node '" + name + "'; the nodes declared so far are: " + known);
    }
    return found->second;
}

bool below(const ScenarioSpec& spec, NodeIndex node, NodeIndex ancestor) {
    for (NodeIndex n = node; n != kNone; n = spec.nodes[n].parent)
        if (n == ancestor) return true;
    return false;
}

// The sites = { {node = ..., bus = "...", phases = {1, 2, 3}, pf = 1}, ... } entries.
std::vector<FeederSite> read_sites(lua_State* L, const LuaFields& f, const DslContext& c,
                                   const grid::Network& network) {
    const int type = f.push("sites");
    PopOnExit pop{L};
    if (type == LUA_TNIL)
        f.fail("missing required key 'sites' (the site's nodes on the feeder: { {node = ..., bus = ...} })");
    if (type != LUA_TTABLE) f.fail_type("sites", "a list of { node = ..., bus = ..., phases = ... }");
    const auto n = static_cast<lua_Integer>(lua_rawlen(L, -1));
    if (n == 0) f.fail("'sites' must attach at least one node of the site to a bus");
    const grid::NodeIndex nodes = grid::index_nodes(network);
    std::vector<FeederSite> sites;
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L, -1, i);
        PopOnExit pop_site{L};
        const std::string what = "sites[" + std::to_string(i) + "]";
        LuaFields entry(L, lua_gettop(L), f.construct() + ": " + what, {"node", "bus", "phases", "pf"});
        FeederSite site;
        {
            const int node_type = entry.push("node");
            PopOnExit pop_node{L};
            if (node_type == LUA_TNIL) f.fail(what + ": missing required key 'node'");
            site.node = site_node(L, f, c, what + ".node");
        }
        const std::string bus = entry.required_string("bus");
        const auto found = network.find_bus(bus);
        if (!found) f.fail(what + ": the feeder has no bus '" + bus + "'");
        site.bus = *found;
        if (auto phases = entry.numbers("phases")) {
            for (double p : *phases) {
                if (p != 1.0 && p != 2.0 && p != 3.0) f.fail(what + ": 'phases' lists conductors 1, 2 or 3");
                site.conductors.push_back(static_cast<int>(p));
            }
            std::set<int> distinct(site.conductors.begin(), site.conductors.end());
            if (distinct.size() != site.conductors.size() || site.conductors.empty())
                f.fail(what + ": 'phases' must list distinct conductors, at least one");
        } else {
            for (int k = 1; k <= 3; ++k)
                if (nodes.of_bus[site.bus][k] >= 0) site.conductors.push_back(k);
        }
        for (int k : site.conductors)
            if (nodes.of_bus[site.bus][k] < 0)
                f.fail(what + ": bus '" + bus + "' has no phase " + std::to_string(k));
        site.power_factor = entry.number("pf", 1.0, Range::efficiency);
        for (const FeederSite& other : sites)
            if (below(c.builder->spec, site.node, other.node) ||
                below(c.builder->spec, other.node, site.node))
                f.fail(what + ": node '" + c.builder->spec.nodes[site.node].name + "' and node '" +
                       c.builder->spec.nodes[other.node].name +
                       "' are one below the other: a node's power would count twice");
        sites.push_back(site);
    }
    return sites;
}

// A profile table { file = ..., column = ..., scale = ... } (on top of the stack) as a declaration.
ProfileDecl profile_decl(lua_State* L, const DslContext& c, const FeederSpec& spec, const std::string& what,
                         bool with_loads) {
    std::vector<std::string> keys{"file", "column", "scale"};
    if (with_loads) keys.push_back("loads");
    LuaFields p(L, lua_gettop(L), "distribution_feeder: " + what, keys);
    ProfileDecl decl;
    decl.at = spec.source;
    decl.name = spec.name;
    decl.file = existing_file(p, c, "file", p.required_string("file"));
    decl.column = p.string("column").value_or("");
    decl.scale = p.number("scale", 1.0, Range::positive);
    return decl;
}

// load_profile (every load without one of its own) and load_profiles = { {loads = {...}, file =
// ...}, ... }: the spec's load_scale_of, and the profiles' declarations in load_scales' order.
void read_load_profiles(lua_State* L, const LuaFields& f, const DslContext& c, FeederSpec& spec,
                        std::vector<ProfileDecl>& decls) {
    const std::vector<grid::Load>& loads = spec.network.loads;
    spec.load_scale_of.assign(loads.size(), -1);
    {
        const int type = f.push("load_profiles");
        PopOnExit pop{L};
        if (type != LUA_TNIL) {
            if (type != LUA_TTABLE)
                f.fail_type("load_profiles",
                            "a list of { loads = {...}, file = ..., column = ..., scale = ... }");
            const auto n = static_cast<lua_Integer>(lua_rawlen(L, -1));
            for (lua_Integer i = 1; i <= n; ++i) {
                lua_rawgeti(L, -1, i);
                PopOnExit pop_entry{L};
                const std::string what = "load_profiles[" + std::to_string(i) + "]";
                if (lua_type(L, -1) != LUA_TTABLE)
                    f.fail(what + ": expected a table { loads = {...}, file = ... }");
                const int profile = static_cast<int>(decls.size());
                decls.push_back(profile_decl(L, c, spec, what, true));
                lua_getfield(L, -1, "loads");
                PopOnExit pop_loads{L};
                if (lua_type(L, -1) != LUA_TTABLE || lua_rawlen(L, -1) == 0)
                    f.fail(what + ": 'loads' must list the names of the feeder's loads it scales");
                const auto m = static_cast<lua_Integer>(lua_rawlen(L, -1));
                for (lua_Integer k = 1; k <= m; ++k) {
                    lua_rawgeti(L, -1, k);
                    PopOnExit pop_name{L};
                    if (lua_type(L, -1) != LUA_TSTRING)
                        f.fail(what + ".loads: expected load names, got " + describe_value(L, -1));
                    const std::string name = grid::dss::lower(lua_tostring(L, -1));
                    std::size_t load = 0;
                    while (load < loads.size() && grid::dss::lower(loads[load].name) != name) ++load;
                    if (load == loads.size()) f.fail(what + ".loads: the feeder has no load '" + name + "'");
                    if (spec.load_scale_of[load] >= 0)
                        f.fail(what + ".loads: load '" + name + "' has a profile already");
                    spec.load_scale_of[load] = profile;
                }
            }
        }
    }
    const int type = f.push("load_profile");
    PopOnExit pop{L};
    if (type == LUA_TNIL) return;
    if (type != LUA_TTABLE) f.fail_type("load_profile", "a table { file = ..., column = ..., scale = ... }");
    const int profile = static_cast<int>(decls.size());
    decls.push_back(profile_decl(L, c, spec, "load_profile", false));
    for (int& of : spec.load_scale_of)
        if (of < 0) of = profile;
}

// tap_control = true (or "static": at once), "timed" (after the regulators' delays) or false.
bool read_tap_control(lua_State* L, const LuaFields& f, FeederSpec& spec) {
    const int type = f.push("tap_control");
    PopOnExit pop{L};
    const char* expected = "true or \"static\" (at once), \"timed\" (after the regulators' delays) or false";
    if (type == LUA_TNIL || type == LUA_TBOOLEAN) {
        spec.tap_control = type == LUA_TNIL || lua_toboolean(L, -1);
    } else if (type == LUA_TSTRING) {
        const std::string mode = lua_tostring(L, -1);
        if (mode != "static" && mode != "timed") f.fail_type("tap_control", expected);
        spec.tap_control = true;
        spec.tap_delays = mode == "timed";
    } else {
        f.fail_type("tap_control", expected);
    }
    return spec.tap_control;
}

}  // namespace

int dsl_distribution_feeder(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        LuaFields f(L, 1, "distribution_feeder",
                    {"name",          "dss",          "ev2gym",       "source",        "linecodes",
                     "lines",         "transformers", "regcontrols",  "loads",         "capacitors",
                     "voltage_bases", "sites",        "load_profile", "load_profiles", "v_min_pu",
                     "v_max_pu",      "max_loading",  "tap_control",  "flexibility",   "bands"});
        if (b.distribution_feeder) f.fail("declared twice: a scenario has one distribution feeder");
        if (!b.have_grid)
            f.fail("grid{} must come before distribution_feeder{}: its sites are nodes of the site tree");
        auto spec = std::make_shared<FeederSpec>();
        spec->source = c.sandbox->where(L);
        spec->name = f.string("name").value_or("feeder");
        const auto dss = f.string("dss");
        bool described = false;
        for (const char* key : {"source", "linecodes", "lines", "transformers", "regcontrols", "loads",
                                "capacitors", "voltage_bases"})
            described = described || f.has(key);
        const bool ev2gym = f.has("ev2gym");
        if ((dss ? 1 : 0) + (described ? 1 : 0) + (ev2gym ? 1 : 0) > 1)
            f.fail(
                "give one of 'dss' (an OpenDSS file), 'ev2gym' (EV2Gym's node and line files) or the "
                "feeder's elements (source, lines, ...)");
        if (ev2gym) {
            spec->network = read_ev2gym_network(L, f, c);
        } else if (dss) {
            const std::filesystem::path path = existing_file(f, c, "dss", *dss);
            try {
                spec->network = grid::read_dss_file(path);
            } catch (const DataError& e) {
                f.fail(std::string("dss: ") + e.what());
            }
        } else if (described) {
            spec->network = described_network(L, f);
        } else {
            f.fail(
                "give 'dss' (an OpenDSS file), 'ev2gym' (EV2Gym's node and line files) or the feeder's "
                "elements (source, lines, loads, ...)");
        }
        grid::Network& network = spec->network;
        if (network.voltage_bases_kv.empty()) network.voltage_bases_kv = voltage_levels(network);
        spec->v_min_pu = f.number("v_min_pu", 0.9, Range::positive);
        spec->v_max_pu = f.number("v_max_pu", 1.1, Range::positive);
        if (spec->v_min_pu >= spec->v_max_pu) f.fail("'v_min_pu' must be below 'v_max_pu'");
        spec->max_loading = f.number("max_loading", 1.0, Range::positive);
        spec->sites = read_sites(L, f, c, network);
        // The regulators' taps to start from: those the static tap control finds at the feeder's
        // nominal loads (the run's solves move them on, docs/grid.md).
        const bool tap_control = read_tap_control(L, f, *spec);
        try {
            grid::PowerFlowSolution solution;
            if (tap_control && !network.regulators.empty()) {
                const grid::TapControlOutcome outcome = grid::solve_with_tap_control(network);
                solution = outcome.solution;
            } else {
                solution = grid::solve_power_flow(network);
            }
            if (!solution.converged) f.fail("the feeder's power flow does not converge at its nominal loads");
            spec->bus_base_kv_ln = solution.bus_base_kv_ln;
            for (std::size_t bus = 0; bus < network.buses.size(); ++bus) {
                std::string phases;
                for (int k = 1; k <= 3; ++k)
                    if (solution.node_of_bus[bus][k] >= 0) phases += static_cast<char>('0' + k);
                spec->bus_phases.push_back(phases);
                if (!(spec->bus_base_kv_ln[bus] > 0.0))
                    f.fail("bus '" + network.buses[bus].name + "' has no voltage base");
                // A bus held by shunt elements alone (a capacitor) is not singular, but dead.
                for (int k = 1; k <= 3; ++k)
                    if (const auto v = solution.per_unit(static_cast<int>(bus), k); v && v->real() < 0.01)
                        f.fail("bus '" + network.buses[bus].name +
                               "' has no path to the source (its voltage is " + std::to_string(v->real()) +
                               " per unit)");
            }
        } catch (const DataError& e) {
            f.fail(e.what());
        }
        read_load_profiles(L, f, c, *spec, b.distribution_feeder_profiles);
        spec->flexibility = read_flexibility(L, f, c, *spec);
        spec->bands = read_bands(L, f, *spec);
        b.claim_name("distribution_feeder", spec->name, "distribution_feeder");
        b.distribution_feeder = spec;
        lua_createtable(L, 0, 2);
        lua_pushstring(L, spec->name.c_str());
        lua_setfield(L, -2, "name");
        lua_pushstring(L, "distribution_feeder");
        lua_setfield(L, -2, "kind");
        return 1;
    });
}

// Every charger, PV, ESS and load of the site hangs below a node attached to the feeder: else its
// power would reach the grid through no bus.
void check_feeder_covers_site(const ScenarioSpec& spec, const FeederSpec& feeder) {
    const auto attached = [&](NodeIndex node) {
        for (const FeederSite& s : feeder.sites)
            if (below(spec, node, s.node)) return true;
        return false;
    };
    const auto check = [&](NodeIndex node, const char* kind, const std::string& name) {
        if (!attached(node))
            throw std::runtime_error(
                std::string(kind) + " '" + name +
                "' hangs below no node of 'sites': its power would reach the feeder through no bus");
    };
    for (const ChargerSpec& ch : spec.chargers) check(ch.parent, "charger", ch.name);
    for (const PvSpec& pv : spec.pv) check(pv.node, "pv", pv.name);
    for (const LoadSpec& l : spec.loads) check(l.node, "load", l.name);
    for (const EssSpec& e : spec.ess) check(e.node, "ess", e.name);
}

}  // namespace evtwin
