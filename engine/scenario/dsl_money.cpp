// Money: the grid tariff (tariff) and what is not on the grid bill (economics).
#include "ocpi/format/read.hpp"
#include "ocpi/format/write.hpp"
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

namespace {

// The tariff drivers pay, from an OCPI tariff file: the one named `id`, or the file's only tariff.
ocpi::Tariff charging_tariff(const LuaFields& f, const std::filesystem::path& file,
                             const std::optional<std::string>& id) {
    std::vector<ocpi::Tariff> tariffs;
    try {
        tariffs = ocpi::read_tariffs(file);
    } catch (const std::exception& e) {
        f.fail(std::string("charging_tariff: ") + e.what());
    }
    if (!id && tariffs.size() != 1)
        f.fail("charging_tariff: " + file.string() + " holds " + std::to_string(tariffs.size()) +
               " tariffs; name one with charging_tariff_id");
    for (const ocpi::Tariff& t : tariffs)
        if (!id || t.id == *id) return t;
    std::string ids;
    for (const ocpi::Tariff& t : tariffs) ids += (ids.empty() ? "'" : ", '") + t.id + "'";
    f.fail("charging_tariff_id: " + file.string() + " has no tariff '" + *id + "' (it has " + ids + ")");
}

}  // namespace

int dsl_economics(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        LuaFields f(L, 1, "economics",
                    {"charging_price_per_kwh", "v2g_price_factor", "ev_degradation_per_kwh",
                     "ess_degradation_per_kwh", "pv_curtailment_cost_per_kwh", "charging_tariff",
                     "charging_tariff_id"});
        if (b.have_economics) f.fail("declared twice");
        Economics& e = b.spec.economics;
        e.charging_price_per_kwh =
            f.number("charging_price_per_kwh", e.charging_price_per_kwh, Range::non_negative);
        e.v2g_price_factor = f.number("v2g_price_factor", e.v2g_price_factor, Range::non_negative);
        e.ev_degradation_per_kwh =
            f.number("ev_degradation_per_kwh", e.ev_degradation_per_kwh, Range::non_negative);
        e.ess_degradation_per_kwh =
            f.number("ess_degradation_per_kwh", e.ess_degradation_per_kwh, Range::non_negative);
        e.pv_curtailment_cost_per_kwh =
            f.number("pv_curtailment_cost_per_kwh", e.pv_curtailment_cost_per_kwh, Range::non_negative);
        if (const auto file = f.string("charging_tariff")) {
            const ocpi::Tariff tariff = charging_tariff(f, existing_file(f, c, "charging_tariff", *file),
                                                        f.string("charging_tariff_id"));
            e.charging_tariff = ocpi::to_json(tariff).dump();
            b.charging_tariff_at = c.sandbox->where(L);
            b.charging_tariff_currency = tariff.currency;
        } else if (f.string("charging_tariff_id")) {
            f.fail("charging_tariff_id: names a tariff of 'charging_tariff', which is not given");
        }
        b.have_economics = true;
        return 0;
    });
}

}  // namespace evtwin
