// What hangs from the site tree besides chargers: PV (pv), non-EV load (load) and stationary
// batteries (ess).
#include "scenario/dsl_support.hpp"
#include "scenario/lua_sandbox.hpp"

namespace evtwin {

namespace {

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

}  // namespace

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
        LuaFields f(L, 1, "ess",
                    {"name", "parent", "capacity_kwh", "max_charge_kw", "max_discharge_kw",
                     "charge_efficiency", "discharge_efficiency", "soc_min", "soc_max", "soc_initial", "soh",
                     "end_value_per_kwh", "end_soc", "grid_charge", "grid_discharge", "priority"});
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
        ess.soh = f.number("soh", ess.soh, Range::unit);
        if (ess.soh <= 0.0) f.fail("'soh' (state of health) must be above 0 and at most 1");
        ess.end_value_per_kwh = f.number("end_value_per_kwh", 0.0, Range::non_negative);
        ess.end_soc = f.number("end_soc", Range::unit);
        if (ess.end_soc && (*ess.end_soc < ess.soc_min || *ess.end_soc > ess.soc_max))
            f.fail("'end_soc' must be within 'soc_min' and 'soc_max'");
        ess.grid_charge = f.boolean("grid_charge").value_or(true);
        ess.grid_discharge = f.boolean("grid_discharge").value_or(true);
        const std::int64_t priority = f.integer("priority", 0).value_or(0);
        if (priority > kMaxEssPriority)
            f.fail("'priority' must be a whole number from 0 to " + std::to_string(kMaxEssPriority));
        ess.priority = static_cast<int>(priority);
        b.claim_name("ess", ess.name, "ess");
        b.spec.ess.push_back(ess);
        return push_handle(L, ess.name, "ess");
    });
}

}  // namespace evtwin
