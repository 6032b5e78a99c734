#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "core/plugin_loader.hpp"
#include "core/simulator.hpp"
#include "core/version.hpp"
#include "data/data_error.hpp"
#include "kpi/kpi_table.hpp"
#include "kpi/kpis.hpp"
#include "model/local_time.hpp"
#include "model/site.hpp"
#include "record/run_reader.hpp"
#include "record/sqlite_run_writer.hpp"
#include "scenario/scenario_loader.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace evtwin::cli {

namespace {

constexpr const char* kHelp = R"(usage: evtwin run SCENARIO.lua [options]

Simulates the scenario under a strategy, prints its KPIs and writes the run into a results database.

options:
  --strategy NAME|PATH.so   strategy by name (searched like `evtwin plugins`) or a plugin file;
                            default: the scenario's `strategy`
  --opt KEY=VALUE           strategy option (repeatable); overrides the scenario's strategy_options
  --seed N                  seed of the random streams (arrivals, ...); default: the scenario's
  -D KEY=VALUE              scenario parameter read by param() (repeatable)
  --db PATH                 results database (created, or the run is added); default: SCENARIO.db
  --data-dir DIR            root of data() paths; default: $EVTWIN_DATA, else ../shared/data
  --quiet                   print no KPI table

Ctrl-C stops the run at the next instant; what was written stays, and the run is marked interrupted.
exit codes: 0 ok, 1 failure, 2 usage, 3 bad scenario or data, 4 plugin refused or failed, 130 interrupted
)";

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) {
    g_interrupted.store(true);
    std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
}

std::string joined_options(const StrategyOptions& options) {
    std::string out;
    for (const auto& [key, value] : options) out += (out.empty() ? "" : ";") + key + "=" + value;
    return out;
}

// "2024-07-01 00:00" in the site's zone: what the scenario's author wrote.
std::string local_minutes(Time t, const TimeZone& zone) {
    const LocalDateTime l = zone.to_local(t);
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d", l.year, l.month, l.day, l.hour, l.minute);
    return text;
}

std::uint64_t parse_seed(const std::string& text) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long seed = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || text[0] == '-')
        throw UsageError("--seed expects a non-negative integer, got '" + text + "'");
    return seed;
}

}  // namespace

int run_command(const std::vector<std::string>& argv) {
    const Args args = parse_args(argv, ArgSpec{{"--strategy", "--seed", "--db", "--data-dir"}, {"--quiet", "--help", "-h"}, {"--opt", "-D"}});
    if (args.flag("--help") || args.flag("-h")) {
        std::fputs(kHelp, stdout);
        return kOk;
    }
    if (args.positionals.size() != 1) throw UsageError("expects one scenario file");
    const std::filesystem::path scenario_file = args.positionals[0];

    ScenarioLoadOptions load;
    if (auto seed = args.value("--seed")) load.seed = parse_seed(*seed);
    load.params = args.pairs("-D");
    if (auto data = args.value("--data-dir")) load.data_dir = *data;

    ScenarioSpec spec;
    try {
        spec = load_scenario(scenario_file, load);
    } catch (const ScenarioError& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return kBadInput;
    } catch (const DataError& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return kBadInput;
    }

    StrategyOptions options = spec.strategy_options;
    for (const auto& [key, value] : args.pairs("--opt")) options[key] = value;
    const std::string strategy_name = args.value("--strategy").value_or(spec.strategy);
    StrategyHandle strategy;
    try {
        strategy = load_strategy(strategy_name, options);
    } catch (const PluginError& e) {
        std::fprintf(stderr, "evtwin run: %s\n", e.what());
        return kPluginRefused;
    }

    const std::string name(strategy.name()), version(strategy.version());
    std::filesystem::path db = args.value("--db").value_or(scenario_file.stem().string() + ".db");
    SqliteRunWriter writer(db);
    std::unique_ptr<Simulator> simulator;
    try {
        simulator = std::make_unique<Simulator>(spec, *strategy, writer);
    } catch (const SiteError& e) {
        std::fprintf(stderr, "%s: %s\n", scenario_file.c_str(), e.what());
        return kBadInput;
    }

    RunInfo info;
    info.scenario_name = spec.name;
    info.scenario_file = scenario_file.string();
    info.strategy_name = name;
    info.strategy_version = version;
    info.strategy_options = joined_options(options);
    info.seed = spec.seed;
    info.engine_version = engine_version();

    const TimeZone zone(spec.timezone);
    ProgressBar bar("evtwin run " + spec.name);
    SimulationOptions sim_options;
    sim_options.interrupt = &g_interrupted;
    const double span_ms = static_cast<double>((spec.end - spec.start).ms());
    sim_options.progress = [&](Time now) {
        bar.update(static_cast<double>((now - spec.start).ms()) / span_ms, local_minutes(now, zone));
    };
    std::signal(SIGINT, on_sigint);
    const auto wall_start = std::chrono::steady_clock::now();
    RunSummary summary;
    try {
        summary = simulator->run(info, sim_options);
    } catch (const std::exception& e) {
        bar.finish();
        std::fprintf(stderr, "evtwin run: strategy '%s' failed: %s\n", name.c_str(), e.what());
        return kPluginRefused;
    }
    std::signal(SIGINT, SIG_DFL);
    bar.finish();
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

    const RunId run_id = writer.run_id();
    const std::vector<Kpi> kpis = compute_kpis(RunReader(db), run_id, *spec.tariff, spec.economics);
    store_kpis(db, run_id, kpis);

    if (!args.flag("--quiet")) {
        std::printf("%s | strategy %s %s | seed %llu | %s .. %s %s\n", spec.name.c_str(), name.c_str(),
                    version.c_str(), static_cast<unsigned long long>(spec.seed), local_minutes(spec.start, zone).c_str(),
                    local_minutes(spec.end, zone).c_str(), spec.timezone.c_str());
        std::fputs(format_kpi_table(kpis).c_str(), stdout);
    }
    std::printf("%s: run %lld in %s (%llu events, %llu decisions, %.2f s)\n",
                summary.interrupted ? "interrupted" : "done", static_cast<long long>(run_id), db.c_str(),
                static_cast<unsigned long long>(summary.events), static_cast<unsigned long long>(summary.decisions), wall_s);
    return summary.interrupted ? kInterrupted : kOk;
}

}  // namespace evtwin::cli
