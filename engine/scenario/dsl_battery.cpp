// battery { ... }: ambient temperature, chemistries, battery values and the fleet (docs/battery.md).
#include "scenario/dsl_support.hpp"
#include "scenario/lua_sandbox.hpp"

#include <stdexcept>

namespace evtwin {

namespace {

Chemistry chemistry_field(const LuaFields& f, const char* key, Chemistry fallback) {
    const auto name = f.string(key);
    if (!name) return fallback;
    try {
        return parse_chemistry(*name);
    } catch (const std::invalid_argument& e) {
        f.fail(std::string("'") + key + "': " + e.what());
    }
}

}  // namespace

int dsl_battery(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        LuaFields f(
            L, 1, "battery",
            {"ambient_c", "ambient_csv", "ambient_column", "ev_chemistry", "ess_chemistry", "ev_cost_per_kwh",
             "ess_cost_per_kwh", "end_of_life_soh", "model_years", "fleet_vehicles"});
        if (b.battery) f.fail("declared twice (the first battery{} is at " + b.battery->at + ")");
        BatteryDecl decl;
        decl.at = c.sandbox->where(L);
        BatterySpec& spec = b.spec.battery;
        const auto constant = f.number("ambient_c", Range::any);
        const auto csv = f.string("ambient_csv");
        if (constant && csv)
            f.fail("give at most one of 'ambient_c' (a constant) and 'ambient_csv' (a profile)");
        if (constant) {
            if (*constant < -40.0 || *constant > 80.0) f.fail("'ambient_c' must be between -40 and 80 °C");
            spec.ambient_c = StepSeries{{}, {}, *constant};
        }
        if (csv) {
            ProfileDecl ambient;
            ambient.at = decl.at;
            ambient.name = "ambient";
            ambient.file = existing_file(f, c, "ambient_csv", *csv);
            ambient.column = f.string("ambient_column").value_or("");
            decl.ambient = ambient;
        } else if (f.has("ambient_column")) {
            f.fail("'ambient_column' needs 'ambient_csv'");
        }
        if (f.has("ev_chemistry")) decl.ev_chemistry = chemistry_field(f, "ev_chemistry", Chemistry::nmc);
        spec.ess_chemistry = chemistry_field(f, "ess_chemistry", spec.ess_chemistry);
        spec.ev_cost_per_kwh = f.number("ev_cost_per_kwh", spec.ev_cost_per_kwh, Range::non_negative);
        spec.ess_cost_per_kwh = f.number("ess_cost_per_kwh", spec.ess_cost_per_kwh, Range::non_negative);
        spec.end_of_life_soh = f.number("end_of_life_soh", spec.end_of_life_soh, Range::unit);
        if (spec.end_of_life_soh >= 1.0) f.fail("'end_of_life_soh' must be below 1");
        if (auto years = f.numbers("model_years")) {
            if (years->size() != 2 || (*years)[0] > (*years)[1] || (*years)[0] < 1990 || (*years)[1] > 2100 ||
                (*years)[0] != static_cast<int>((*years)[0]) ||
                (*years)[1] != static_cast<int>((*years)[1])) {
                f.fail("'model_years' must be {first, last}, two years between 1990 and 2100, first <= last");
            }
            spec.model_year_min = static_cast<int>((*years)[0]);
            spec.model_year_max = static_cast<int>((*years)[1]);
        }
        if (auto vehicles = f.integer("fleet_vehicles", 1)) {
            if (*vehicles > 1'000'000) f.fail("'fleet_vehicles' must be at most 1000000");
            spec.fleet = FleetSpec{static_cast<std::size_t>(*vehicles)};
        }
        b.battery = decl;
        return 0;
    });
}

}  // namespace evtwin
