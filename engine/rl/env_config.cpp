#include <evtwin/rl/env.hpp>

#include "data/number_range.hpp"
#include "scenario/scenario_impl.hpp"

#include <cmath>
#include <stdexcept>

namespace evtwin {
namespace {

using Options = std::map<std::string, std::string>;

double number_of(const std::string& key, const std::string& text) {
    try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument("option " + key + "=" + text + ": expected a number");
}

// Takes `key` out of `options` when present and hands its value to `set`.
template <class Set>
void take(Options& options, const char* key, Set&& set) {
    const auto it = options.find(key);
    if (it == options.end()) return;
    set(it->second);
    options.erase(it);
}

// A number within +-1e15 (from 0 when `non_negative`): the ranges of the scenario's rl{} block.
void take_number(Options& options, const char* key, double& into, bool non_negative) {
    take(options, key, [&](const std::string& text) {
        const double v = number_of(key, text);
        if (!in_number_range(v) || (non_negative && v < 0.0))
            throw std::invalid_argument(std::string("option ") + key + ": expected a number " +
                                        (non_negative ? "from 0 to 1e15" : "within +-1e15") + ", got '" +
                                        text + "'");
        into = v;
    });
}

// A name a parser knows; its error gets the option's name in front.
template <class T>
void take_name(Options& options, const char* key, T (*parse)(const std::string&), T& into) {
    take(options, key, [&](const std::string& text) {
        try {
            into = parse(text);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(std::string("option ") + key + ": " + e.what());
        }
    });
}

void take_flag(Options& options, const char* key, bool& into) {
    take(options, key, [&](const std::string& text) {
        if (text != "true" && text != "false" && text != "1" && text != "0")
            throw std::invalid_argument(std::string("option ") + key + ": expected true or false, got '" +
                                        text + "'");
        into = text == "true" || text == "1";
    });
}

}  // namespace

RewardKind reward_kind_from_name(const std::string& name) {
    if (name == "cost") return RewardKind::cost;
    if (name == "v2g_profit") return RewardKind::v2g_profit;
    if (name == "peak") return RewardKind::peak;
    throw std::invalid_argument("reward '" + name + "': expected one of cost, v2g_profit, peak");
}

const char* reward_kind_name(RewardKind r) {
    switch (r) {
        case RewardKind::cost:
            return "cost";
        case RewardKind::v2g_profit:
            return "v2g_profit";
        case RewardKind::peak:
            return "peak";
    }
    return "?";
}

EnvConfig env_config_of(const Scenario& scenario, EnvConfig base) {
    const std::optional<RlSpec>& block = scenario.impl().loaded.rl;
    if (!block) return base;
    const RlSpec& rl = *block;
    if (!rl.reward.empty()) base.reward = reward_kind_from_name(rl.reward);
    base.window = rl.window.value_or(base.window);
    base.satisfaction_bonus = rl.satisfaction_bonus.value_or(base.satisfaction_bonus);
    base.ess_cycle_cost_per_kwh = rl.ess_cycle_cost_per_kwh.value_or(base.ess_cycle_cost_per_kwh);
    base.clip_penalty_per_kw = rl.clip_penalty_per_kw.value_or(base.clip_penalty_per_kw);
    base.unmet_weight = rl.unmet_weight.value_or(base.unmet_weight);
    base.unmet_sharpness = rl.unmet_sharpness.value_or(base.unmet_sharpness);
    base.ess_value_weight = rl.ess_value_weight.value_or(base.ess_value_weight);
    base.price_scale = rl.price_scale.value_or(base.price_scale);
    base.power_scale_kw = rl.power_scale_kw.value_or(base.power_scale_kw);
    base.departure_scale = rl.departure_scale.value_or(base.departure_scale);
    if (!rl.safety.empty()) base.safety = safety_layer_from_name(rl.safety);
    base.safety_margin = rl.safety_margin.value_or(base.safety_margin);
    base.site_cap = rl.site_cap.value_or(base.site_cap);
    return base;
}

EnvConfig env_config_with(EnvConfig c, Options& options) {
    take_name(options, "reward", reward_kind_from_name, c.reward);
    take_name(options, "safety", safety_layer_from_name, c.safety);
    take(options, "safety_margin_h", [&](const std::string& text) {
        const double h = number_of("safety_margin_h", text);
        if (!(h >= 0.0 && h <= 48.0))
            throw std::invalid_argument("option safety_margin_h: expected hours in [0, 48]");
        c.safety_margin = Duration(static_cast<std::int64_t>(h * 3'600'000.0));
    });
    take_flag(options, "site_cap", c.site_cap);
    take_flag(options, "cap_below_peak", c.cap_below_peak);
    take_flag(options, "bill_clock", c.bill_clock);
    take_flag(options, "ev_demand", c.ev_demand);
    take(options, "window", [&](const std::string& text) {
        const double window = number_of("window", text);
        if (!(window >= 1 && window <= 1000) || window != std::floor(window))
            throw std::invalid_argument("option window: expected 1 to 1000 control periods, got '" + text +
                                        "'");
        c.window = static_cast<std::size_t>(window);
    });
    take_number(options, "satisfaction_bonus", c.satisfaction_bonus, true);
    take_number(options, "ess_cycle_cost_per_kwh", c.ess_cycle_cost_per_kwh,
                false);  // < 0: the scenario's economics
    take_number(options, "clip_penalty_per_kw", c.clip_penalty_per_kw, true);
    take_number(options, "unmet_weight", c.unmet_weight, true);
    take_number(options, "unmet_sharpness", c.unmet_sharpness, true);
    take_number(options, "ess_value_weight", c.ess_value_weight, true);
    take_number(options, "price_scale", c.price_scale, true);  // 0: derived from the scenario
    take_number(options, "power_scale_kw", c.power_scale_kw, true);
    return c;
}

}  // namespace evtwin
