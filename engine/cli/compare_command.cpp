#include "cli/commands.hpp"
#include "cli/compare_table.hpp"
#include "cli/run_one.hpp"
#include "core/plugin_loader.hpp"
#include "kpi/kpis.hpp"
#include "run/strategy_options.hpp"
#include "scenario/scenario_impl.hpp"

#include <evtwin/util/args.hpp>
#include <evtwin/util/progress.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sys/ioctl.h>
#include <unistd.h>

namespace evtwin::cli {

namespace {

constexpr const char* kHelp = R"(usage: evtwin compare SCENARIO.lua --strategies A,B,... [options]

Runs the scenario under each strategy and seed, writes every run and its KPIs into one results
database, and prints one row per strategy: each KPI's mean ± sample standard deviation over the
seeds, and under it ("diff") the difference of the mean from the FIRST strategy given, absolute
and in % of that strategy's mean. When the optimum (offline_optimal unless --optimum names
another) is among the strategies, two more columns show each strategy's gap to it on the same
arrivals: gap_to_optimum, net cost (energy_cost + demand_charge - export_revenue) minus the
optimum's on the same seed, and gap_to_optimum_pct, that in % of the optimum's net cost.

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
  --opt KEY=VALUE           strategy option (repeatable), given to EVERY strategy on top of the
                            scenario's strategy_options (its flat keys and the strategy's own table);
                            STRATEGY.KEY=VALUE (a strategy of --strategies) goes to that strategy
                            only, e.g. --opt ppo.model=ppo.pt
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

const std::vector<std::string> kDefaultKpis = {"energy_cost",    "demand_charge",
                                               "cpo_profit",     "energy_served",
                                               "energy_served_feasible",
                                               "sessions_fully_served_feasible", "peak_import",
                                               "limit_violations", "decision_time_mean",
                                               "decision_time_max"};

std::vector<std::string> split_list(const std::string& text, const std::string& option) {
    std::vector<std::string> items;
    std::size_t begin = 0;
    while (true) {
        const std::size_t comma = text.find(',', begin);
        std::string item = text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (item.empty()) throw UsageError(option + " expects a comma-separated list without empty items, got '" + text + "'");
        if (std::find(items.begin(), items.end(), item) != items.end())
            throw UsageError(option + " names '" + item + "' twice");
        items.push_back(item);
        if (comma == std::string::npos) break;
        begin = comma + 1;
    }
    return items;
}

void require_known_kpi(const std::string& name, const std::string& option) {
    const auto& known = kpi_names();
    if (std::find(known.begin(), known.end(), name) != known.end()) return;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
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
            u.v2g_allowed != v.v2g_allowed || u.max_discharge_kw != v.max_discharge_kw || u.min_soc != v.min_soc)
            return false;
    }
    return true;
}

std::size_t terminal_width() {
    winsize ws{};
    if (::isatty(STDOUT_FILENO) == 1 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
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

}  // namespace

int compare_command(const std::vector<std::string>& argv) {
    const Args args = parse_args(argv, ArgSpec{{"--strategies", "--seeds", "--seed-list", "--kpis", "--sort", "--db", "--data-dir", "--optimum"},
                                               {"--quiet", "--help", "-h"},
                                               {"--opt", "-D", "--forecast"}});
    if (args.flag("--help") || args.flag("-h")) {
        std::fputs(kHelp, stdout);
        return kOk;
    }
    if (args.positionals.size() != 1) throw UsageError("expects one scenario file");
    const std::filesystem::path scenario_file = args.positionals[0];
    const auto strategies_arg = args.value("--strategies");
    if (!strategies_arg) throw UsageError("--strategies is required (e.g. --strategies uncontrolled,edf)");
    const std::vector<std::string> strategies = split_list(*strategies_arg, "--strategies");

    std::vector<std::uint64_t> seeds;
    if (args.value("--seeds") && args.value("--seed-list")) throw UsageError("give --seeds or --seed-list, not both");
    if (auto n = args.value("--seeds")) {
        const std::uint64_t count = parse_seed(*n, "--seeds");
        if (count < 1 || count > kMaxSeeds)
            throw UsageError("--seeds expects a count from 1 to " + std::to_string(kMaxSeeds) + ", got '" + *n + "'");
        for (std::uint64_t s = 1; s <= count; ++s) seeds.push_back(s);
    }
    if (auto list = args.value("--seed-list"))
        for (const auto& item : split_list(*list, "--seed-list")) seeds.push_back(parse_seed(item, "--seed-list"));

    const std::vector<std::string> kpis = args.value("--kpis") ? split_list(*args.value("--kpis"), "--kpis") : kDefaultKpis;
    for (const auto& k : kpis) require_known_kpi(k, "--kpis");
    std::string sort_kpi = std::find(kpis.begin(), kpis.end(), "energy_cost") != kpis.end() ? "energy_cost" : kpis.front();
    bool descending = false;
    if (auto sort = args.value("--sort")) {
        sort_kpi = *sort;
        if (const auto colon = sort->rfind(':'); colon != std::string::npos) {
            const std::string direction = sort->substr(colon + 1);
            if (direction != "asc" && direction != "desc")
                throw UsageError("--sort expects KPI, KPI:asc or KPI:desc, got '" + *sort + "'");
            descending = direction == "desc";
            sort_kpi = sort->substr(0, colon);
        }
        require_known_kpi(sort_kpi, "--sort");
    }

    ScenarioOptions load;
    load.params = args.pairs("-D");
    load.forecast = args.pairs("--forecast");
    if (auto data = args.value("--data-dir")) load.data_dir = *data;
    if (!seeds.empty()) load.seed = seeds.front();
    const Scenario scenario = load_scenario_or_fail(scenario_file, load);
    // The run of one seed, drawn once for all strategies.
    auto at_seed = [&](std::uint64_t seed) {
        try {
            return scenario_of(draw_scenario(scenario, seed));
        } catch (const ScenarioError& e) {
            throw CommandFailure(kBadInput, e.what());
        } catch (const DataError& e) {
            throw CommandFailure(kBadInput, e.what());
        }
    };
    if (seeds.empty()) {
        const ScenarioSpec& own = scenario.impl().loaded;
        if (same_sessions(own, at_seed(own.seed + 1).impl().loaded)) {
            std::printf("note: the scenario's sessions do not change with the seed: one run per strategy at seed %llu "
                        "(--seeds N to force more)\n",
                        static_cast<unsigned long long>(own.seed));
            seeds.push_back(own.seed);
        } else {
            for (std::uint64_t s = 1; s <= kDefaultSeeds; ++s) seeds.push_back(s);
        }
    }
    const ScenarioSpec& first = scenario.impl().loaded;

    // Every strategy is loaded once before any run, so a refused one stops the comparison at once.
    std::vector<StrategyOptions> options;
    std::vector<StrategyRuns> rows;
    const std::string optimum_name = args.value("--optimum").value_or("offline_optimal");
    std::optional<std::size_t> optimum;
    for (const auto& s : strategies) {
        options.push_back(scoped_strategy_options(args.pairs("--opt"), s, strategies));
        StrategyHandle handle;
        try {
            handle = load_strategy(s, merged_strategy_options(first, s, options.back()));
        } catch (const PluginError& e) {
            throw CommandFailure(kPluginRefused, std::string("evtwin compare: ") + e.what());
        }
        if (handle.name() == optimum_name && !optimum) optimum = rows.size();
        rows.push_back({s.find('/') == std::string::npos ? s : std::string(handle.name()), {}});
    }
    if (args.value("--optimum") && !optimum)
        throw UsageError("--optimum " + optimum_name + " is not among --strategies");

    std::vector<PlannedRun> plan;
    for (auto seed : seeds)
        for (std::size_t i = 0; i < strategies.size(); ++i) plan.push_back({i, seed});

    const std::filesystem::path db =
        args.value("--db").value_or(scenario_file.stem().string() + "-compare.db");
    const std::string scenario_name = first.name;
    ProgressBar bar("evtwin compare " + scenario_name);
    const bool quiet = args.flag("--quiet");
    const auto wall_start = std::chrono::steady_clock::now();
    RunId first_run = 0, last_run = 0;
    std::size_t done = 0;
    bool interrupted = false;
    {
        SigintScope sigint;
        std::optional<Scenario> current;  // the run of the seed in progress
        for (const PlannedRun& p : plan) {
            if (!current || current->seed() != p.seed) {
                std::optional<Scenario> next = at_seed(p.seed);
                if (current && p.seed == seeds[1] && same_sessions(current->impl().loaded, next->impl().loaded))
                    std::printf("note: seeds %llu and %llu give the same sessions (is anything random?)\n",
                                static_cast<unsigned long long>(seeds[0]), static_cast<unsigned long long>(p.seed));
                current = std::move(next);
            }
            const ScenarioSpec& s = current->impl().loaded;
            RunOptions run;
            run.strategy = strategies[p.strategy];
            run.options = options[p.strategy];
            run.db = db;
            run.interrupt = SigintScope::flag();
            const double span_ms = static_cast<double>((s.end - s.start).ms());
            const std::string detail = rows[p.strategy].label + " seed " + std::to_string(p.seed);
            run.progress = [&](Time now) {
                const double run_fraction = static_cast<double>((now - s.start).ms()) / span_ms;
                bar.update((static_cast<double>(done) + run_fraction) / static_cast<double>(plan.size()),
                           "run " + std::to_string(done + 1) + "/" + std::to_string(plan.size()) + " " + detail);
            };
            RunOutcome result = run_or_fail("compare", *current, run);
            if (first_run == 0) first_run = result.run_id;
            last_run = result.run_id;
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
                interrupted = true;
                break;
            }
            rows[p.strategy].runs.push_back(std::move(result.kpis));
            ++done;
        }
    }
    bar.finish();
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

    if (interrupted) {
        std::printf("interrupted: %zu of %zu runs complete, run %lld marked interrupted, all kept in %s\n", done,
                    plan.size(), static_cast<long long>(last_run), db.c_str());
        return kInterrupted;
    }

    CompareTableSpec table;
    table.kpis = kpis;
    if (optimum) {
        add_gap_to_optimum(rows, *optimum);
        table.kpis.push_back(kGapKpi);
        table.kpis.push_back(kGapPctKpi);
    }
    table.reference = 0;
    table.order = sorted_rows(rows, sort_kpi, descending);
    table.width = terminal_width();
    std::printf("\n%s: %zu strategies x %zu seed%s (%s), %s\n", scenario_name.c_str(), rows.size(), seeds.size(),
                seeds.size() == 1 ? "" : "s", seed_text(seeds).c_str(),
                seeds.size() == 1 ? "one run each" : "mean ± sample standard deviation over the seeds");
    std::printf("diff: difference from %s (the first strategy given); sorted by %s, %s\n", rows[0].label.c_str(),
                sort_kpi.c_str(), descending ? "descending" : "ascending");
    if (optimum)
        std::printf("gap_to_optimum: net cost (energy_cost + demand_charge - export_revenue) minus %s's on the same "
                    "seed\n",
                    rows[*optimum].label.c_str());
    std::printf("\n");
    std::fputs(format_compare_table(rows, table).c_str(), stdout);
    std::printf("\ndone: %zu runs (ids %lld..%lld) in %s (%.2f s)\n", plan.size(), static_cast<long long>(first_run),
                static_cast<long long>(last_run), db.c_str(), wall_s);
    return kOk;
}

}  // namespace evtwin::cli
