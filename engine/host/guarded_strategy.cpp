#include "host/guarded_strategy.hpp"

#include <evtwin/options.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace evtwin {

namespace {

constexpr const char* kDefaultBaseline = "edf";

std::string money(double v) {
    char text[48];
    std::snprintf(text, sizeof text, "%.2f", v);
    return text;
}

void reset(Decision& d, std::size_t connectors, std::size_t batteries) {
    d.connector_kw.assign(connectors, 0.0);
    d.ess_kw.assign(batteries, 0.0);
    d.expected_cost = std::numeric_limits<double>::quiet_NaN();
    d.events.clear();
    d.pv_limit_kw = std::numeric_limits<double>::infinity();
}

StrategyHandle load_part(const std::string& role, const std::string& name, const StrategyOptions& options) {
    try {
        return load_strategy(name, options);
    } catch (const PluginError& e) {
        throw StrategyError(role + " '" + name + "': " + e.what());
    }
}

}  // namespace

GuardedStrategy::GuardedStrategy(const StrategyOptions& options) {
    StrategyOptions inner_options, baseline_options;
    for (const auto& [key, value] : options) {
        if (key.starts_with("inner.") && key.size() > 6) {
            inner_options[key.substr(6)] = value;
        } else if (key.starts_with("baseline.") && key.size() > 9) {
            baseline_options[key.substr(9)] = value;
        } else if (key != "inner" && key != "baseline" && key != "margin" && key != "unmet_penalty" &&
                   key != "horizon_h") {
            throw StrategyError("unknown option '" + key +
                                "'; known options: inner, baseline, margin, unmet_penalty, horizon_h, "
                                "inner.<option>, baseline.<option>");
        }
    }
    const auto inner = options.find("inner");
    if (inner == options.end() || inner->second.empty())
        throw StrategyError("option 'inner' is required: the strategy to guard, e.g. --opt inner=mpc");
    inner_name_ = inner->second;
    const auto baseline = options.find("baseline");
    baseline_name_ = baseline == options.end() ? kDefaultBaseline : baseline->second;
    if (baseline_name_.empty()) throw StrategyError("option 'baseline' names no strategy");
    margin_ = number_option(options, "margin", 0.0, 0.0, kLargestNumber);
    // Unmet energy at the price given, else at the inner's (both costs then price it alike), else by
    // the MILP planners' rule (RolloutOptions).
    const char* penalty = options.count("unmet_penalty") ? "unmet_penalty" : "inner.unmet_penalty";
    if (options.count(penalty))
        rollout_options_.unmet_penalty_per_kwh = number_option(options, penalty, 10.0, 0.0, kLargestNumber);
    const double horizon_h = number_option(options, "horizon_h", 48.0, 0.0, kMostHours);
    rollout_options_.max_horizon = Duration(static_cast<std::int64_t>(horizon_h * 3'600'000.0));

    inner_ = load_part("inner", inner_name_, inner_options);
    baseline_ = load_part("baseline", baseline_name_, baseline_options);
    rollout_ = load_part("baseline", baseline_name_, baseline_options);  // sees only the roll-outs
}

Foresight GuardedStrategy::foresight() const {
    return {std::max(inner_->foresight().horizon, baseline_->foresight().horizon)};
}

void GuardedStrategy::decide(const Observation& obs, Decision& out) {
    reset(inner_out_, out.connector_kw.size(), obs.ess.size());
    reset(baseline_out_, out.connector_kw.size(), obs.ess.size());
    inner_->decide(obs, inner_out_);
    baseline_->decide(obs, baseline_out_);
    for (auto& e : inner_out_.events) out.events.push_back(std::move(e));

    const double inner_cost = inner_out_.expected_cost;
    Following follow = Following::inner;
    double baseline_cost = std::numeric_limits<double>::quiet_NaN();
    if (std::isnan(inner_cost)) {
        if (!told_no_cost_)
            out.events.push_back({"guard", "inner " + inner_name_ + " gives no expected cost: following it"});
        told_no_cost_ = true;
    } else {
        baseline_cost = std::isnan(baseline_out_.expected_cost)
                            ? rollout_cost(obs, *rollout_, rollout_options_).total
                            : baseline_out_.expected_cost;
        // Within a millionth the two are the same cost: the solver's tolerance, not a worse plan.
        const double tie = 1e-6 * std::max(1.0, std::abs(baseline_cost));
        if (inner_cost > baseline_cost + margin_ + tie) follow = Following::baseline;
    }

    if (follow != following_) {
        const std::string margin = margin_ > 0.0 ? " + margin " + money(margin_) : "";
        if (follow == Following::baseline)
            out.events.push_back({"guard", "followed " + baseline_name_ + " (inner " + money(inner_cost) +
                                               " > baseline " + money(baseline_cost) + margin + ")"});
        else if (std::isnan(inner_cost))
            out.events.push_back({"guard", "followed " + inner_name_ + " again (it gives no expected cost)"});
        else
            out.events.push_back({"guard", "followed " + inner_name_ + " again (inner " + money(inner_cost) +
                                               " <= baseline " + money(baseline_cost) + margin + ")"});
        following_ = follow;
    }

    Decision& chosen = follow == Following::baseline ? baseline_out_ : inner_out_;
    if (follow == Following::baseline) {
        for (auto& e : baseline_out_.events) out.events.push_back(std::move(e));
        chosen.expected_cost = baseline_cost;
    }
    out.connector_kw.swap(chosen.connector_kw);
    out.ess_kw = chosen.ess_kw;
    out.expected_cost = chosen.expected_cost;
    out.pv_limit_kw = chosen.pv_limit_kw;
}

EVTWIN_DESCRIPTOR_FOR(GuardedStrategy, "guarded", "1.0.0")

const evtwin_plugin_descriptor* guarded_descriptor() {
    return &evtwin_descriptor_GuardedStrategy;
}

const std::vector<NestedStrategyOption>& guarded_nested_strategy_options() {
    static const std::vector<NestedStrategyOption> nested = {{"inner", ""}, {"baseline", kDefaultBaseline}};
    return nested;
}

}  // namespace evtwin
