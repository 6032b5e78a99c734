// Money: the grid tariff (tariff) and what is not on the grid bill (economics).
#include "scenario/dsl_support.hpp"
#include "scenario/lua_sandbox.hpp"

#include <stdexcept>

namespace evtwin {

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

}  // namespace evtwin
