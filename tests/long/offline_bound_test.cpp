// The optimum is a bound (docs/architecture.md): on every shipped scenario and seeds 1, 2 and 3, no
// strategy's cost on offline_optimal's objective is lower than offline_optimal's. The objective is
// what the operator pays (the bill: energy, demand charge, exports; what V2G drivers are paid; the
// flat degradation of the scenario's economics: charging_revenue − cpo_profit, less the modelled
// battery wear) plus the unmet penalty per kWh left undelivered, the same number given to
// offline_optimal as `unmet_penalty`, less the value the batteries gained by the end and plus their
// shortfall of the SoC wanted then at that penalty (the scenario's end_value_per_kwh, end_soc).
// offline_optimal runs wear-blind (`wear=false`), since the engine's wear model is not the objective's linear
// one, and so the modelled wear is no part of the objective; it plans again at every decision
// (`replan=every`, the tightest yardstick). Each run is the scenario's first 12 hours with the sessions that
// leave within them (one still here at the end would count its undelivered energy against every strategy, and
// against a plan that meant to serve it after the end): 10 scenarios × 3 seeds × 10 strategies must fit the
// suite's time, and half a day holds the mechanisms the longer runs repeat (arrivals and departures, the
// tariff's peak and valley, the ESS's and V2G's cycles).
#include "model/scenario_spec.hpp"
#include "scenario/scenario_impl.hpp"
#include "support/test_support.hpp"

#include <evtwin/run.hpp>
#include <evtwin/scenario.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace evtwin {
namespace {

// The strategies that need nothing beyond the scenario (the learned ones need a trained model).
const std::vector<std::string> kStrategies{"uncontrolled", "fcfs",      "edf", "llf",           "alap",
                                           "round_robin",  "day_ahead", "mpc", "v2g_profit_max"};

constexpr Duration kHorizon = Duration::hours(12);

// The same default as the MILP strategies': max(10, 20 × the dearest import price of the run).
double unmet_penalty(const ScenarioSpec& spec) {
    double dearest = 0.0;
    for (Time t = spec.start; t < spec.end; t = t + Duration::minutes(15))
        dearest = std::max(dearest, std::abs(spec.tariff->import_price(t)));
    return std::max(10.0, 20.0 * dearest);
}

ScenarioSpec opening(const std::filesystem::path& file, std::uint64_t seed) {
    ScenarioOptions options;
    options.seed = seed;
    // caltech_acn's 150 kW transformer never binds in half a day; at 20 kW its phase limits do.
    if (file.stem() == "caltech_acn") options.params = {{"cap_kw", "20"}};
    ScenarioSpec spec = draw_scenario(Scenario::load(file, options), seed);
    spec.end = std::min(spec.end, spec.start + kHorizon);
    std::erase_if(spec.sessions, [&](const SessionSpec& s) { return s.departure > spec.end; });
    return spec;
}

double objective(const RunOutcome& run, double penalty) {
    std::map<std::string, double> k;
    for (const Kpi& kpi : run.kpis) k[kpi.name] = kpi.value;
    const double modelled_wear = k.at("ev_degradation_calendar") + k.at("ev_degradation_cycling") +
                                 k.at("ess_degradation_calendar") + k.at("ess_degradation_cycling");
    // A battery's end wishes, where the scenario gives any: the value of what it gained, and its
    // shortfall of the SoC wanted at the unmet penalty, as offline_optimal prices them.
    const double ess_end =
        k.count("ess_end_value") ? -k.at("ess_end_value") + penalty * k.at("ess_end_short") : 0.0;
    return k.at("charging_revenue") - k.at("cpo_profit") - modelled_wear + penalty * k.at("unmet_energy") +
           ess_end;
}

std::vector<std::filesystem::path> shipped_scenarios() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_file("scenarios")))
        if (entry.path().extension() == ".lua") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

const std::vector<std::uint64_t> kSeeds{1, 2, 3};

TEST(MilpOfflineOptimalBound, NoStrategyCostsLessOnItsObjective) {
    const std::vector<std::filesystem::path> files = shipped_scenarios();
    ASSERT_GE(files.size(), 10u);
    const auto dir = test::temp_dir("offline-bound");
    for (const auto& file : files)
        for (const std::uint64_t seed : kSeeds) {
            const ScenarioSpec spec = opening(file, seed);
            const Scenario scenario = scenario_of(spec);
            const double penalty = unmet_penalty(spec);
            const std::string what = file.stem().string() + " seed " + std::to_string(seed);
            RunOptions oracle;
            oracle.strategy = "offline_optimal";
            oracle.options = {
                {"unmet_penalty", std::to_string(penalty)}, {"wear", "false"}, {"replan", "every"}};
            oracle.db = dir / (file.stem().string() + "-" + std::to_string(seed) + ".db");
            const RunOutcome best = run_scenario(scenario, oracle);
            EXPECT_EQ(best.violations, 0u) << what;
            const double bound = objective(best, penalty);
            RecordProperty(what, std::to_string(bound));
            for (const std::string& strategy : kStrategies) {
                RunOptions other;
                other.strategy = strategy;
                other.db = oracle.db;
                const double cost = objective(run_scenario(scenario, other), penalty);
                // Within rounding of the bill's cents and the solver's tolerances.
                if (cost >= bound - 1e-4 * std::abs(bound) - 0.01) continue;
                ADD_FAILURE() << what << ": " << strategy << " costs " << cost << ", offline_optimal "
                              << bound;
            }
        }
}

}  // namespace
}  // namespace evtwin
