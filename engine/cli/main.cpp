// evtwin: the command line of the EV charging site twin.
#include "cli/commands.hpp"
#include "cli/exec_tool.hpp"
#include "core/version.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr const char* kOverview = R"(usage: evtwin <verb> [options]

verbs:
  run SCENARIO.lua        simulate a scenario under a strategy, print KPIs, write a results database
  compare SCENARIO.lua    run a scenario under several strategies and seeds, print KPIs side by side
  train SCENARIO.lua      learn a PPO or DQN policy (evtwin-train; builds with LibTorch only)
  ocpp import LOG         import an OCPP 1.6J / 2.0.1 log: frames, transactions, meter values, problems
  ocpp validate LOG       replay a log's sessions on a scenario's site and compare the twin with the log
  ocpp whatif LOG         the log's demand under another strategy: cost and peak against the log
  ocpi export RUN.db      a run's sessions and CDRs, priced, with the site as a location (OCPI 2.2.1)
  ocpi validate FILE      run an OCPI CDR or session file's sessions on a scenario's site and compare
  battery fit             fit the cycling-fade law to the NASA battery cells and report the fit error
  battery report RUN.db   grade each battery of a run A-D: state of health, charging pattern, telemetry
  forecast train          learn an LSTM or TFT forecaster of PV, load or EV demand (LibTorch builds only)
  forecast eval           score forecasters on held-out data: MAE, pinball loss, coverage, skill
  drivers train|eval|predict   a driver's next charge: per hour of the next 7 days, from the drivers' sessions
  sweep plan|run|...      campaigns of many runs: plan, run (a local process pool), merge, status,
                          report, and submit to a Slurm cluster (docs/sweeps.md)
  serve                   the planning API and planner page over HTTP (docs/serve.md)
  plugins                 list the strategy and forecaster plugins found and whether each can be loaded
  version                 print the version

`evtwin <verb> --help` describes a verb.
)";

}  // namespace

int main(int argc, char** argv) {
    using namespace evtwin::cli;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(kOverview, args.empty() ? stderr : stdout);
        return args.empty() ? kUsage : kOk;
    }
    const std::string verb = args[0];
    args.erase(args.begin());
    return run_verb(verb, [&]() -> int {
        if (verb == "run") return run_command(args);
        if (verb == "compare") return compare_command(args);
        if (verb == "plugins") return plugins_command(args);
        if (verb == "ocpp") return ocpp_command(args);
        if (verb == "ocpi") return ocpi_command(args);
        if (verb == "train") return train_command(args);
        if (verb == "battery") return battery_command(args);
        if (verb == "forecast") return forecast_command(args);
        if (verb == "drivers") return drivers_command(args);
        if (verb == "sweep") return sweep_command(args);
        if (verb == "serve")
            return exec_tool("evtwin-serve", "serve", args, "build its target, evtwin-serve");
        if (verb == "version" || verb == "--version") {
            std::printf("evtwin %s\n", evtwin::engine_version());
            return kOk;
        }
        std::fprintf(stderr, "evtwin: unknown verb '%s'\n\n%s", verb.c_str(), kOverview);
        return kUsage;
    });
}
