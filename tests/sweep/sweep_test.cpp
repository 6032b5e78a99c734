// `evtwin sweep` as a researcher meets it: a sweep file expands into runs with stable indices and
// keys, a campaign grows without renumbering, runs run in a process pool into files of their own,
// a failing run is recorded and does not stop the others, merge equals the same runs made with
// `evtwin run` one after another, the report's statistics, Ctrl-C, and bad input.
#include "record/reader/run_reader.hpp"
#include "support/test_support.hpp"
#include "sweep/campaign.hpp"
#include "sweep/report.hpp"
#include "sweep/slurm_submit.hpp"
#include "sweep/sweep_file.hpp"
#include "sweep/sweep_support.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace evtwin {
namespace {

using test::run_command;

std::filesystem::path write_sweep(const std::filesystem::path& dir, const std::string& body) {
    test::write_small_site(dir);
    return test::write_file(dir / "sweep.lua", body);
}

const std::string kSmallSweep = R"(sweep {
  name = "small",
  scenarios = { "small_site.lua" },
  strategies = { "uncontrolled", { "edf" } },
  seeds = range(1, 3),
  params = { cap_kw = { 15, 30 } },
  runs = { { scenario = "small_site.lua", strategy = "fcfs", seed = 9, params = { fail = 1 } } },
}
)";

TEST(SweepFile, ExpandsTheFactorialThenTheListWithKeysThatNameTheRun) {
    const auto dir = test::temp_dir("sweep-file");
    const auto spec = sweep::load_sweep_file(write_sweep(dir, kSmallSweep));
    EXPECT_EQ(spec.name, "small");
    ASSERT_EQ(spec.runs.size(), 2u * 3u * 2u + 1u);
    EXPECT_EQ(spec.runs[0].key, "scenario=small_site.lua|strategy=uncontrolled|seed=1|cap_kw=15");
    EXPECT_EQ(spec.runs[1].key, "scenario=small_site.lua|strategy=edf|seed=1|cap_kw=15");
    EXPECT_EQ(spec.runs[6].params.at("cap_kw"), "30");
    EXPECT_EQ(spec.runs.back().key, "scenario=small_site.lua|strategy=fcfs|seed=9|fail=1");
    EXPECT_TRUE(spec.runs[0].scenario.is_absolute());
}

TEST(SweepFile, StrategyOptionsAndRangesOfNumbers) {
    const auto dir = test::temp_dir("sweep-file-options");
    const auto spec =
        sweep::load_sweep_file(write_sweep(dir, R"(sweep { name = "o", scenarios = { "small_site.lua" },
  strategies = { { "mpc", horizon_h = 6, solver = "cbc" } }, seeds = { 4 }, params = { cap_kw = range(10, 11, 0.5) } })"));
    ASSERT_EQ(spec.runs.size(), 3u);
    EXPECT_EQ(spec.runs[0].options.at("horizon_h"), "6");
    EXPECT_EQ(spec.runs[1].params.at("cap_kw"), "10.5");
    EXPECT_EQ(spec.runs[2].key,
              "scenario=small_site.lua|strategy=mpc{horizon_h=6,solver=cbc}|seed=4|cap_kw=11");
}

TEST(SweepFile, BadFilesSayWhereAndWhat) {
    const auto dir = test::temp_dir("sweep-file-bad");
    auto error = [&](const std::string& body) {
        return test::error_of<sweep::SweepError>([&] { sweep::load_sweep_file(write_sweep(dir, body)); });
    };
    EXPECT_NE(
        error(
            R"(sweep { name = "x", scenarios = { "small_site.lua" }, strategies = { "edf" }, seeds = {1}, params = { cap_kw = {} } })")
            .find("sweep.lua:1: sweep: params.cap_kw: is empty"),
        std::string::npos);
    EXPECT_NE(
        error("sweep { name = \"x\", scenarios = { \"small_site.lua\" }, strategies = {}, seeds = {1} }")
            .find("strategies: is empty"),
        std::string::npos);
    EXPECT_NE(error("sweep { name = \"x\", senarios = {} }").find("unknown field 'senarios'"),
              std::string::npos);
    EXPECT_NE(
        error("sweep { name = \"x\", scenarios = { \"nope.lua\" }, strategies = { \"edf\" }, seeds = {1} }")
            .find("nope.lua': no such file"),
        std::string::npos);
    EXPECT_NE(error("sweep { name = \"x\", scenarios = { \"small_site.lua\" }, strategies = { \"edf\", "
                    "\"edf\" }, seeds = {1} }")
                  .find("is listed twice"),
              std::string::npos);
    EXPECT_NE(error("\n\nx = 1").find("sweep.lua:3: no sweep { ... } declared"), std::string::npos);
    EXPECT_NE(error("sweep { name = \"x\", scenarios = { \"small_site.lua\" }, strategies = { \"edf\" }, "
                    "seeds = { -1 } }")
                  .find("not negative"),
              std::string::npos);
    // Refused before the runs are listed: 2 x 10^12 would not fit in memory.
    EXPECT_NE(
        error("sweep { name = \"x\", scenarios = { \"small_site.lua\" }, strategies = { \"edf\", "
              "\"llf\" }, seeds = range(1, 1000000), params = { cap_kw = range(1, 1000000) } }")
            .find("sweep.lua:1: sweep: 2e+12 runs (scenarios x parameter points x seeds x strategies); a "
                  "campaign holds at most 10000000"),
        std::string::npos);
}

TEST(Indices, ParseAndFormatAreInverse) {
    EXPECT_EQ(sweep::parse_indices("0-3,7,9-10"), (std::vector<std::size_t>{0, 1, 2, 3, 7, 9, 10}));
    EXPECT_EQ(sweep::format_indices({0, 1, 2, 3, 7, 9, 10}), "0-3,7,9-10");
    EXPECT_NE(test::error_of<sweep::SweepError>([] { sweep::parse_indices("3-1"); }).find("runs backwards"),
              std::string::npos);
    EXPECT_NE(
        test::error_of<sweep::SweepError>([] { sweep::parse_indices("a"); }).find("'a' is not an index"),
        std::string::npos);
}

TEST(Report, StudentTAndTheIntervalOfTheMean) {
    EXPECT_DOUBLE_EQ(sweep::t_quantile_975(1), 12.706);
    EXPECT_NEAR(sweep::t_quantile_975(49), 2.0096, 2e-4);
    EXPECT_NEAR(sweep::t_quantile_975(1000), 1.9623, 2e-4);
    const auto s = sweep::kpi_stats({1.0, 2.0, 3.0, std::nan("")});
    EXPECT_EQ(s.n, 3u);
    EXPECT_DOUBLE_EQ(s.mean, 2.0);
    EXPECT_DOUBLE_EQ(s.sd, 1.0);
    EXPECT_NEAR(s.ci95, 4.303 / std::sqrt(3.0), 1e-12);
    EXPECT_TRUE(std::isnan(sweep::kpi_stats({5.0}).ci95));
}

TEST(SlurmSubmit, ChunksFitTheArrayAndTheScriptRunsEachChunk) {
    std::vector<std::size_t> pending;
    for (std::size_t i = 0; i < 2500; ++i) pending.push_back(i);
    const auto chunks = sweep::chunk_indices(pending, 1001, 0);
    EXPECT_EQ(chunks.size(), 834u);  // 3 runs per task
    EXPECT_EQ(chunks.front(), "0-2");
    EXPECT_EQ(sweep::chunk_indices({1, 2, 5, 6, 7}, 1001, 2), (std::vector<std::string>{"1-2", "5-6", "7"}));
}

TEST(SweepCommand, RunsMergesAndReportsAndAFailedRunDoesNotStopTheOthers) {
    const auto dir = test::temp_dir("sweep-cli");
    const auto file = write_sweep(dir, kSmallSweep);
    const auto campaign_dir = dir / "campaign";
    auto plan = run_command(test::evtwin_command() + " sweep plan " + file.string() + " --out " +
                            campaign_dir.string());
    ASSERT_EQ(plan.exit_code, 0) << plan.output;
    EXPECT_NE(plan.output.find("13 runs"), std::string::npos) << plan.output;

    auto run = run_command(test::evtwin_command() + " sweep run " + campaign_dir.string() + " --jobs 2");
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find("12 done, 1 failed"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("run 12 failed: "), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("fail = 1 makes this run fail"), std::string::npos) << run.output;

    auto status = run_command(test::evtwin_command() + " sweep status " + campaign_dir.string());
    EXPECT_EQ(status.exit_code, 1) << status.output;
    EXPECT_NE(status.output.find("13 runs: 12 done, 1 failed, 0 missing"), std::string::npos)
        << status.output;
    const auto campaign = sweep::Campaign::open(campaign_dir);
    EXPECT_NE(test::read_file(campaign.failure_file(12)).find("reproduce: evtwin run "), std::string::npos);
    for (const auto& entry : std::filesystem::directory_iterator(campaign_dir / "runs"))
        EXPECT_EQ(entry.path().string().find(".part"), std::string::npos) << entry.path();

    // More jobs than a sweep may start at once: refused before anything runs.
    run = run_command(test::evtwin_command() + " sweep run " + campaign_dir.string() + " --jobs 1025");
    EXPECT_EQ(run.exit_code, 2) << run.output;
    EXPECT_NE(run.output.find("--jobs expects a whole number from 1 to 1024"), std::string::npos)
        << run.output;

    // A second run does only what is not done: the failed run again.
    run = run_command(test::evtwin_command() + " sweep run " + campaign_dir.string() + " --jobs 2");
    EXPECT_NE(run.output.find("0 done, 1 failed, 12 done before"), std::string::npos) << run.output;

    auto merge = run_command(test::evtwin_command() + " sweep merge " + campaign_dir.string() + " --db " +
                             (dir / "all.db").string());
    ASSERT_EQ(merge.exit_code, 0) << merge.output;
    EXPECT_NE(merge.output.find("merged 12 runs"), std::string::npos) << merge.output;
    EXPECT_NE(merge.output.find("1 failed (12)"), std::string::npos) << merge.output;
    EXPECT_EQ(test::compare_with_serial_runs(campaign, dir / "all.db", dir / "serial.db"), "");
    merge = run_command(test::evtwin_command() + " sweep merge " + campaign_dir.string() + " --db " +
                        (dir / "all.db").string());
    EXPECT_EQ(merge.exit_code, 3);
    EXPECT_NE(merge.output.find("--replace"), std::string::npos) << merge.output;

    auto report = run_command(test::evtwin_command() + " sweep report " + campaign_dir.string() +
                              " --kpis energy_cost,peak_import");
    ASSERT_EQ(report.exit_code, 0) << report.output;
    EXPECT_NE(report.output.find("edf           cap_kw=30   3  "), std::string::npos) << report.output;
    const std::string csv = test::read_file(campaign_dir / "report.csv");
    EXPECT_EQ(csv.rfind("scenario,strategy,cap_kw,kpi,unit,n,mean,sd,ci95_low,ci95_high\n", 0), 0u) << csv;
    EXPECT_NE(csv.find("small_site.lua,edf,30,peak_import,kW,3,"), std::string::npos) << csv;

    // The report's numbers are the runs' own: edf at 30 kW is runs 7, 9 and 11.
    std::vector<double> peaks;
    for (std::size_t i : {7, 9, 11}) {
        const RunReader reader(campaign.result_file(i));
        for (const auto& k : reader.kpis(reader.runs().at(0).id))
            if (k.name == "peak_import") peaks.push_back(k.value);
    }
    const auto report_data = sweep::build_report(campaign);
    const auto& row = report_data.rows[3];
    ASSERT_EQ(row.strategy, "edf");
    ASSERT_EQ(row.params.at("cap_kw"), "30");
    EXPECT_DOUBLE_EQ(row.kpis.at("peak_import").mean, sweep::kpi_stats(peaks).mean);
}

TEST(SweepCommand, ACampaignGrowsWithoutRenumbering) {
    const auto dir = test::temp_dir("sweep-grow");
    const auto campaign_dir = dir / "campaign";
    auto file = write_sweep(
        dir,
        R"(sweep { name = "grow", scenarios = { "small_site.lua" }, strategies = { "edf" }, seeds = { 1, 2 } })");
    ASSERT_EQ(run_command(test::evtwin_command() + " sweep plan " + file.string() + " --out " +
                          campaign_dir.string())
                  .exit_code,
              0);
    const auto before = sweep::Campaign::open(campaign_dir);
    file = write_sweep(
        dir,
        R"(sweep { name = "grow", scenarios = { "small_site.lua" }, strategies = { "fcfs", "edf" }, seeds = { 2, 3 } })");
    const auto plan = run_command(test::evtwin_command() + " sweep plan " + file.string() + " --out " +
                                  campaign_dir.string());
    ASSERT_EQ(plan.exit_code, 0) << plan.output;
    EXPECT_NE(plan.output.find("(3 new, 1 kept, 1 no longer in the sweep file"), std::string::npos)
        << plan.output;
    const auto after = sweep::Campaign::open(campaign_dir);
    ASSERT_EQ(after.runs().size(), 5u);
    for (std::size_t i = 0; i < before.runs().size(); ++i)
        EXPECT_EQ(after.runs()[i].key, before.runs()[i].key);
    EXPECT_FALSE(after.runs()[0].in_sweep);  // edf seed 1
    EXPECT_TRUE(after.runs()[1].in_sweep);   // edf seed 2

    const auto other = write_sweep(
        dir / "other",
        R"(sweep { name = "other", scenarios = { "small_site.lua" }, strategies = { "edf" }, seeds = { 1 } })");
    const auto refused = run_command(test::evtwin_command() + " sweep plan " + other.string() + " --out " +
                                     campaign_dir.string());
    EXPECT_EQ(refused.exit_code, 3);
    EXPECT_NE(refused.output.find("holds the campaign of sweep 'grow'"), std::string::npos) << refused.output;
}

TEST(SweepCommand, PlanRefusesWhatCannotRun) {
    const auto dir = test::temp_dir("sweep-refused");
    auto plan = [&](const std::string& body) {
        const auto file = write_sweep(dir, body);
        std::filesystem::remove_all(dir / "campaign");
        return run_command(test::evtwin_command() + " sweep plan " + file.string() + " --out " +
                           (dir / "campaign").string());
    };
    auto r = plan(
        R"(sweep { name = "x", scenarios = { "small_site.lua" }, strategies = { "edf", "no_such_strategy" }, seeds = { 1 } })");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.output.find("run scenario=small_site.lua|strategy=no_such_strategy|seed=1: "),
              std::string::npos)
        << r.output;
    r = plan(
        R"(sweep { name = "x", scenarios = { "small_site.lua" }, strategies = { "edf" }, seeds = { 1 }, params = { cap_kw = { 10, -5 } } })");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.output.find("cap_kw=-5: "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("small_site.lua:4"), std::string::npos) << r.output;
    r = plan(
        R"(sweep { name = "x", scenarios = { "small_site.lua" }, strategies = { "edf" }, seeds = { 1 }, params = { nope = { 1 } } })");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.output.find("-D nope: the scenario has no such param()"), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "campaign" / "campaign.db"));
    r = run_command(test::evtwin_command() + " sweep status " + dir.string());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.output.find("no campaign here"), std::string::npos) << r.output;
}

TEST(SweepCommand, CtrlCKeepsFinishedRunsAndLeavesNoPartialFile) {
    const auto dir = test::temp_dir("sweep-interrupt");
    const auto file =
        test::write_file(dir / "sweep.lua", R"(sweep { name = "stop", scenarios = { ")" +
                                                test::source_file("scenarios/quickstart.lua").string() +
                                                R"(" }, strategies = { "edf" }, seeds = range(1, 40) })");
    const auto campaign_dir = dir / "campaign";
    ASSERT_EQ(run_command(test::evtwin_command() + " sweep plan " + file.string() + " --out " +
                          campaign_dir.string() + " --no-check")
                  .exit_code,
              0);
    // One SIGINT to the pool's process group, as Ctrl-C on a terminal sends, once a run has finished:
    // running runs stop, no new one starts. (timeout(1) would signal the pool twice, and a second
    // SIGINT ends it at once.)
    const std::string finished = (campaign_dir / "runs").string() + "/*.db";
    const auto r = run_command("sh -c 'setsid " + test::evtwin_command() + " sweep run " +
                               campaign_dir.string() + " --jobs 2 & for i in $(seq 1200); do ls " + finished +
                               " >/dev/null 2>&1 && break; sleep 0.05; done; kill -INT -$!; wait $!'");
    EXPECT_EQ(r.exit_code, 130) << r.output;
    EXPECT_NE(r.output.find("not run (interrupted)"), std::string::npos) << r.output;
    const auto campaign = sweep::Campaign::open(campaign_dir);
    std::size_t done = 0;
    for (const auto& entry : std::filesystem::directory_iterator(campaign_dir / "runs")) {
        EXPECT_EQ(entry.path().string().find(".part"), std::string::npos) << entry.path();
        if (entry.path().extension() != ".db") continue;
        ++done;
        const RunReader reader(entry.path());
        EXPECT_EQ(reader.runs().at(0).status, RunStatus::complete) << entry.path();
    }
    EXPECT_GT(done, 0u);
    EXPECT_LT(done, 40u);
}

}  // namespace
}  // namespace evtwin
