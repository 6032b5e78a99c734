#include "cli/commands.hpp"
#include "cli/compare_table.hpp"
#include "cli/run_one.hpp"
#include "forecast/forecaster_choice.hpp"
#include "host/plugin_loader.hpp"
#include "kpi/feeder_totals.hpp"
#include "kpi/kpis.hpp"
#include "run/strategy_options.hpp"
#include "scenario/scenario_impl.hpp"

#include <evtwin/util/args.hpp>
#include <evtwin/util/progress.hpp>

#include <sys/ioctl.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>

namespace evtwin::cli {

namespace {

constexpr const char* kCompareHelp = R"(usage: evtwin compare SCENARIO.lua --strategies A,B,... [options]

Runs the scenario under each strategy and seed, writes every run and its KPIs into one results
database, and prints one row per strategy: each KPI's mean ± sample standard deviation over the
seeds, and under it ("diff") the difference of the mean from the FIRST strategy given, absolute
and in % of that strategy's mean. When the optimum (offline_optimal unless --optimum names
another) is among the strategies, two more columns show each strategy's gap to it on the same
arrivals: gap_to_optimum, net cost (energy_cost + demand_charge - export_revenue, + pv_curtailment_cost
- ess_end_value where the scenario prices them) minus the optimum's on the same seed, and
gap_to_optimum_pct, that in % of the optimum's net cost.

An entry STRATEGY@TARGET=FORECASTER[@...] runs the strategy on other forecasters than the
scenario's (docs/forecasting.md), e.g. mpc@demand=seasonal_naive or mpc@demand=tft:jpl.pt@pv=lstm:pv.pt;
then value_of_information is each entry's net cost minus mpc's (the scenario's own forecasters, or
the entry --informed names) on the same seed.

options:
  --strategies A,B,...      strategies by name (searched like `evtwin plugins`) or plugin file
  --seeds N                 seeds 1..N
  --seed-list S1,S2,...     these seeds
                            default: seeds 1..5 when the scenario's sessions change with the
                            seed (random arrivals), else one run at the scenario's own seed
  --kpis K1,K2,...          columns; default: energy_cost, demand_charge, cpo_profit,
                            energy_served, energy_served_feasible, sessions_fully_served_feasible,
                            peak_import, limit_violations, decision_time_mean, decision_time_max
  --sort KPI[:asc|:desc]    row order, by the KPI's mean; default: energy_cost (else the first
                            column), ascending
  --optimum NAME            the strategy gaps are measured to; default: offline_optimal
  --informed ENTRY          the entry value_of_information is measured to; default: mpc, when an
                            entry names forecasters (below)
  --opt KEY=VALUE           strategy option (repeatable), given to EVERY strategy on top of the
                            scenario's strategy_options (its flat keys and the strategy's own table);
                            STRATEGY.KEY=VALUE (a strategy of --strategies) goes to that strategy
                            only, e.g. --opt ppo.model=ppo.pt; naming a strategy not compared is
                            refused
  -D KEY=VALUE              scenario parameter read by param() (repeatable)
  --forecast TARGET=NAME[:ARG]  the forecaster of pv, load or demand (repeatable), over the
                            scenario's forecast{}: perfect, noisy[:0.2], persistence, seasonal_naive,
                            lstm:MODEL.pt, tft:MODEL.pt, or a plugin path (docs/forecasting.md)
  --db PATH                 results database (created, or the runs are added);
                            default: SCENARIO-compare.db
  --data-dir DIR            root of data() paths; default: $EVTWIN_DATA, else ../shared/data
  --quiet                   print no line per run, only the table

The scenario is loaded once per seed (random arrivals are drawn at load time), and every strategy
runs on the same sessions of that seed. Ctrl-C stops the current run at the next instant; what was
written stays (that run is marked interrupted), no further run starts, no table is printed.
The table is not stored: it follows from the database's runs and kpis tables (group by strategy).
exit codes: 0 ok, 1 failure, 2 usage, 3 bad scenario or data, 4 plugin refused or failed, 130 interrupted
)";

constexpr std::size_t kDefaultSeeds = 5;
constexpr std::uint64_t kMaxSeeds = 10'000;

const std::vector<std::string> kDefaultKpis = {
    "energy_cost",      "demand_charge",          "cpo_profit",
    "energy_served",    "energy_served_feasible", "sessions_fully_served_feasible",
    "peak_import",      "limit_violations",       "decision_time_mean",
    "decision_time_max"};

void require_known_kpi(const std::string& name, const std::string& option) {
    const auto& known = kpi_names();
    const auto& reserved = reservation_kpi_names();
    const auto& feeder = feeder_kpi_names();
    const std::vector<std::string> curtailment = {kPvCurtailmentCostKpi, kEssEndValueKpi, kEssEndShortKpi};
    for (const auto* names : {&known, &curtailment, &reserved, &feeder})
        if (std::find(names->begin(), names->end(), name) != names->end()) return;
    std::string list;
    for (const auto* names : {&known, &curtailment, &reserved, &feeder})
        for (const auto& k : *names) list += (list.empty() ? "" : ", ") + k;
    throw UsageError(option + ": unknown KPI '" + name + "' (known: " + list + ")");
}

// The sessions a seed produced, compared field by field: equal sessions for two seeds mean the
// scenario draws its arrivals from no random stream.
bool same_sessions(const ScenarioSpec& a, const ScenarioSpec& b) {
    if (a.sessions.size() != b.sessions.size()) return false;
    for (std::size_t i = 0; i < a.sessions.size(); ++i) {
        const SessionSpec &x = a.sessions[i], &y = b.sessions[i];
        const VehicleSpec &u = x.vehicle, &v = y.vehicle;
        if (x.station != y.station || x.arrival != y.arrival || x.departure != y.departure ||
            x.declared_departure != y.declared_departure || x.initial_soc != y.initial_soc ||
            x.requested_kwh != y.requested_kwh || x.target_soc != y.target_soc || u.model != v.model ||
            u.capacity_kwh != v.capacity_kwh || u.max_ac_kw != v.max_ac_kw || u.max_dc_kw != v.max_dc_kw ||
            u.v2g_allowed != v.v2g_allowed || u.max_discharge_kw != v.max_discharge_kw ||
            u.min_soc != v.min_soc)
            return false;
    }
    return true;
}

std::size_t terminal_width() {
    winsize ws{};
    if (::isatty(STDOUT_FILENO) == 1 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;  // not a terminal (a file, a pipe): one block, however wide, for scripts to read
}

std::string seed_text(const std::vector<std::uint64_t>& seeds) {
    bool consecutive = seeds.size() > 2;
    for (std::size_t i = 1; i < seeds.size(); ++i) consecutive = consecutive && seeds[i] == seeds[i - 1] + 1;
    if (consecutive) return std::to_string(seeds.front()) + ".." + std::to_string(seeds.back());
    std::string out;
    for (auto s : seeds) out += (out.empty() ? "" : ", ") + std::to_string(s);
    return out;
}

struct PlannedRun {
    std::size_t strategy;
    std::uint64_t seed;
};

// One --strategies entry: STRATEGY[@TARGET=FORECASTER...], e.g. mpc@demand=seasonal_naive@pv=lstm:pv.pt.
struct Entry {
    std::string strategy;
    std::map<std::string, std::string> forecast;
};

Entry parse_entry(const std::string& text) {
    Entry e;
    std::size_t at = text.find('@');
    e.strategy = text.substr(0, at);
    while (at != std::string::npos) {
        const std::size_t next = text.find('@', at + 1);
        const std::string part = text.substr(at + 1, next - at - 1);
        const std::size_t eq = part.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == part.size())
            throw UsageError("--strategies " + text + ": expected STRATEGY@TARGET=FORECASTER, got '@" + part +
                             "'");
        try {
            parse_forecast_target(part.substr(0, eq));
            parse_forecaster_choice(part.substr(eq + 1));
        } catch (const std::invalid_argument& err) {
            throw UsageError("--strategies " + text + ": " + err.what());
        }
        e.forecast[part.substr(0, eq)] = part.substr(eq + 1);
        at = next;
    }
    return e;
}

// The scenario of one seed with other forecasters.
Scenario with_forecasters(const ScenarioSpec& spec, const std::map<std::string, std::string>& forecast) {
    ScenarioSpec s = spec;
    for (const auto& [target, choice] : forecast)
        s.forecast.choice(parse_forecast_target(target)) = parse_forecaster_choice(choice);
    return scenario_of(std::move(s));
}

// What the command line asks for, checked before the scenario is loaded.
struct CompareRequest {
    std::filesystem::path scenario_file;
    std::vector<std::string> labels;      // the --strategies entries as given
    std::vector<std::string> strategies;  // per entry: the strategy (name or plugin file)
    std::vector<std::map<std::string, std::string>> forecasts;  // per entry: target -> forecaster
    std::vector<std::uint64_t> seeds;                           // empty: chosen once the scenario is loaded
    std::vector<std::string> kpis;
    std::string sort_kpi;
    bool descending = false;
};

std::vector<std::uint64_t> requested_seeds(const Args& args) {
    std::vector<std::uint64_t> seeds;
    if (args.value("--seeds") && args.value("--seed-list"))
        throw UsageError("give --seeds or --seed-list, not both");
    if (auto n = args.value("--seeds")) {
        const std::uint64_t count = parse_seed(*n, "--seeds");
        if (count < 1 || count > kMaxSeeds)
            throw UsageError("--seeds expects a count from 1 to " + std::to_string(kMaxSeeds) + ", got '" +
                             *n + "'");
        for (std::uint64_t s = 1; s <= count; ++s) seeds.push_back(s);
    }
    if (auto list = args.value("--seed-list"))
        for (const auto& item : comma_list(*list, "--seed-list"))
            seeds.push_back(parse_seed(item, "--seed-list"));
    return seeds;
}

CompareRequest parse_request(const Args& args) {
    CompareRequest r;
    if (args.positionals.size() != 1) throw UsageError("expects one scenario file");
    r.scenario_file = args.positionals[0];
    const auto strategies_arg = args.value("--strategies");
    if (!strategies_arg) throw UsageError("--strategies is required (e.g. --strategies uncontrolled,edf)");
    for (const std::string& entry : comma_list(*strategies_arg, "--strategies")) {
        Entry e = parse_entry(entry);
        r.strategies.push_back(std::move(e.strategy));
        r.forecasts.push_back(std::move(e.forecast));
    }
    r.labels = comma_list(*strategies_arg, "--strategies");
    try {
        check_option_scopes(args.pairs("--opt"), r.strategies);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    r.seeds = requested_seeds(args);

    r.kpis = args.value("--kpis") ? comma_list(*args.value("--kpis"), "--kpis") : kDefaultKpis;
    for (const auto& k : r.kpis) require_known_kpi(k, "--kpis");
    r.sort_kpi = std::find(r.kpis.begin(), r.kpis.end(), "energy_cost") != r.kpis.end() ? "energy_cost"
                                                                                        : r.kpis.front();
    if (auto sort = args.value("--sort")) {
        r.sort_kpi = *sort;
        if (const auto colon = sort->rfind(':'); colon != std::string::npos) {
            const std::string direction = sort->substr(colon + 1);
            if (direction != "asc" && direction != "desc")
                throw UsageError("--sort expects KPI, KPI:asc or KPI:desc, got '" + *sort + "'");
            r.descending = direction == "desc";
            r.sort_kpi = sort->substr(0, colon);
        }
        require_known_kpi(r.sort_kpi, "--sort");
    }
    return r;
}

// The run of one seed, drawn once for all strategies.
Scenario scenario_at_seed(const Scenario& scenario, std::uint64_t seed) {
    try {
        return scenario_of(draw_scenario(scenario, seed));
    } catch (const ScenarioError& e) {
        throw CommandFailure(kBadInput, e.what());
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, e.what());
    }
}

// Without --seeds or --seed-list: seeds 1..5 when the sessions change with the seed, else the
// scenario's own seed alone.
std::vector<std::uint64_t> default_seeds(const Scenario& scenario) {
    const ScenarioSpec& own = scenario.impl().loaded;
    if (same_sessions(own, scenario_at_seed(scenario, own.seed + 1).impl().loaded)) {
        std::printf(
            "note: the scenario's sessions do not change with the seed: one run per strategy at seed %llu "
            "(--seeds N to force more)\n",
            static_cast<unsigned long long>(own.seed));
        return {own.seed};
    }
    std::vector<std::uint64_t> seeds;
    for (std::uint64_t s = 1; s <= kDefaultSeeds; ++s) seeds.push_back(s);
    return seeds;
}

// The strategies, each loaded once before any run (so a refused one stops the comparison at once),
// with the options each run gets and the rows of the table; and which row is the optimum.
struct LoadedStrategies {
    std::vector<StrategyOptions> options;
    std::vector<StrategyRuns> rows;
    std::optional<std::size_t> optimum;
};

LoadedStrategies load_strategies(const Args& args, const CompareRequest& request, const ScenarioSpec& spec) {
    LoadedStrategies loaded;
    const std::string optimum_name = args.value("--optimum").value_or("offline_optimal");
    for (const auto& s : request.strategies) {
        loaded.options.push_back(scoped_strategy_options(args.pairs("--opt"), s, request.strategies));
        StrategyHandle handle;
        try {
            handle = load_strategy(s, merged_strategy_options(spec, s, loaded.options.back()));
        } catch (const PluginError& e) {
            throw CommandFailure(kPluginRefused, std::string("evtwin compare: ") + e.what());
        }
        if (handle.name() == optimum_name && !loaded.optimum) loaded.optimum = loaded.rows.size();
        const std::string& label = request.labels[loaded.rows.size()];
        loaded.rows.push_back({s.find('/') == std::string::npos ? label : std::string(handle.name()), {}});
    }
    if (args.value("--optimum") && !loaded.optimum)
        throw UsageError("--optimum " + optimum_name + " is not among --strategies");
    return loaded;
}

// The entry value_of_information is measured to: the one planning on the scenario's own
// forecasters (--informed, else mpc), when asked for or when an entry names forecasters.
std::optional<std::size_t> informed_entry(const Args& args, const CompareRequest& request) {
    std::optional<std::size_t> informed;
    const bool any_forecast = std::any_of(request.forecasts.begin(), request.forecasts.end(),
                                          [](const auto& f) { return !f.empty(); });
    if (const auto name = args.value("--informed"); name || any_forecast) {
        for (std::size_t i = 0; i < request.labels.size() && !informed; ++i)
            if (request.labels[i] == name.value_or("mpc")) informed = i;
        if (name && !informed) throw UsageError("--informed " + *name + " is not among --strategies");
    }
    return informed;
}

// What the runs left: the range of run ids, how many completed, and whether Ctrl-C stopped them.
struct RunsDone {
    RunId first_run = 0, last_run = 0;
    std::size_t done = 0;
    std::size_t planned = 0;
    bool interrupted = false;
};

// Every strategy on every seed, seed by seed, into `db`; each run's KPIs go to its row.
RunsDone run_all(const Scenario& scenario, const CompareRequest& request,
                 const std::vector<std::uint64_t>& seeds, const std::vector<StrategyOptions>& options,
                 const std::filesystem::path& db, bool quiet, std::vector<StrategyRuns>& rows) {
    std::vector<PlannedRun> plan;
    for (auto seed : seeds)
        for (std::size_t i = 0; i < request.strategies.size(); ++i) plan.push_back({i, seed});
    RunsDone out;
    out.planned = plan.size();
    ProgressBar bar("evtwin compare " + scenario.impl().loaded.name);
    {
        SigintScope sigint;
        std::optional<Scenario> current;  // the run of the seed in progress
        for (const PlannedRun& p : plan) {
            if (!current || current->seed() != p.seed) {
                std::optional<Scenario> next = scenario_at_seed(scenario, p.seed);
                if (current && p.seed == seeds[1] &&
                    same_sessions(current->impl().loaded, next->impl().loaded))
                    std::printf("note: seeds %llu and %llu give the same sessions (is anything random?)\n",
                                static_cast<unsigned long long>(seeds[0]),
                                static_cast<unsigned long long>(p.seed));
                current = std::move(next);
            }
            const ScenarioSpec& s = current->impl().loaded;
            std::optional<Scenario> with_forecasts;
            if (!request.forecasts[p.strategy].empty())
                with_forecasts = with_forecasters(s, request.forecasts[p.strategy]);
            RunOptions run;
            run.strategy = request.strategies[p.strategy];
            run.options = options[p.strategy];
            run.db = db;
            run.interrupt = SigintScope::flag();
            const double span_ms = static_cast<double>((s.end - s.start).ms());
            const std::string detail = rows[p.strategy].label + " seed " + std::to_string(p.seed);
            run.progress = [&](Time now) {
                const double run_fraction = static_cast<double>((now - s.start).ms()) / span_ms;
                bar.update(
                    (static_cast<double>(out.done) + run_fraction) / static_cast<double>(plan.size()),
                    "run " + std::to_string(out.done + 1) + "/" + std::to_string(plan.size()) + " " + detail);
            };
            RunOutcome result = run_or_fail("compare", with_forecasts ? *with_forecasts : *current, run);
            if (out.first_run == 0) out.first_run = result.run_id;
            out.last_run = result.run_id;
            if (!quiet && !result.interrupted) {
                bar.finish();
                std::printf("run %lld  %s  seed %llu  (%llu events, %llu decisions, %.2f s)\n",
                            static_cast<long long>(result.run_id), rows[p.strategy].label.c_str(),
                            static_cast<unsigned long long>(p.seed),
                            static_cast<unsigned long long>(result.events),
                            static_cast<unsigned long long>(result.decisions), result.wall_s);
                std::fflush(stdout);
            }
            if (result.interrupted) {
                out.interrupted = true;
                break;
            }
            rows[p.strategy].runs.push_back(std::move(result.kpis));
            ++out.done;
        }
    }
    bar.finish();
    return out;
}

// The table, with the gap columns where there is an optimum or an informed entry, and the lines
// that say what it shows.
void print_table(const std::string& scenario_name, std::vector<StrategyRuns>& rows,
                 const CompareRequest& request, const std::vector<std::uint64_t>& seeds,
                 std::optional<std::size_t> optimum, std::optional<std::size_t> informed) {
    CompareTableSpec table;
    table.kpis = request.kpis;
    if (optimum) {
        add_cost_gap(rows, *optimum, kGapKpi, kGapPctKpi);
        table.kpis.push_back(kGapKpi);
        table.kpis.push_back(kGapPctKpi);
    }
    if (informed) {
        add_cost_gap(rows, *informed, kInformationKpi, kInformationPctKpi);
        table.kpis.push_back(kInformationKpi);
        table.kpis.push_back(kInformationPctKpi);
    }
    table.reference = 0;
    table.order = sorted_rows(rows, request.sort_kpi, request.descending);
    table.width = terminal_width();
    std::printf("\n%s: %zu strategies x %zu seed%s (%s), %s\n", scenario_name.c_str(), rows.size(),
                seeds.size(), seeds.size() == 1 ? "" : "s", seed_text(seeds).c_str(),
                seeds.size() == 1 ? "one run each" : "mean ± sample standard deviation over the seeds");
    std::printf("diff: difference from %s (the first strategy given); sorted by %s, %s\n",
                rows[0].label.c_str(), request.sort_kpi.c_str(),
                request.descending ? "descending" : "ascending");
    if (optimum)
        std::printf(
            "gap_to_optimum: net cost (energy_cost + demand_charge - export_revenue + pv_curtailment_cost - "
            "ess_end_value) minus %s's on the same seed\n",
            rows[*optimum].label.c_str());
    if (informed)
        std::printf(
            "value_of_information: net cost minus %s's (the scenario's own forecasters) on the same seed\n",
            rows[*informed].label.c_str());
    std::printf("\n");
    std::fputs(format_compare_table(rows, table).c_str(), stdout);
}

}  // namespace

int compare_command(const std::vector<std::string>& argv) {
    const Args args = parse_args(argv, ArgSpec{{"--strategies", "--seeds", "--seed-list", "--kpis", "--sort",
                                                "--db", "--data-dir", "--optimum", "--informed"},
                                               {"--quiet", "--help", "-h"},
                                               {"--opt", "-D", "--forecast"}});
    if (args.flag("--help") || args.flag("-h")) {
        std::fputs(kCompareHelp, stdout);
        return kOk;
    }
    const CompareRequest request = parse_request(args);

    ScenarioOptions load;
    load.params = args.pairs("-D");
    load.forecast = args.pairs("--forecast");
    if (auto data = args.value("--data-dir")) load.data_dir = *data;
    if (!request.seeds.empty()) load.seed = request.seeds.front();
    const Scenario scenario = load_scenario_or_fail(request.scenario_file, load);
    const std::vector<std::uint64_t> seeds = request.seeds.empty() ? default_seeds(scenario) : request.seeds;

    LoadedStrategies strategies = load_strategies(args, request, scenario.impl().loaded);
    const std::optional<std::size_t> informed = informed_entry(args, request);

    const std::filesystem::path db =
        args.value("--db").value_or(request.scenario_file.stem().string() + "-compare.db");
    const auto wall_start = std::chrono::steady_clock::now();
    const RunsDone runs =
        run_all(scenario, request, seeds, strategies.options, db, args.flag("--quiet"), strategies.rows);
    const double wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    if (runs.interrupted) {
        std::printf("interrupted: %zu of %zu runs complete, run %lld marked interrupted, all kept in %s\n",
                    runs.done, runs.planned, static_cast<long long>(runs.last_run), db.c_str());
        return kInterrupted;
    }
    print_table(scenario.impl().loaded.name, strategies.rows, request, seeds, strategies.optimum, informed);
    std::printf("\ndone: %zu runs (ids %lld..%lld) in %s (%.2f s)\n", runs.planned,
                static_cast<long long>(runs.first_run), static_cast<long long>(runs.last_run), db.c_str(),
                wall_s);
    return kOk;
}

}  // namespace evtwin::cli
