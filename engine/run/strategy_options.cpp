#include "run/strategy_options.hpp"

#include "host/host_strategies.hpp"
#include "host/plugin_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

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

void check_option_scopes(const StrategyOptions& options, const std::vector<std::string>& run_strategies) {
    auto is_strategy = [](const std::string& name) {
        if (find_host_strategy(name) || static_plugin(name)) return true;
        const std::string file = plugin_file_name(name, PluginKind::strategy);
        for (const std::filesystem::path& dir : plugin_search_path())
            if (std::error_code ec; std::filesystem::exists(dir / file, ec)) return true;
        return false;
    };
    for (const auto& [key, value] : options) {
        const std::size_t dot = key.find('.');
        if (dot == std::string::npos || dot == 0) continue;
        const std::string scope = key.substr(0, dot);
        if (std::find(run_strategies.begin(), run_strategies.end(), scope) != run_strategies.end() ||
            !is_strategy(scope))
            continue;
        std::string listed;
        for (const std::string& s : run_strategies) listed += (listed.empty() ? "" : ", ") + s;
        throw std::invalid_argument("--opt " + key + ": " + scope +
                                    " is not among the strategies run here (" + listed + ")");
    }
}

std::string joined_options(const StrategyOptions& options) {
    std::string out;
    for (const auto& [key, value] : options) out += (out.empty() ? "" : ";") + key + "=" + value;
    return out;
}

}  // namespace evtwin
