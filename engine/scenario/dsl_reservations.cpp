// reservations { ... }: drivers who reserve a connector before they come (docs/scenario-dsl.md).
#include "scenario/dsl_support.hpp"
#include "scenario/lua_duration.hpp"
#include "scenario/lua_sandbox.hpp"

namespace evtwin {

namespace {

// lead = minutes(30), or lead = { minutes(10), hours(1) } (drawn uniformly in between).
void read_lead(lua_State* L, const LuaFields& f, ReservationsDecl& d) {
    if (f.push("lead") == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    PopOnExit pop{L};
    if (const auto one = to_duration(L, -1)) {
        d.lead_min = d.lead_max = *one;
    } else if (lua_istable(L, -1) && lua_rawlen(L, -1) == 2) {
        lua_rawgeti(L, -1, 1);
        const auto lo = to_duration(L, -1);
        lua_pop(L, 1);
        lua_rawgeti(L, -1, 2);
        const auto hi = to_duration(L, -1);
        lua_pop(L, 1);
        if (!lo || !hi) f.fail_type("lead", "a duration or a pair { minutes(10), hours(1) }");
        d.lead_min = *lo;
        d.lead_max = *hi;
    } else {
        f.fail_type("lead", "a duration or a pair { minutes(10), hours(1) }");
    }
    if (d.lead_min.ms() < 0) f.fail("'lead' must not be negative");
    if (d.lead_max < d.lead_min) f.fail("'lead': the first duration must not exceed the second");
}

// list = { { id_tag = "car-17", station = "CP1", from = "...", to = "..." }, ... }
void read_list(lua_State* L, const LuaFields& f, const std::string& at, ReservationsDecl& d) {
    if (f.push("list") == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    PopOnExit pop{L};
    if (!lua_istable(L, -1)) f.fail_type("list", "a list of { id_tag = ..., from = ..., to = ... }");
    const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, -1));
    for (lua_Integer k = 1; k <= n; ++k) {
        lua_rawgeti(L, -1, k);
        PopOnExit pop_entry{L};
        std::string name = "reservations: list[";
        name.append(std::to_string(k)).append("]");
        if (!lua_istable(L, -1)) {
            std::string message = "'list' entry ";
            message.append(std::to_string(k))
                .append(" must be a table { id_tag = ..., from = ..., to = ... }, got ")
                .append(describe_value(L, -1));
            f.fail(message);
        }
        LuaFields e(L, lua_gettop(L), name, {"id_tag", "station", "from", "to"});
        ReservationListed r;
        r.at = at;
        r.id_tag = e.required_string("id_tag");
        if (r.id_tag.empty() || r.id_tag.size() > 36) e.fail("'id_tag' must be 1-36 characters");
        r.station = e.string("station").value_or("");
        r.from = e.required_string("from");
        r.to = e.required_string("to");
        d.listed.push_back(std::move(r));
    }
}

// suggested = { predictor = "frequency", min_probability = 0.5, margin = hours(1), history = days(90) }
void read_suggested(lua_State* L, const LuaFields& f, const DslContext& c, ReservationsDecl& d) {
    if (f.push("suggested") == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    PopOnExit pop{L};
    if (!lua_istable(L, -1)) f.fail_type("suggested", "a table { predictor = ..., min_probability = ... }");
    LuaFields s(L, lua_gettop(L), "reservations: suggested",
                {"predictor", "min_probability", "margin", "history"});
    ReservationsDecl::Suggested out;
    out.predictor = s.string("predictor").value_or("frequency");
    if (out.predictor != "frequency" && out.predictor != "last_week")
        out.predictor = existing_file(s, c, "predictor", out.predictor).string();
    out.min_probability = s.number("min_probability", out.min_probability, Range::unit);
    if (const auto margin = s.duration("margin")) {
        if (margin->ms() < 0) s.fail("'margin' must not be negative");
        out.margin = *margin;
    }
    if (const auto history = s.duration("history")) {
        if (history->ms() < 0) s.fail("'history' must not be negative");
        out.history = *history;
    }
    d.suggested = std::move(out);
}

}  // namespace

int dsl_reservations(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        LuaFields f(L, 1, "reservations", {"share", "lead", "hold", "no_show", "list", "suggested"});
        if (b.reservations) f.fail("declared twice");
        ReservationsDecl d;
        d.at = c.sandbox->where(L);
        d.share = f.number("share", 0.0, Range::unit);
        d.no_show = f.number("no_show", 0.0, Range::unit);
        d.lead_min = d.lead_max = Duration::minutes(30);
        read_lead(L, f, d);
        if (const auto hold = f.duration("hold")) {
            if (hold->ms() <= 0) f.fail("'hold' must be positive");
            d.hold = *hold;
        }
        read_list(L, f, d.at, d);
        read_suggested(L, f, c, d);
        if (d.share == 0.0 && d.listed.empty() && !d.suggested)
            f.fail("give 'share' (above 0), a 'list' of reservations or 'suggested'");
        b.reservations = std::move(d);
        return 0;
    });
}

}  // namespace evtwin
