// End to end: mpc (each forecast source), offline_optimal and v2g_profit_max run through the evtwin
// command, keep every physical invariant and record no violation; MPC with perfect forecasts comes
// within 1 % of the offline optimum's objective (energy cost + the unmet penalty) on day_ahead_40ev.
#include "golden/invariants.hpp"
#include "scenario/scenario_loader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace evtwin {
namespace {

std::map<std::string, double> run_and_check(const std::string& scenario, const std::string& strategy,
                                            const std::string& options, const std::string& tag) {
    const auto file = test::source_file("scenarios/" + scenario);
    const auto db = test::temp_dir("milp-run-" + tag) / "run.db";
    const auto r = test::run_command(test::evtwin_binary().string() + " run " + file.string() + " --strategy " +
                                     strategy + " " + options + " --db " + db.string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    if (r.exit_code != 0) return {};
    const RunReader reader(db);
    const RunId id = reader.latest_run();
    EXPECT_EQ(reader.run(id).status, RunStatus::complete);
    test::expect_session_energy_matches_series(reader, id);
    test::expect_node_limits_hold(reader, id);
    test::expect_soc_within_bounds(reader, id);
    test::expect_bill_matches_series(reader, id, *load_scenario(file).tariff);
    EXPECT_TRUE(reader.violations(id).empty()) << strategy << " " << options << " recorded violations";
    std::map<std::string, double> kpis;
    for (const Kpi& k : reader.kpis(id)) kpis[k.name] = k.value;
    return kpis;
}

TEST(MilpStrategiesRun, MpcWithinOnePercentOfTheOfflineOptimum) {
    const auto offline = run_and_check("day_ahead_40ev.lua", "offline_optimal", "", "offline");
    const auto mpc = run_and_check("day_ahead_40ev.lua", "mpc", "", "mpc");
    ASSERT_FALSE(offline.empty());
    ASSERT_FALSE(mpc.empty());
    constexpr double kPenalty = 10.0;  // the default unmet penalty at EUR prices
    const double best = offline.at("energy_cost") + kPenalty * offline.at("unmet_energy");
    const double got = mpc.at("energy_cost") + kPenalty * mpc.at("unmet_energy");
    RecordProperty("offline_objective", std::to_string(best));
    RecordProperty("mpc_objective", std::to_string(got));
    EXPECT_LE(got, 1.01 * best);
    EXPECT_GE(mpc.at("energy_delivered"), 0.99 * offline.at("energy_delivered"));
}

TEST(MilpStrategiesRun, MpcForecastSourcesRecordNoViolation) {
    EXPECT_FALSE(run_and_check("day_ahead_40ev.lua", "mpc", "--opt forecast=noisy --opt noise=0.3 --opt seed=7",
                               "mpc-noisy")
                     .empty());
    EXPECT_FALSE(run_and_check("day_ahead_40ev.lua", "mpc", "--opt forecast=persistence --opt relax=true",
                               "mpc-persistence")
                     .empty());
}

TEST(MilpStrategiesRun, V2gProfitMaxSellsAndServesWithoutViolation) {
    const auto k = run_and_check("v2g_profit_max.lua", "v2g_profit_max",
                                 "--opt charging_price=0.30 --opt degradation_per_kwh=0.04", "v2g");
    ASSERT_FALSE(k.empty());
    EXPECT_GT(k.at("ev_v2g_throughput"), 0.0);
    EXPECT_GE(k.at("energy_served"), 99.0);
}

}  // namespace
}  // namespace evtwin
