#include <evtwin/util/args.hpp>
#include "cli/commands.hpp"
#include <evtwin/util/progress.hpp>
#include "cli/run_one.hpp"
#include "kpi/kpi_table.hpp"

#include <cstdio>
#include <filesystem>

namespace evtwin::cli {

namespace {

constexpr const char* kHelp = R"(usage: evtwin run SCENARIO.lua [options]

Simulates the scenario under a strategy, prints its KPIs and writes the run into a results database.

options:
  --strategy NAME|PATH.so   strategy by name (searched like `evtwin plugins`) or a plugin file;
                            default: the scenario's `strategy`
  --opt KEY=VALUE           strategy option (repeatable); overrides the scenario's strategy_options;
                            STRATEGY.KEY=VALUE applies to that strategy only
  --seed N                  seed of the random streams (arrivals, ...); default: the scenario's
  -D KEY=VALUE              scenario parameter read by param() (repeatable)
  --db PATH                 results database (created, or the run is added); default: SCENARIO.db
  --data-dir DIR            root of data() paths; default: $EVTWIN_DATA, else ../shared/data
  --quiet                   print no KPI table

Ctrl-C stops the run at the next instant; what was written stays, and the run is marked interrupted.
exit codes: 0 ok, 1 failure, 2 usage, 3 bad scenario or data, 4 plugin refused or failed, 130 interrupted
)";

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
    if (auto seed = args.value("--seed")) load.seed = parse_seed(*seed, "--seed");
    load.params = args.pairs("-D");
    if (auto data = args.value("--data-dir")) load.data_dir = *data;
    const ScenarioSpec spec = load_scenario_or_fail(scenario_file, load);

    RunOneRequest request;
    request.verb = "run";
    request.scenario_file = scenario_file;
    request.spec = &spec;
    const std::string strategy_name = args.value("--strategy").value_or(spec.strategy);
    request.options = merged_strategy_options(
        spec, strategy_name, scoped_strategy_options(args.pairs("--opt"), strategy_name, {strategy_name}));
    StrategyHandle strategy = load_strategy_or_fail("run", strategy_name, request.options);

    const std::filesystem::path db = args.value("--db").value_or(scenario_file.stem().string() + ".db");
    SqliteRunWriter writer(db);
    const TimeZone zone(spec.timezone);
    ProgressBar bar("evtwin run " + spec.name);
    const double span_ms = static_cast<double>((spec.end - spec.start).ms());
    request.progress = [&](Time now) {
        bar.update(static_cast<double>((now - spec.start).ms()) / span_ms, local_minutes(now, zone));
    };
    RunOneResult result;
    {
        SigintScope sigint;
        result = run_one(request, strategy, writer);
    }
    bar.finish();
    const RunSummary& summary = result.summary;
    const std::vector<Kpi>& kpis = result.kpis;
    const std::string& name = result.strategy_name;
    const std::string& version = result.strategy_version;
    const RunId run_id = result.run_id;
    const double wall_s = result.wall_s;

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
