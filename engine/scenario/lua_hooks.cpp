#include "scenario/lua_hooks.hpp"

#include "data/number_range.hpp"
#include "scenario/lua_duration.hpp"
#include "scenario/lua_fields.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace evtwin {
namespace {

const char* const kEventKinds[] = {"arrival", "departure", "rejected", "fault", "repair"};

DslContext& hook_context(lua_State* L, const char* what) {
    DslContext& c = *static_cast<DslContext*>(lua_touserdata(L, lua_upvalueindex(1)));
    if (c.running)
        throw std::runtime_error(std::string(what) +
                                 ": hooks are registered while the scenario loads, not inside a hook");
    return c;
}

int function_ref(lua_State* L, int index) {
    lua_pushvalue(L, index);
    return luaL_ref(L, LUA_REGISTRYINDEX);
}

// at("2024-07-02T14:00", function(site) ... end)
int dsl_at(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = hook_context(L, "at");
        if (lua_type(L, 1) != LUA_TSTRING || lua_type(L, 2) != LUA_TFUNCTION || lua_gettop(L) > 2) {
            throw std::runtime_error(
                "at: expects a time and a function, e.g. at(\"2024-07-02T14:00\", function(site) ... end), "
                "got " +
                describe_value(L, 1) + " and " + describe_value(L, 2));
        }
        c.timers.push_back(
            DslContext::TimerDecl{c.sandbox->where(L), lua_tostring(L, 1), Duration{}, function_ref(L, 2)});
        return 0;
    });
}

// every(hours(1), function(site) ... end [, { first = "2024-07-01T08:00" }])
int dsl_every(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = hook_context(L, "every");
        const auto period = to_duration(L, 1);
        if (!period || lua_type(L, 2) != LUA_TFUNCTION || lua_gettop(L) > 3) {
            throw std::runtime_error(
                "every: expects a duration and a function, e.g. every(hours(1), function(site) ... end), "
                "got " +
                describe_value(L, 1) + " and " + describe_value(L, 2));
        }
        if (period->ms() <= 0) throw std::runtime_error("every: the period must be longer than zero");
        std::string first;
        if (!lua_isnoneornil(L, 3)) {
            LuaFields f(L, 3, "every", {"first"});
            first = f.required_string("first");
        }
        c.timers.push_back(DslContext::TimerDecl{c.sandbox->where(L), first, *period, function_ref(L, 2)});
        return 0;
    });
}

// on("arrival", function(site, event) ... end)
int dsl_on(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = hook_context(L, "on");
        std::string kinds;
        for (const char* k : kEventKinds) kinds += (kinds.empty() ? "" : ", ") + std::string(k);
        if (lua_type(L, 1) != LUA_TSTRING || lua_type(L, 2) != LUA_TFUNCTION || lua_gettop(L) > 2) {
            throw std::runtime_error("on: expects an event name (" + kinds +
                                     ") and a function, e.g. on(\"arrival\", function(site, event) ... end)");
        }
        const std::string kind = lua_tostring(L, 1);
        bool known = false;
        for (const char* k : kEventKinds) known |= kind == k;
        if (!known) throw std::runtime_error("on: unknown event '" + kind + "'; the events are: " + kinds);
        c.ons.push_back(DslContext::OnDecl{kind, function_ref(L, 2)});
        return 0;
    });
}

// "2024-07-02T14:00:00+02:00": local time with the site's offset, as a user would write it.
std::string local_iso(Time t, const TimeZone& zone) {
    const LocalDateTime l = zone.to_local(t);
    const std::int64_t offset_min = zone.utc_offset(t).ms() / 60000;
    const std::int64_t a = offset_min < 0 ? -offset_min : offset_min;
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", l.year, l.month, l.day,
                  l.hour, l.minute, l.second, offset_min < 0 ? '-' : '+', static_cast<int>(a / 60),
                  static_cast<int>(a % 60));
    return text;
}

// One run's script: a fresh sandbox, its hooks, and the `site` object handed to them.
class LuaHookRun final : public ScriptRun {
public:
    LuaHookRun(const std::filesystem::path& file, const ScenarioLoadOptions& options) {
        try {
            loaded_ = run_scenario_script(file, options);
            const ScenarioBuilder& b = *loaded_.builder;
            if (!b.zone)
                throw ScenarioError(loaded_.sandbox->end_of_file() +
                                    "the scenario is incomplete: missing scenario{}");
            zone_.emplace(*b.zone);
            timers_ = resolve_timers(*loaded_.context, *zone_, b.spec.start, b.spec.end);
        } catch (const ScenarioError& e) {
            throw ScriptError(e.what());
        }
        loaded_.context->running = true;
        for (const auto& on : loaded_.context->ons) {
            for (std::size_t k = 0; k < std::size(kEventKinds); ++k)
                if (on.kind == kEventKinds[k]) wanted_[k] = true;
        }
        push_site_object();
    }

    const std::vector<HookTimer>& timers() const override { return timers_; }

    void on_timer(std::size_t timer, SiteControl& site) override {
        lua_State* L = state();
        lua_rawgeti(L, LUA_REGISTRYINDEX, loaded_.context->timers.at(timer).function);
        lua_rawgeti(L, LUA_REGISTRYINDEX, site_ref_);
        call(site, 1);
    }

    bool wants(HookEventKind kind) const override { return wanted_[static_cast<std::size_t>(kind)]; }

    void on_event(const HookEvent& event, SiteControl& site) override {
        lua_State* L = state();
        const char* kind = to_string(event.kind);
        for (const auto& on : loaded_.context->ons) {
            if (on.kind != kind) continue;
            lua_rawgeti(L, LUA_REGISTRYINDEX, on.function);
            lua_rawgeti(L, LUA_REGISTRYINDEX, site_ref_);
            push_event(event);
            call(site, 2);
        }
    }

private:
    lua_State* state() const { return loaded_.sandbox->state(); }

    void call(SiteControl& site, int nargs) {
        current_ = &site;
        try {
            loaded_.sandbox->call(nargs);
        } catch (const ScenarioError& e) {
            current_ = nullptr;
            throw ScriptError(e.what());
        }
        current_ = nullptr;
    }

    void push_event(const HookEvent& e) {
        lua_State* L = state();
        lua_createtable(L, 0, 6);
        lua_pushstring(L, to_string(e.kind));
        lua_setfield(L, -2, "kind");
        lua_pushstring(L, local_iso(e.time, *zone_).c_str());
        lua_setfield(L, -2, "time");
        if (e.session) {
            lua_pushinteger(L, static_cast<lua_Integer>(*e.session));
            lua_setfield(L, -2, "session");
            lua_pushnumber(L, e.requested_kwh);
            lua_setfield(L, -2, "requested_kwh");
        }
        if (!e.charger.empty()) {
            lua_pushstring(L, e.charger.c_str());
            lua_setfield(L, -2, "charger");
        }
        if (e.kind == HookEventKind::departure) {
            lua_pushnumber(L, e.delivered_kwh);
            lua_setfield(L, -2, "delivered_kwh");
        }
    }

    // The run behind a site function, checked to be inside a hook call; removes a leading `site`
    // argument so that site:fault("CP01") works like site.fault("CP01").
    static LuaHookRun& run_of(lua_State* L, const char* what) {
        auto& run = *static_cast<LuaHookRun*>(lua_touserdata(L, lua_upvalueindex(1)));
        if (run.current_ == nullptr) {
            throw std::runtime_error(std::string(what) +
                                     ": the site object works only during the hook call that received it");
        }
        if (lua_gettop(L) >= 1 && lua_rawequal(L, 1, lua_upvalueindex(2))) lua_remove(L, 1);
        return run;
    }

    // A name given as a string or as the handle a constructor returned ({ name = ... }).
    static std::string name_arg(lua_State* L, int index, const char* what, const char* thing) {
        if (lua_type(L, index) == LUA_TSTRING) return lua_tostring(L, index);
        if (lua_type(L, index) == LUA_TTABLE && lua_getfield(L, index, "name") == LUA_TSTRING) {
            std::string name = lua_tostring(L, -1);
            lua_pop(L, 1);
            return name;
        }
        throw std::runtime_error(std::string(what) + ": expects a " + thing + "'s name, got " +
                                 describe_value(L, index));
    }

    // A limit in kW: a number within +-1e15, or math.huge for none.
    static double number_arg(lua_State* L, int index, const char* what, const char* name) {
        const bool unlimited = lua_type(L, index) == LUA_TNUMBER && lua_tonumber(L, index) == HUGE_VAL;
        if (lua_type(L, index) != LUA_TNUMBER || !(unlimited || in_number_range(lua_tonumber(L, index)))) {
            throw std::runtime_error(std::string(what) + ": '" + name +
                                     "' must be a number (kW) within +-1e15 or math.huge, got " +
                                     describe_value(L, index));
        }
        return lua_tonumber(L, index);
    }

    static int site_now(lua_State* L) {
        return lua_guarded(L, [L] {
            LuaHookRun& run = run_of(L, "site.now");
            lua_pushstring(L, local_iso(run.current_->now(), *run.zone_).c_str());
            return 1;
        });
    }

    static int site_fault(lua_State* L) {
        return lua_guarded(L, [L] {
            LuaHookRun& run = run_of(L, "site.fault");
            run.current_->fault(name_arg(L, 1, "site.fault", "charger"));
            return 0;
        });
    }

    static int site_repair(lua_State* L) {
        return lua_guarded(L, [L] {
            LuaHookRun& run = run_of(L, "site.repair");
            run.current_->repair(name_arg(L, 1, "site.repair", "charger"));
            return 0;
        });
    }

    static int site_set_limit(lua_State* L) {
        return lua_guarded(L, [L] {
            LuaHookRun& run = run_of(L, "site.set_limit");
            const std::string node = name_arg(L, 1, "site.set_limit", "node");
            const double import_kw = number_arg(L, 2, "site.set_limit", "import_kw");
            std::optional<double> export_kw;
            if (!lua_isnoneornil(L, 3)) export_kw = number_arg(L, 3, "site.set_limit", "export_kw");
            run.current_->set_limit(node, import_kw, export_kw);
            return 0;
        });
    }

    static int site_restore_limit(lua_State* L) {
        return lua_guarded(L, [L] {
            LuaHookRun& run = run_of(L, "site.restore_limit");
            run.current_->restore_limit(name_arg(L, 1, "site.restore_limit", "node"));
            return 0;
        });
    }

    static int site_demand_response(lua_State* L) {
        return lua_guarded(L, [L] {
            LuaHookRun& run = run_of(L, "site.demand_response");
            LuaFields f(L, 1, "site.demand_response", {"node", "limit_kw", "duration"});
            if (f.push("node") == LUA_TNIL) f.fail("missing required key 'node'");
            const std::string node = name_arg(L, -1, "site.demand_response", "node");
            lua_pop(L, 1);
            const double limit = f.required_number("limit_kw", Range::non_negative);
            const auto duration = f.duration("duration");
            if (!duration) f.fail("missing required key 'duration' (e.g. hours(2))");
            run.current_->demand_response(node, limit, *duration);
            return 0;
        });
    }

    static int site_price_spike(lua_State* L) {
        return lua_guarded(L, [L] {
            LuaHookRun& run = run_of(L, "site.price_spike");
            LuaFields f(L, 1, "site.price_spike", {"factor", "price", "duration"});
            const auto factor = f.number("factor", Range::non_negative);
            const auto price = f.number("price", Range::any);
            if (factor.has_value() == price.has_value()) {
                f.fail(
                    "give exactly one of 'factor' (multiplies the import price) and 'price' (replaces it)");
            }
            const auto duration = f.duration("duration");
            if (!duration) f.fail("missing required key 'duration' (e.g. hours(1))");
            run.current_->price_spike(factor.value_or(1.0), price, *duration);
            return 0;
        });
    }

    static int site_log(lua_State* L) {
        return lua_guarded(L, [L] {
            LuaHookRun& run = run_of(L, "site.log");
            if (lua_type(L, 1) != LUA_TSTRING && lua_type(L, 1) != LUA_TNUMBER) {
                throw std::runtime_error("site.log: expects a text, got " + describe_value(L, 1));
            }
            lua_pushvalue(L, 1);
            run.current_->log(lua_tostring(L, -1));
            lua_pop(L, 1);
            return 0;
        });
    }

    static int site_unknown(lua_State* L) {
        return lua_guarded(L, [L]() -> int {
            std::string key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : describe_value(L, 2);
            throw std::runtime_error(
                "site has no '" + key +
                "'; it has: now, fault, repair, set_limit, restore_limit, demand_response, "
                "price_spike, log");
        });
    }

    static int site_read_only(lua_State* L) {
        return lua_guarded(
            L, []() -> int { throw std::runtime_error("site: the site object cannot be changed"); });
    }

    // The `site` table: its functions see this run and the table itself (to accept site:fn()).
    // Its fields live in a proxy's metatable, so unknown names and assignments are errors.
    void push_site_object() {
        lua_State* L = state();
        lua_newtable(L);  // the proxy handed to hooks
        const int site = lua_gettop(L);
        lua_newtable(L);  // its metatable
        lua_newtable(L);  // the functions: __index
        const std::pair<const char*, lua_CFunction> functions[] = {{"now", site_now},
                                                                   {"fault", site_fault},
                                                                   {"repair", site_repair},
                                                                   {"set_limit", site_set_limit},
                                                                   {"restore_limit", site_restore_limit},
                                                                   {"demand_response", site_demand_response},
                                                                   {"price_spike", site_price_spike},
                                                                   {"log", site_log}};
        for (const auto& [name, fn] : functions) {
            lua_pushlightuserdata(L, this);
            lua_pushvalue(L, site);
            lua_pushcclosure(L, fn, 2);
            lua_setfield(L, -2, name);
        }
        lua_newtable(L);  // the functions' own metatable: unknown names are errors
        lua_pushcfunction(L, site_unknown);
        lua_setfield(L, -2, "__index");
        lua_setmetatable(L, -2);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, site_read_only);
        lua_setfield(L, -2, "__newindex");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_setmetatable(L, site);
        site_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
    }

    LoadedScript loaded_;
    std::optional<TimeZone> zone_;
    std::vector<HookTimer> timers_;
    bool wanted_[std::size(kEventKinds)] = {};
    int site_ref_ = LUA_NOREF;
    SiteControl* current_ = nullptr;  // set during a hook call
};

}  // namespace

void register_hooks(lua_State* L, DslContext& context) {
    set_closure(L, context, dsl_at, "at");
    set_closure(L, context, dsl_every, "every");
    set_closure(L, context, dsl_on, "on");
}

std::vector<HookTimer> resolve_timers(const DslContext& context, const TimeZone& zone, Time start, Time end) {
    std::vector<HookTimer> timers;
    for (const auto& decl : context.timers) {
        const char* what = decl.period.ms() > 0 ? "every" : "at";
        HookTimer timer;
        timer.period = decl.period;
        if (decl.time.empty()) {
            timer.first = start + decl.period;
        } else {
            try {
                timer.first = parse_time(decl.time, zone);
            } catch (const std::exception& e) {
                throw ScenarioError(decl.at + what + ": " + e.what());
            }
            if (timer.first < start || timer.first >= end) {
                throw ScenarioError(decl.at + what + ": " + decl.time + " is outside the scenario period (" +
                                    format_utc(start) + " to " + format_utc(end) + ")");
            }
        }
        timers.push_back(timer);
    }
    return timers;
}

LuaScenarioScript::LuaScenarioScript(std::filesystem::path file, ScenarioLoadOptions options)
    : file_(std::move(file)), options_(std::move(options)) {}

std::unique_ptr<ScriptRun> LuaScenarioScript::start_run() const {
    return std::make_unique<LuaHookRun>(file_, options_);
}

}  // namespace evtwin
