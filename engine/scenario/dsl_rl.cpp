// rl { ... }: the reinforcement-learning environment's settings for this scenario (docs/rl.md).
#include <evtwin/rl/env.hpp>  // reward_kind_from_name, safety_layer_from_name: the names rl{} accepts

#include "scenario/dsl_support.hpp"
#include "scenario/lua_sandbox.hpp"

#include <stdexcept>

namespace evtwin {

int dsl_rl(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        ScenarioBuilder& b = *c.builder;
        LuaFields f(
            L, 1, "rl",
            {"reward", "window", "satisfaction_bonus", "ess_cycle_cost_per_kwh", "clip_penalty_per_kw",
             "unmet_weight", "unmet_sharpness", "price_scale", "power_scale_kw", "departure_scale", "safety",
             "safety_margin", "site_cap", "ess_value_weight", "voltage_penalty_per_pu_h"});
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
        rl.voltage_penalty_per_pu_h = f.number("voltage_penalty_per_pu_h", Range::non_negative);
        b.spec.rl = rl;
        return 0;
    });
}

}  // namespace evtwin
