#include "cli/commands.hpp"
#include "cli/run_one.hpp"
#include "kpi/kpi_table.hpp"
#include "run/strategy_options.hpp"
#include "scenario/scenario_impl.hpp"

#include <evtwin/util/args.hpp>
#include <evtwin/util/progress.hpp>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace evtwin::cli {

namespace {

constexpr const char* kRunHelp = R"(usage: evtwin run SCENARIO.lua [options]

Simulates the scenario under a strategy, prints its KPIs and writes the run into a results database.

options:
  --strategy NAME|PATH.so   strategy by name (searched like `evtwin plugins`) or a plugin file;
                            default: the scenario's `strategy`
  --opt KEY=VALUE           strategy option (repeatable); overrides the scenario's strategy_options;
                            STRATEGY.KEY=VALUE applies to that strategy only (another strategy's
                            name is refused)
  --seed N                  seed of the random streams (arrivals, ...); default: the scenario's
  -D KEY=VALUE              scenario parameter read by param() (repeatable)
  --forecast TARGET=NAME[:ARG]  the forecaster of pv, load or demand (repeatable), over the
                            scenario's forecast{}: perfect, noisy[:0.2], persistence, seasonal_naive,
                            lstm:MODEL.pt, tft:MODEL.pt, or a plugin path (docs/forecasting.md)
  --db PATH                 results database (created, or the run is added); default: SCENARIO.db
  --data-dir DIR            root of data() paths; default: $EVTWIN_DATA, else ../shared/data
  --observation-log FILE    one JSON line per decision: its instant, the whole Observation the
                            strategy received and the Decision it answered
                            (docs/strategy-sdk.md)
  --quiet                   print no KPI table

Ctrl-C stops the run at the next instant; what was written stays, and the run is marked interrupted.
exit codes: 0 ok, 1 failure, 2 usage, 3 bad scenario or data, 4 plugin refused or failed, 130 interrupted
)";

}  // namespace

int run_command(const std::vector<std::string>& argv) {
    const Args args =
        parse_args(argv, ArgSpec{{"--strategy", "--seed", "--db", "--data-dir", "--observation-log"},
                                 {"--quiet", "--help", "-h"},
                                 {"--opt", "-D", "--forecast"}});
    if (args.flag("--help") || args.flag("-h")) {
        std::fputs(kRunHelp, stdout);
        return kOk;
    }
    if (args.positionals.size() != 1) throw UsageError("expects one scenario file");
    const std::filesystem::path scenario_file = args.positionals[0];

    ScenarioOptions load;
    if (auto seed = args.value("--seed")) load.seed = parse_seed(*seed, "--seed");
    load.params = args.pairs("-D");
    load.forecast = args.pairs("--forecast");
    if (auto data = args.value("--data-dir")) load.data_dir = *data;
    RunOptions run;
    run.db = args.value("--db").value_or(scenario_file.stem().string() + ".db");
    EarlyResults results(run);
    const Scenario scenario = load_scenario_or_fail(scenario_file, load);
    const ScenarioSpec& spec = scenario.impl().loaded;

    run.strategy = args.value("--strategy").value_or(spec.strategy);
    try {
        check_option_scopes(args.pairs("--opt"), {run.strategy});
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    run.options = scoped_strategy_options(args.pairs("--opt"), run.strategy, {run.strategy});
    const TimeZone zone(spec.timezone);
    ProgressBar bar("evtwin run " + spec.name);
    const double span_ms = static_cast<double>((spec.end - spec.start).ms());
    run.progress = [&](Time now) {
        bar.update(static_cast<double>((now - spec.start).ms()) / span_ms, local_minutes(now, zone));
    };
    run.interrupt = SigintScope::flag();
    RunOutcome result;
    {
        SigintScope sigint;
        result = run_or_fail("run", scenario, run, results.writer(),
                             args.value("--observation-log").value_or(std::string()));
    }
    bar.finish();

    if (!args.flag("--quiet")) {
        std::printf("%s | strategy %s %s | seed %llu | %s .. %s %s\n", spec.name.c_str(),
                    result.strategy_name.c_str(), result.strategy_version.c_str(),
                    static_cast<unsigned long long>(spec.seed), local_minutes(spec.start, zone).c_str(),
                    local_minutes(spec.end, zone).c_str(), spec.timezone.c_str());
        std::fputs(format_kpi_table(result.kpis).c_str(), stdout);
    }
    std::printf("%s: run %lld in %s (%llu events, %llu decisions, %.2f s)\n",
                result.interrupted ? "interrupted" : "done", static_cast<long long>(result.run_id),
                run.db.c_str(), static_cast<unsigned long long>(result.events),
                static_cast<unsigned long long>(result.decisions), result.wall_s);
    return result.interrupted ? kInterrupted : kOk;
}

}  // namespace evtwin::cli
