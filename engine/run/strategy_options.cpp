#include "run/strategy_options.hpp"

#include "core/host_strategies.hpp"

#include <algorithm>
#include <filesystem>

namespace evtwin {

std::string strategy_key(const std::string& strategy) {
    const bool path = strategy.find('/') != std::string::npos || strategy.ends_with(".so");
    if (!path) return strategy;
    std::string stem = std::filesystem::path(strategy).stem().string();
    return stem.starts_with("libevtwin_") ? stem.substr(10) : stem;
}

StrategyOptions merged_strategy_options(const ScenarioSpec& spec, const std::string& strategy,
                                        const std::map<std::string, std::string>& overrides) {
    StrategyOptions options = spec.strategy_options;
    const std::string key = strategy_key(strategy);
    if (const auto own = spec.strategy_options_by_name.find(key); own != spec.strategy_options_by_name.end())
        for (const auto& [k, v] : own->second) options[k] = v;
    for (const auto& [k, v] : overrides) options[k] = v;
    for (const NestedStrategyOption& nested : nested_strategy_options(key)) {
        const auto given = options.find(nested.option);
        const std::string name = given != options.end() ? strategy_key(given->second) : nested.fallback;
        const auto table = spec.strategy_options_by_name.find(name);
        if (table == spec.strategy_options_by_name.end()) continue;
        for (const auto& [k, v] : table->second) options.try_emplace(nested.option + "." + k, v);
    }
    return options;
}

StrategyOptions scoped_strategy_options(const StrategyOptions& options, const std::string& strategy,
                                        const std::vector<std::string>& run_strategies) {
    auto scope_of = [&](const std::string& key) -> std::string {
        const std::size_t dot = key.find('.');
        if (dot == std::string::npos) return {};
        std::string scope = key.substr(0, dot);
        return std::find(run_strategies.begin(), run_strategies.end(), scope) != run_strategies.end() ? scope
                                                                                                      : "";
    };
    StrategyOptions out;
    for (const auto& [key, value] : options)
        if (scope_of(key).empty()) out[key] = value;
    // After the unscoped keys, so "edf.k=2" overrides "k=1" for edf.
    for (const auto& [key, value] : options)
        if (scope_of(key) == strategy && !strategy.empty()) out[key.substr(strategy.size() + 1)] = value;
    return out;
}

std::string joined_options(const StrategyOptions& options) {
    std::string out;
    for (const auto& [key, value] : options) out += (out.empty() ? "" : ";") + key + "=" + value;
    return out;
}

}  // namespace evtwin
