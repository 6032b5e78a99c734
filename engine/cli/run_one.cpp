#include "cli/run_one.hpp"

#include <evtwin/util/args.hpp>
#include "cli/commands.hpp"
#include "core/version.hpp"
#include <evtwin/errors.hpp>
#include "kpi/kpis.hpp"
#include "model/site.hpp"
#include "record/run_reader.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <algorithm>

namespace evtwin::cli {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) {
    g_interrupted.store(true);
    std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
}

}  // namespace

ScenarioSpec load_scenario_or_fail(const std::filesystem::path& file, const ScenarioLoadOptions& options) {
    try {
        return load_scenario(file, options);
    } catch (const ScenarioError& e) {
        throw CommandFailure(kBadInput, e.what());
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, e.what());
    }
}

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
    if (key == "guarded")
        for (const std::string role : {"inner", "baseline"}) {
            const auto part = options.find(role);
            const std::string name = part != options.end() ? strategy_key(part->second) : role == "baseline" ? "edf" : "";
            const auto table = spec.strategy_options_by_name.find(name);
            if (table == spec.strategy_options_by_name.end()) continue;
            for (const auto& [k, v] : table->second) options.try_emplace(role + "." + k, v);
        }
    return options;
}

StrategyOptions scoped_strategy_options(const StrategyOptions& options, const std::string& strategy,
                                        const std::vector<std::string>& run_strategies) {
    auto scope_of = [&](const std::string& key) -> std::string {
        const std::size_t dot = key.find('.');
        if (dot == std::string::npos) return {};
        std::string scope = key.substr(0, dot);
        return std::find(run_strategies.begin(), run_strategies.end(), scope) != run_strategies.end() ? scope : "";
    };
    StrategyOptions out;
    for (const auto& [key, value] : options)
        if (scope_of(key).empty()) out[key] = value;
    // After the unscoped keys, so "edf.k=2" overrides "k=1" for edf.
    for (const auto& [key, value] : options)
        if (scope_of(key) == strategy && !strategy.empty()) out[key.substr(strategy.size() + 1)] = value;
    return out;
}

StrategyHandle load_strategy_or_fail(const std::string& verb, const std::string& strategy,
                                     const StrategyOptions& options) {
    try {
        return load_strategy(strategy, options);
    } catch (const PluginError& e) {
        throw CommandFailure(kPluginRefused, "evtwin " + verb + ": " + e.what());
    }
}

std::uint64_t parse_seed(const std::string& text, const std::string& option) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long seed = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || text[0] == '-')
        throw UsageError(option + " expects a non-negative integer, got '" + text + "'");
    return seed;
}

std::string joined_options(const StrategyOptions& options) {
    std::string out;
    for (const auto& [key, value] : options) out += (out.empty() ? "" : ";") + key + "=" + value;
    return out;
}

std::string local_minutes(Time t, const TimeZone& zone) {
    const LocalDateTime l = zone.to_local(t);
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d", l.year, l.month, l.day, l.hour, l.minute);
    return text;
}

SigintScope::SigintScope() { std::signal(SIGINT, on_sigint); }
SigintScope::~SigintScope() { std::signal(SIGINT, SIG_DFL); }
bool SigintScope::interrupted() { return g_interrupted.load(); }

RunOneResult run_one(const RunOneRequest& request, StrategyHandle& strategy, SqliteRunWriter& writer) {
    const ScenarioSpec& spec = *request.spec;
    RunOneResult result;
    result.strategy_name = std::string(strategy.name());
    result.strategy_version = std::string(strategy.version());

    std::unique_ptr<Simulator> simulator;
    try {
        simulator = std::make_unique<Simulator>(spec, *strategy, writer);
    } catch (const SiteError& e) {
        throw CommandFailure(kBadInput, request.scenario_file.string() + ": " + e.what());
    }

    RunInfo info;
    info.scenario_name = spec.name;
    info.scenario_file = request.scenario_file.string();
    info.strategy_name = result.strategy_name;
    info.strategy_version = result.strategy_version;
    info.strategy_options = joined_options(request.options);
    info.seed = spec.seed;
    info.engine_version = engine_version();

    SimulationOptions sim_options;
    sim_options.interrupt = &g_interrupted;
    sim_options.progress = request.progress;
    const auto wall_start = std::chrono::steady_clock::now();
    try {
        result.summary = simulator->run(info, sim_options);
    } catch (const ScriptError& e) {  // a scenario hook failed: the scenario is at fault, not the strategy
        throw CommandFailure(kBadInput, e.what());
    } catch (const std::exception& e) {
        throw CommandFailure(kPluginRefused,
                             "evtwin " + request.verb + ": strategy '" + result.strategy_name + "' failed: " + e.what());
    }
    result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

    result.run_id = writer.run_id();
    result.kpis = compute_kpis(RunReader(writer.file()), result.run_id, *spec.tariff, spec.economics);
    store_kpis(writer.file(), result.run_id, result.kpis);
    return result;
}

}  // namespace evtwin::cli
