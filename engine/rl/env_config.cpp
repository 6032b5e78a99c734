#include <evtwin/rl/env.hpp>

#include "scenario/scenario_impl.hpp"

#include <evtwin/options.hpp>

#include <stdexcept>

namespace evtwin {
namespace {

using Options = std::map<std::string, std::string>;

// The environment's keys of `options`: env_config_with reads them and takes them out.
constexpr const char* kEnvKeys[] = {"reward",
                                    "safety",
                                    "safety_margin_h",
                                    "site_cap",
                                    "cap_below_peak",
                                    "bill_clock",
                                    "ev_demand",
                                    "window",
                                    "satisfaction_bonus",
                                    "ess_cycle_cost_per_kwh",
                                    "clip_penalty_per_kw",
                                    "unmet_weight",
                                    "unmet_sharpness",
                                    "ess_value_weight",
                                    "price_scale",
                                    "power_scale_kw",
                                    "voltage_penalty_per_pu_h"};

// A name a parser knows; its error gets the option's name in front.
template <class T>
void read_name(const Options& options, const char* key, T (*parse)(const std::string&), T& into) {
    const auto it = options.find(key);
    if (it == options.end()) return;
    try {
        into = parse(it->second);
    } catch (const std::invalid_argument& e) {
        throw OptionError(std::string("option ") + key + ": " + e.what());
    }
}

// A number from 0, or within +-1e15 where it may be negative: the ranges of the scenario's rl{} block.
double weight(const Options& options, const char* key, double fallback, bool may_be_negative = false) {
    return number_option(options, key, fallback, may_be_negative ? -kLargestNumber : 0.0, kLargestNumber);
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
    base.voltage_penalty_per_pu_h = rl.voltage_penalty_per_pu_h.value_or(base.voltage_penalty_per_pu_h);
    return base;
}

EnvConfig env_config_with(EnvConfig c, Options& options) {
    read_name(options, "reward", reward_kind_from_name, c.reward);
    read_name(options, "safety", safety_layer_from_name, c.safety);
    if (options.count("safety_margin_h"))
        c.safety_margin = Duration(static_cast<std::int64_t>(
            number_option(options, "safety_margin_h", 0.0, 0.0, 48.0) * 3'600'000.0));
    c.site_cap = flag_option(options, "site_cap", c.site_cap);
    c.cap_below_peak = flag_option(options, "cap_below_peak", c.cap_below_peak);
    c.bill_clock = flag_option(options, "bill_clock", c.bill_clock);
    c.ev_demand = flag_option(options, "ev_demand", c.ev_demand);
    c.window = static_cast<std::size_t>(
        whole_option(options, "window", static_cast<std::int64_t>(c.window), 1, 1000));
    c.satisfaction_bonus = weight(options, "satisfaction_bonus", c.satisfaction_bonus);
    c.ess_cycle_cost_per_kwh = weight(options, "ess_cycle_cost_per_kwh", c.ess_cycle_cost_per_kwh,
                                      true);  // < 0: the scenario's economics
    c.clip_penalty_per_kw = weight(options, "clip_penalty_per_kw", c.clip_penalty_per_kw);
    c.unmet_weight = weight(options, "unmet_weight", c.unmet_weight);
    c.unmet_sharpness = weight(options, "unmet_sharpness", c.unmet_sharpness);
    c.ess_value_weight = weight(options, "ess_value_weight", c.ess_value_weight);
    c.price_scale = weight(options, "price_scale", c.price_scale);  // 0: derived from the scenario
    c.power_scale_kw = weight(options, "power_scale_kw", c.power_scale_kw);
    c.voltage_penalty_per_pu_h = weight(options, "voltage_penalty_per_pu_h", c.voltage_penalty_per_pu_h);
    for (const char* key : kEnvKeys) options.erase(key);
    return c;
}

}  // namespace evtwin
