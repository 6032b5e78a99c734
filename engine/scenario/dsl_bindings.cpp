#include "scenario/dsl_bindings.hpp"

#include <evtwin/rl/env.hpp>  // reward_kind_from_name, safety_layer_from_name: names of the rl{} block

#include "scenario/dsl_support.hpp"
#include "scenario/lua_duration.hpp"
#include "scenario/lua_fields.hpp"
#include "scenario/lua_hooks.hpp"
#include "scenario/lua_sandbox.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
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

namespace {

bool is_node_kind(const std::string& kind) {
    return kind == "grid" || kind == "transformer" || kind == "feeder";
}

// The value a constructor returns: { name = ..., kind = ... }, usable as `parent`.
int push_handle(lua_State* L, const std::string& name, const char* kind) {
    lua_createtable(L, 0, 2);
    lua_pushstring(L, name.c_str());
    lua_setfield(L, -2, "name");
    lua_pushstring(L, kind);
    lua_setfield(L, -2, "kind");
    return 1;
}

void require_grid(const LuaFields& f, const DslContext& c) {
    if (!c.builder->have_grid) {
        f.fail("grid{} must come before " + f.construct() +
               "{}: the grid connection is the root of the site tree");
    }
}

NodeIndex parent_of(lua_State* L, const LuaFields& f, const DslContext& c) {
    require_grid(f, c);
    const int type = f.push("parent");
    PopOnExit pop{L};
    if (type == LUA_TNIL) return 0;
    std::string name;
    if (type == LUA_TSTRING) {
        name = lua_tostring(L, -1);
    } else if (type == LUA_TTABLE && (lua_pushstring(L, "name"), lua_rawget(L, -2)) == LUA_TSTRING) {
        name = lua_tostring(L, -1);
        lua_pop(L, 1);
    } else {
        if (type == LUA_TTABLE) lua_pop(L, 1);
        f.fail_type("parent", "a node (what grid{}, transformer{} or feeder{} returned) or its name");
    }
    auto it = c.builder->names.find(name);
    if (it == c.builder->names.end()) {
        std::string known;
        for (const auto& node : c.builder->spec.nodes) known += (known.empty() ? "" : ", ") + node.name;
        f.fail("unknown parent '" + name + "'; the nodes declared so far are: " + known);
    }
    if (!is_node_kind(it->second)) {
        f.fail("parent '" + name + "' is a " + it->second +
               "; a parent must be the grid, a transformer or a feeder");
    }
    return c.builder->node_index.at(name);
}

// ---- scenario ------------------------------------------------------------------------------

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
        s.control_period = f.duration("control_period").value_or(Duration::minutes(15));
        if (s.control_period.ms() <= 0) f.fail("'control_period' must be longer than zero");
        const std::string mode = f.string("mode").value_or("event");
        if (mode != "event" && mode != "decision_period" && mode != "acnsim")
            f.fail("'mode' must be \"event\", \"decision_period\" or \"acnsim\", got \"" + mode + "\"");
        s.decision_period_mode = mode == "decision_period" || mode == "acnsim";
        s.acn_compatible = mode == "acnsim";
        s.forecast_horizon = f.duration("forecast_horizon").value_or(Duration::hours(24));
        if (s.forecast_horizon.ms() < 0) f.fail("'forecast_horizon' must not be negative");
        const auto seed = f.integer("seed", 0);
        s.seed = c.seed_override.value_or(seed ? static_cast<std::uint64_t>(*seed) : 1);
        c.sandbox->reseed(s.seed);
        s.strategy = f.string("strategy").value_or(s.strategy);
        if (f.push("strategy_options") != LUA_TNIL) {
            PopOnExit pop{L};
            if (!lua_istable(L, -1))
                f.fail_type("strategy_options", "a table of name = value, or strategy = { name = value }");
            // One option value at the top of the stack, as a string; `path` names it in errors.
            auto option_value = [&](const std::string& path) -> std::string {
                const int type = lua_type(L, -1);
                if (type == LUA_TBOOLEAN) return lua_toboolean(L, -1) ? "true" : "false";
                if (type != LUA_TSTRING && type != LUA_TNUMBER)
                    f.fail("'" + path + "' must be a string, number or boolean, got " +
                           describe_value(L, -1));
                lua_pushvalue(L, -1);  // lua_tostring converts a number in place: convert a copy
                std::string text = lua_tostring(L, -1);
                lua_pop(L, 1);
                return text;
            };
            lua_pushnil(L);
            while (lua_next(L, -2) != 0) {
                PopOnExit pop_value{L};
                if (lua_type(L, -2) != LUA_TSTRING) f.fail("'strategy_options' keys must be names");
                const std::string key = lua_tostring(L, -2);
                if (!lua_istable(L, -1)) {
                    s.strategy_options[key] = option_value("strategy_options." + key);
                    continue;
                }
                // A table keyed by a strategy name: options for that strategy alone.
                StrategyOptions& own = s.strategy_options_by_name[key];
                lua_pushnil(L);
                while (lua_next(L, -2) != 0) {
                    PopOnExit pop_inner{L};
                    if (lua_type(L, -2) != LUA_TSTRING)
                        f.fail("'strategy_options." + key + "' keys must be names (options of strategy '" +
                               key + "')");
                    const std::string option = lua_tostring(L, -2);
                    if (lua_istable(L, -1))
                        f.fail("'strategy_options." + key + "." + option +
                               "' must be a string, number or boolean: options nest one level, by strategy "
                               "name");
                    own[option] = option_value("strategy_options." + key + "." + option);
                }
            }
        } else {
            lua_pop(L, 1);
        }
        b.scenario_at = c.sandbox->where(L);
        return 0;
    });
}

// ---- the electrical tree -----------------------------------------------------------------------

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
        charger.connectors = static_cast<int>(f.integer("connectors", 1).value_or(1));
        if (charger.connectors > 64) f.fail("'connectors' must be at most 64");
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

// ---- phase constraints -----------------------------------------------------------------------

// The charger named by the value on top of the stack: its name or what charger{} returned.
std::size_t charger_of_value(lua_State* L, const LuaFields& f, const DslContext& c,
                             const std::string& entry) {
    std::string name;
    if (lua_type(L, -1) == LUA_TSTRING) {
        name = lua_tostring(L, -1);
    } else if (lua_type(L, -1) == LUA_TTABLE &&
               (lua_pushstring(L, "name"), lua_rawget(L, -2)) == LUA_TSTRING) {
        name = lua_tostring(L, -1);
        lua_pop(L, 1);
    } else {
        if (lua_type(L, -1) == LUA_TTABLE) lua_pop(L, 1);
        f.fail(entry + ": expected a charger (what charger{} returned) or its name, got " +
               describe_value(L, -1));
    }
    const auto& chargers = c.builder->spec.chargers;
    for (std::size_t i = 0; i < chargers.size(); ++i)
        if (chargers[i].name == name) return i;
    std::string known;
    for (const auto& ch : chargers) known += (known.empty() ? "" : ", ") + ch.name;
    f.fail(entry + ": unknown charger '" + name +
           "'; the chargers declared so far are: " + (known.empty() ? "(none)" : known));
}

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

// ---- PV, storage, loads ------------------------------------------------------------------------

std::string optional_name(const LuaFields& f, const char* fallback) {
    auto name = f.string("name");
    if (name && name->empty()) f.fail("'name' must not be empty");
    return name.value_or(fallback);
}

// pv{} and load{}: a profile attached to a node. `read_size` reads what the construct itself adds
// (its peak or constant kW, and so whether a profile file is needed) between the parent and the
// profile's column and scale, which is the order the errors are reported in.
template <class ReadSize>
int dsl_profile(lua_State* L, const char* kind, const char* size_key,
                std::vector<ProfileDecl> ScenarioBuilder::*list, ReadSize read_size) {
    return lua_guarded(L, [&] {
        DslContext& c = dsl_context(L);
        LuaFields f(L, 1, kind, {"name", "parent", size_key, "profile", "column", "scale"});
        ProfileDecl decl;
        decl.at = c.sandbox->where(L);
        decl.name = optional_name(f, kind);
        decl.node = parent_of(L, f, c);
        read_size(f, c, decl);
        decl.column = f.string("column").value_or("");
        decl.scale = f.number("scale", 1.0, Range::positive);
        c.builder->claim_name(kind, decl.name, kind);
        (c.builder->*list).push_back(decl);
        return push_handle(L, decl.name, kind);
    });
}

int dsl_pv(lua_State* L) {
    return dsl_profile(L, "pv", "kwp", &ScenarioBuilder::pv,
                       [](const LuaFields& f, const DslContext& c, ProfileDecl& decl) {
                           decl.kwp = f.required_number("kwp", Range::non_negative);
                           decl.file = existing_file(f, c, "profile", f.required_string("profile"));
                       });
}

int dsl_load(lua_State* L) {
    return dsl_profile(
        L, "load", "kw", &ScenarioBuilder::loads,
        [](const LuaFields& f, const DslContext& c, ProfileDecl& decl) {
            decl.constant = f.number("kw", Range::non_negative);
            const auto profile = f.string("profile");
            if (decl.constant.has_value() == profile.has_value()) {
                f.fail("give exactly one of 'kw' (a constant load) and 'profile' (a CSV file)");
            }
            if (profile) decl.file = existing_file(f, c, "profile", *profile);
        });
}

int dsl_ess(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        LuaFields f(
            L, 1, "ess",
            {"name", "parent", "capacity_kwh", "max_charge_kw", "max_discharge_kw", "charge_efficiency",
             "discharge_efficiency", "soc_min", "soc_max", "soc_initial", "soh"});
        if (b.spec.ess) f.fail("only one ess{} per scenario (the first is at " + b.ess_at + ")");
        EssSpec ess;
        ess.name = optional_name(f, "ess");
        ess.node = parent_of(L, f, c);
        ess.capacity_kwh = f.required_number("capacity_kwh", Range::positive);
        ess.max_charge_kw = f.required_number("max_charge_kw", Range::non_negative);
        ess.max_discharge_kw = f.required_number("max_discharge_kw", Range::non_negative);
        ess.charge_efficiency = f.number("charge_efficiency", ess.charge_efficiency, Range::efficiency);
        ess.discharge_efficiency =
            f.number("discharge_efficiency", ess.discharge_efficiency, Range::efficiency);
        ess.soc_min = f.number("soc_min", ess.soc_min, Range::unit);
        ess.soc_max = f.number("soc_max", ess.soc_max, Range::unit);
        ess.soc_initial = f.number("soc_initial", ess.soc_initial, Range::unit);
        if (ess.soc_min >= ess.soc_max) f.fail("'soc_min' must be below 'soc_max'");
        if (ess.soc_initial < ess.soc_min || ess.soc_initial > ess.soc_max) {
            f.fail("'soc_initial' must lie between 'soc_min' and 'soc_max'");
        }
        ess.soh = f.number("soh", ess.soh, Range::unit);
        if (ess.soh <= 0.0) f.fail("'soh' (state of health) must be above 0 and at most 1");
        b.claim_name("ess", ess.name, "ess");
        b.spec.ess = ess;
        b.ess_at = c.sandbox->where(L);
        return push_handle(L, ess.name, "ess");
    });
}

// ---- money ---------------------------------------------------------------------------------------

int dsl_tariff(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        LuaFields f(L, 1, "tariff",
                    {"file", "prices_csv", "variant", "export_price", "export_factor", "demand_charge_per_kw",
                     "price_scale", "currency", "timezone"});
        if (b.tariff) f.fail("declared twice (the first tariff{} is at " + b.tariff->at + ")");
        TariffDecl decl;
        decl.at = c.sandbox->where(L);
        const auto file = f.string("file");
        const auto prices = f.string("prices_csv");
        if (file.has_value() == prices.has_value()) {
            f.fail("give exactly one of 'file' (a tariff JSON) and 'prices_csv' (an hourly price series)");
        }
        decl.price_series = prices.has_value();
        decl.file = existing_file(f, c, file ? "file" : "prices_csv", file ? *file : *prices);
        decl.options.variant = f.string("variant").value_or("");
        decl.options.export_price = f.number("export_price", Range::any);
        decl.options.export_factor = f.number("export_factor", Range::non_negative);
        if (decl.options.export_price && decl.options.export_factor) {
            f.fail("give at most one of 'export_price' and 'export_factor'");
        }
        decl.options.demand_charge_per_kw = f.number("demand_charge_per_kw", Range::non_negative);
        decl.options.price_scale = f.number("price_scale", 1.0, Range::positive);
        decl.options.currency = f.string("currency").value_or("");
        if (auto zone = f.string("timezone")) {  // the zone of the file's local times, when not the site's
            try {
                TimeZone check(*zone);
            } catch (const std::exception& e) {
                f.fail(std::string("timezone: ") + e.what());
            }
            decl.timezone = *zone;
        }
        b.tariff = decl;
        return 0;
    });
}

int dsl_economics(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        LuaFields f(L, 1, "economics",
                    {"charging_price_per_kwh", "v2g_price_factor", "ev_degradation_per_kwh",
                     "ess_degradation_per_kwh"});
        if (b.have_economics) f.fail("declared twice");
        Economics& e = b.spec.economics;
        e.charging_price_per_kwh =
            f.number("charging_price_per_kwh", e.charging_price_per_kwh, Range::non_negative);
        e.v2g_price_factor = f.number("v2g_price_factor", e.v2g_price_factor, Range::non_negative);
        e.ev_degradation_per_kwh =
            f.number("ev_degradation_per_kwh", e.ev_degradation_per_kwh, Range::non_negative);
        e.ess_degradation_per_kwh =
            f.number("ess_degradation_per_kwh", e.ess_degradation_per_kwh, Range::non_negative);
        b.have_economics = true;
        return 0;
    });
}

// ---- reinforcement learning -------------------------------------------------------------------------

int dsl_rl(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        LuaFields f(
            L, 1, "rl",
            {"reward", "window", "satisfaction_bonus", "ess_cycle_cost_per_kwh", "clip_penalty_per_kw",
             "unmet_weight", "unmet_sharpness", "price_scale", "power_scale_kw", "departure_scale", "safety",
             "safety_margin", "site_cap", "ess_value_weight"});
        if (b.spec.rl) f.fail("declared twice");
        RlSpec rl;
        // A name the environment knows (`parse` throws naming the choices); empty when unset.
        auto known_name = [&f](const char* key, auto parse) {
            const std::optional<std::string> name = f.string(key);
            if (!name) return std::string();
            try {
                parse(*name);
            } catch (const std::invalid_argument& e) {
                f.fail(e.what());
            }
            return *name;
        };
        rl.reward = known_name("reward", reward_kind_from_name);
        if (auto window = f.integer("window", 1)) {
            // Each period of the window is three observation entries: keep the vector sane.
            if (*window > 1000)
                f.fail("'window' must be <= 1000 control periods, got " + std::to_string(*window));
            rl.window = static_cast<std::size_t>(*window);
        }
        rl.satisfaction_bonus = f.number("satisfaction_bonus", Range::non_negative);
        rl.ess_cycle_cost_per_kwh = f.number("ess_cycle_cost_per_kwh", Range::non_negative);
        rl.clip_penalty_per_kw = f.number("clip_penalty_per_kw", Range::non_negative);
        rl.unmet_weight = f.number("unmet_weight", Range::non_negative);
        rl.unmet_sharpness = f.number("unmet_sharpness", Range::non_negative);
        rl.ess_value_weight = f.number("ess_value_weight", Range::non_negative);
        rl.price_scale = f.number("price_scale", Range::positive);
        rl.power_scale_kw = f.number("power_scale_kw", Range::positive);
        rl.departure_scale = f.duration("departure_scale");
        if (rl.departure_scale && rl.departure_scale->ms() <= 0) f.fail("'departure_scale' must be positive");
        rl.safety = known_name("safety", safety_layer_from_name);
        rl.safety_margin = f.duration("safety_margin");
        if (rl.safety_margin && (rl.safety_margin->ms() < 0 || *rl.safety_margin > Duration::hours(48)))
            f.fail("'safety_margin' must be between 0 and hours(48)");
        rl.site_cap = f.boolean("site_cap");
        b.spec.rl = rl;
        return 0;
    });
}

// ---- sessions ------------------------------------------------------------------------------------

int dsl_elaadnl(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        LuaFields f(L, 1, "arrivals.elaadnl",
                    {"site_type", "per_weekday", "per_weekend_day", "v2g_fleet", "declared_departure_noise_h",
                     "min_initial_soc", "feasible_requests"});
        ElaadnlDecl decl;
        decl.at = c.sandbox->where(L);
        ElaadnlParams& p = decl.params;
        p.data_dir = (c.data_root / "arrivals").lexically_normal();
        std::error_code ec;
        if (!std::filesystem::is_directory(p.data_dir, ec)) {
            f.fail("no ElaadNL data folder " + p.data_dir.string() +
                   " (the data root is set by --data-dir or EVTWIN_DATA)");
        }
        p.site_type = f.string("site_type").value_or(p.site_type);
        if (p.site_type != "private" && p.site_type != "public" && p.site_type != "workplace") {
            f.fail("'site_type' must be \"private\", \"public\" or \"workplace\", got '" + p.site_type + "'");
        }
        p.arrivals_per_weekday = f.number("per_weekday", p.arrivals_per_weekday, Range::non_negative);
        p.arrivals_per_weekend_day =
            f.number("per_weekend_day", p.arrivals_per_weekend_day, Range::non_negative);
        p.v2g_fleet = f.boolean("v2g_fleet").value_or(false);
        p.declared_departure_noise_h =
            f.number("declared_departure_noise_h", p.declared_departure_noise_h, Range::non_negative);
        p.min_initial_soc = f.number("min_initial_soc", p.min_initial_soc, Range::unit);
        p.feasible_requests = f.boolean("feasible_requests").value_or(true);
        c.builder->elaadnl.push_back(decl);
        return 0;
    });
}

int dsl_acn_json(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        LuaFields f(L, 1, "arrivals.acn_json",
                    {"file", "capacity_kwh", "max_kw", "initial_soc", "user_inputs"});
        AcnDecl decl;
        decl.at = c.sandbox->where(L);
        decl.file = existing_file(f, c, "file", f.required_string("file"));
        decl.options.default_capacity_kwh =
            f.number("capacity_kwh", decl.options.default_capacity_kwh, Range::positive);
        decl.options.default_max_kw = f.number("max_kw", decl.options.default_max_kw, Range::positive);
        decl.options.initial_soc = f.number("initial_soc", decl.options.initial_soc, Range::unit);
        decl.options.use_user_inputs = f.boolean("user_inputs").value_or(decl.options.use_user_inputs);
        c.builder->acn.push_back(decl);
        return 0;
    });
}

int dsl_acn_csv(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        LuaFields f(L, 1, "arrivals.acn_csv",
                    {"file", "capacity_kwh", "max_kw", "initial_soc", "user_inputs"});
        SessionFileDecl decl;
        decl.at = c.sandbox->where(L);
        decl.construct = "arrivals.acn_csv";
        const auto file = existing_file(f, c, "file", f.required_string("file"));
        AcnImportOptions options;
        options.default_capacity_kwh =
            f.number("capacity_kwh", options.default_capacity_kwh, Range::positive);
        options.default_max_kw = f.number("max_kw", options.default_max_kw, Range::positive);
        options.initial_soc = f.number("initial_soc", options.initial_soc, Range::unit);
        options.use_user_inputs = f.boolean("user_inputs").value_or(options.use_user_inputs);
        decl.load = [file, options](Time start, Time end) mutable {
            options.start = start;
            options.end = end;
            return load_acn_csv(file, options);
        };
        c.builder->session_files.push_back(std::move(decl));
        return 0;
    });
}

int dsl_acnsim_events(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        LuaFields f(L, 1, "arrivals.acnsim_events", {"file", "start", "timezone", "period", "max_kw"});
        SessionFileDecl decl;
        decl.at = c.sandbox->where(L);
        decl.construct = "arrivals.acnsim_events";
        const auto file = existing_file(f, c, "file", f.required_string("file"));
        AcnSimOptions options;
        options.start_local = f.string("start").value_or(options.start_local);
        options.timezone = f.string("timezone").value_or(options.timezone);
        try {
            parse_time(options.start_local, TimeZone(options.timezone));
        } catch (const std::exception& e) {
            f.fail(std::string("'start'/'timezone': ") + e.what());
        }
        options.period = f.duration("period").value_or(options.period);
        if (options.period.ms() <= 0) f.fail("'period' must be longer than zero");
        options.default_max_kw = f.number("max_kw", options.default_max_kw, Range::positive);
        decl.load = [file, options](Time start, Time end) mutable {
            options.start = start;
            options.end = end;
            return load_acnsim_events(file, options);
        };
        c.builder->session_files.push_back(std::move(decl));
        return 0;
    });
}

int dsl_norway_csv(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        LuaFields f(L, 1, "arrivals.norway_csv",
                    {"file", "garage", "timezone", "capacity_kwh", "max_kw", "initial_soc", "unknown_stay"});
        SessionFileDecl decl;
        decl.at = c.sandbox->where(L);
        decl.construct = "arrivals.norway_csv";
        const auto file = existing_file(f, c, "file", f.required_string("file"));
        NorwayImportOptions options;
        options.garage = f.string("garage").value_or("");
        options.timezone = f.string("timezone").value_or(options.timezone);
        try {
            TimeZone check(options.timezone);
        } catch (const std::exception& e) {
            f.fail(std::string("'timezone': ") + e.what());
        }
        options.capacity_kwh = f.number("capacity_kwh", options.capacity_kwh, Range::positive);
        options.max_kw = f.number("max_kw", options.max_kw, Range::positive);
        options.initial_soc = f.number("initial_soc", options.initial_soc, Range::unit);
        options.unknown_stay = f.duration("unknown_stay").value_or(options.unknown_stay);
        if (options.unknown_stay.ms() <= 0) f.fail("'unknown_stay' must be longer than zero");
        decl.load = [file, options](Time start, Time end) mutable {
            options.start = start;
            options.end = end;
            return load_norway_csv(file, options);
        };
        c.builder->session_files.push_back(std::move(decl));
        return 0;
    });
}

int dsl_session(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        LuaFields f(L, 1, "session",
                    {"arrival",
                     "departure",
                     "declared_departure",
                     "capacity_kwh",
                     "initial_soc",
                     "requested_kwh",
                     "target_soc",
                     "max_ac_kw",
                     "max_dc_kw",
                     "curve",
                     "charge_efficiency",
                     "discharge_efficiency",
                     "v2g",
                     "max_discharge_kw",
                     "min_soc",
                     "station",
                     "model",
                     "vehicle",
                     "model_year",
                     "soh",
                     "chemistry"});
        SessionDecl decl;
        decl.at = c.sandbox->where(L);
        decl.arrival = f.required_string("arrival");
        decl.departure = f.required_string("departure");
        decl.declared_departure = f.string("declared_departure").value_or("");
        SessionSpec& s = decl.session;
        VehicleSpec& v = s.vehicle;
        v.capacity_kwh = f.number("capacity_kwh", v.capacity_kwh, Range::positive);
        s.initial_soc = f.number("initial_soc", s.initial_soc, Range::unit);
        const auto requested = f.number("requested_kwh", Range::non_negative);
        const auto target = f.number("target_soc", Range::unit);
        if (requested.has_value() == target.has_value()) {
            f.fail("give exactly one of 'requested_kwh' (energy at the inlet) and 'target_soc'");
        }
        s.requested_kwh = requested.value_or(-1.0);
        s.target_soc = target.value_or(-1.0);
        v.max_ac_kw = f.number("max_ac_kw", v.max_ac_kw, Range::non_negative);
        v.max_dc_kw = f.number("max_dc_kw", v.max_dc_kw, Range::non_negative);
        if (auto curve = f.pairs("curve")) {
            if (curve->empty()) f.fail("'curve' must have at least one {soc, fraction} point");
            for (std::size_t i = 0; i < curve->size(); ++i) {
                const auto [soc, fraction] = (*curve)[i];
                if (soc < 0 || soc > 1 || fraction < 0 || fraction > 1) {
                    f.fail("'curve' point " + std::to_string(i + 1) +
                           " must have soc and fraction between 0 and 1");
                }
                if (i > 0 && soc <= (*curve)[i - 1].first) f.fail("'curve' SoC values must increase");
                v.curve.push_back({soc, fraction});
            }
        }
        v.charge_efficiency = f.number("charge_efficiency", v.charge_efficiency, Range::efficiency);
        v.discharge_efficiency = f.number("discharge_efficiency", v.discharge_efficiency, Range::efficiency);
        v.v2g_allowed = f.boolean("v2g").value_or(false);
        const auto discharge = f.number("max_discharge_kw", Range::non_negative);
        v.max_discharge_kw = discharge.value_or(v.v2g_allowed ? v.max_ac_kw : 0.0);
        v.min_soc = f.number("min_soc", v.min_soc, Range::unit);
        s.station = f.string("station").value_or("");
        v.model = f.string("model").value_or("");
        s.vehicle_id = f.string("vehicle").value_or("");
        if (auto year = f.integer("model_year", 1990)) {
            if (*year > 2100)
                f.fail("'model_year' must be between 1990 and 2100, got " + std::to_string(*year));
            v.model_year = static_cast<int>(*year);
        }
        if (auto soh = f.number("soh", Range::unit)) {
            if (*soh <= 0.0) f.fail("'soh' (state of health) must be above 0 and at most 1");
            v.soh = *soh;
        }
        if (auto chemistry = f.string("chemistry")) {
            try {
                v.chemistry = parse_chemistry(*chemistry);
            } catch (const std::invalid_argument& e) {
                f.fail(std::string("'chemistry': ") + e.what());
            }
            decl.chemistry_given = true;
        }
        c.builder->sessions.push_back(decl);
        return 0;
    });
}

// ---- helpers: param, data ------------------------------------------------------------------------

bool parse_bool(const std::string& text, bool& out) {
    for (const char* yes : {"true", "1", "yes", "on"}) {
        if (text == yes) return out = true, true;
    }
    for (const char* no : {"false", "0", "no", "off"}) {
        if (text == no) return out = false, true;
    }
    return false;
}

int dsl_param(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        if (lua_type(L, 1) != LUA_TSTRING) {
            throw std::runtime_error(
                "param: expects a name and a default, e.g. param(\"transformer_kw\", 150), got " +
                describe_value(L, 1));
        }
        const std::string name = lua_tostring(L, 1);
        const int type = lua_type(L, 2);
        if (type != LUA_TNONE && type != LUA_TNIL && type != LUA_TNUMBER && type != LUA_TSTRING &&
            type != LUA_TBOOLEAN) {
            throw std::runtime_error("param '" + name +
                                     "': the default must be a number, string or boolean, got " +
                                     describe_value(L, 2));
        }
        c.params_read.insert(name);
        auto it = c.params->find(name);
        if (it == c.params->end()) {
            if (type == LUA_TNONE || type == LUA_TNIL) {
                throw std::runtime_error("param '" + name +
                                         "' has no default; give it on the command line: -D " + name +
                                         "=value");
            }
            lua_pushvalue(L, 2);
            return 1;
        }
        const std::string& text = it->second;
        const std::string given = "-D " + name + "=" + text;
        if (type == LUA_TNUMBER) {
            lua_Integer integer = 0;
            const char* end = text.data() + text.size();
            auto [ptr, ec] = std::from_chars(text.data(), end, integer);
            if (ec == std::errc() && ptr == end) {
                lua_pushinteger(L, integer);
                return 1;
            }
            char* stop = nullptr;
            errno = 0;
            const double x = std::strtod(text.c_str(), &stop);
            if (text.empty() || stop != text.c_str() + text.size() || errno != 0 || !std::isfinite(x)) {
                throw std::runtime_error("param '" + name + "': " + given +
                                         " is not a number (the default is " + describe_value(L, 2) + ")");
            }
            lua_pushnumber(L, x);
        } else if (type == LUA_TBOOLEAN) {
            bool value = false;
            if (!parse_bool(text, value)) {
                throw std::runtime_error("param '" + name + "': " + given +
                                         " is not a boolean (true/false, 1/0, yes/no)");
            }
            lua_pushboolean(L, value);
        } else {
            lua_pushstring(L, text.c_str());
        }
        return 1;
    });
}

int dsl_data(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        if (lua_type(L, 1) != LUA_TSTRING) {
            throw std::runtime_error(
                "data: expects a path under the data folder, e.g. data(\"prices/nl_day_ahead_2016.csv\"), "
                "got " +
                describe_value(L, 1));
        }
        const std::filesystem::path relative(lua_tostring(L, 1));
        if (relative.empty() || relative.is_absolute()) {
            throw std::runtime_error("data: expects a path relative to the data folder, got '" +
                                     relative.string() + "'");
        }
        const auto path = (c.data_root / relative).lexically_normal();
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            throw std::runtime_error("data: no file '" + relative.string() + "' in the data folder " +
                                     c.data_root.string() + " (set it with --data-dir or EVTWIN_DATA)");
        }
        lua_pushstring(L, path.string().c_str());
        return 1;
    });
}

void set_closure(lua_State* L, DslContext& c, lua_CFunction fn, const char* name, int table = 0) {
    lua_pushlightuserdata(L, &c);
    lua_pushcclosure(L, fn, 1);
    if (table == 0) {
        lua_setglobal(L, name);
    } else {
        lua_setfield(L, table, name);
    }
}

}  // namespace

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
                                                               {"battery", dsl_battery},
                                                               {"forecast", dsl_forecast}};
    for (const auto& [name, fn] : functions) set_closure(L, c, fn, name);
    lua_newtable(L);
    const int arrivals = lua_gettop(L);
    set_closure(L, c, dsl_elaadnl, "elaadnl", arrivals);
    set_closure(L, c, dsl_acn_json, "acn_json", arrivals);
    set_closure(L, c, dsl_acn_csv, "acn_csv", arrivals);
    set_closure(L, c, dsl_acnsim_events, "acnsim_events", arrivals);
    set_closure(L, c, dsl_norway_csv, "norway_csv", arrivals);
    lua_setglobal(L, "arrivals");
}

}  // namespace evtwin
