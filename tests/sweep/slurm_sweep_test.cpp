// `evtwin sweep submit` on a real Slurm: a one-node cluster (munged, slurmctld, slurmd from Debian's
// slurm-wlm and munge) started by tests/sweep/slurm_cluster.sh, a sweep of 41 runs as a job array
// plus its merge job, every array task COMPLETED in sacct, the run made to fail recorded as failed,
// the merged database equal to the same runs made one after another. When the cluster cannot start,
// the test fails with the daemons' logs: it never passes by skipping.
#include "support/test_support.hpp"
#include "sweep/campaign.hpp"
#include "sweep/sweep_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>

namespace evtwin {
namespace {

using test::run_command;

class SlurmCluster {
public:
    explicit SlurmCluster(std::filesystem::path dir) : dir_(std::move(dir)) {
        std::filesystem::create_directories(dir_);
        // The daemons inherit the script's output: files, not the pipe run_command reads to its end.
        const auto r = run_command(script() + " start " + dir_.string() + " > " +
                                   (dir_ / "client.env").string() + " 2> " + (dir_ / "start.log").string());
        started_ = r.exit_code == 0;
        const std::string env = test::read_file(dir_ / "client.env");
        output_ = env + test::read_file(dir_ / "start.log");
        std::istringstream in(env);
        for (std::string line; std::getline(in, line);) {
            if (line.rfind("export ", 0) != 0) continue;
            const auto eq = line.find('=');
            env_ += line.substr(7, eq - 7) + "=" + line.substr(eq + 1) + " ";
        }
    }
    ~SlurmCluster() { run_command(script() + " stop " + dir_.string() + " > /dev/null 2>&1"); }

    bool started() const { return started_; }
    const std::string& output() const { return output_; }
    // A command line run against this cluster.
    test::CommandResult run(const std::string& command) const { return run_command("env " + env_ + command); }

private:
    static std::string script() { return test::source_file("tests/sweep/slurm_cluster.sh").string(); }
    std::filesystem::path dir_;
    bool started_ = false;
    std::string output_;
    std::string env_;
};

// The job ids `evtwin sweep submit` printed: "... array job 12, merge job 13 (...".
std::pair<std::string, std::string> job_ids(const std::string& output) {
    auto after = [&](const std::string& label) {
        const auto at = output.find(label);
        if (at == std::string::npos) return std::string();
        const auto from = at + label.size();
        return output.substr(from, output.find_first_not_of("0123456789", from) - from);
    };
    return {after("array job "), after("merge job ")};
}

TEST(SlurmSweep, AJobArrayRunsTheSweepAndTheMergeEqualsSerialRuns) {
    const auto dir = test::temp_dir("slurm-sweep");
    SlurmCluster cluster(dir / "cluster");
    ASSERT_TRUE(cluster.started()) << "the one-node Slurm cluster did not start:\n" << cluster.output();

    test::write_small_site(dir);
    const auto file = test::write_file(dir / "sweep.lua", R"(sweep {
  name = "slurm_small",
  scenarios = { "small_site.lua" },
  strategies = { "uncontrolled", "edf" },
  seeds = range(1, 10),
  params = { cap_kw = { 15, 30 } },
  runs = { { scenario = "small_site.lua", strategy = "edf", seed = 1, params = { fail = 1 } } },
}
)");
    const auto campaign_dir = dir / "campaign";
    const std::string evtwin = test::evtwin_binary().string();
    ASSERT_EQ(
        run_command(evtwin + " sweep plan " + file.string() + " --out " + campaign_dir.string()).exit_code,
        0);

    // 41 runs, 4 per array task: 11 tasks, at most 2 at once.
    const auto submit = cluster.run(evtwin + " sweep submit " + campaign_dir.string() +
                                    " --runs-per-task 4 --max-parallel 2 --db " + (dir / "all.db").string());
    ASSERT_EQ(submit.exit_code, 0) << submit.output;
    std::printf("%s", submit.output.c_str());
    const auto [array_job, merge_job] = job_ids(submit.output);
    ASSERT_FALSE(array_job.empty() || merge_job.empty()) << submit.output;

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(8);
    for (;;) {
        const auto queue = cluster.run("squeue -h -j " + array_job + "," + merge_job);
        if (queue.exit_code == 0 && queue.output.find_first_not_of(" \n") == std::string::npos) break;
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "jobs still queued:\n" << queue.output;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    // Accounting may lag the queue by a moment.
    test::CommandResult sacct;
    for (int tries = 0; tries < 40; ++tries) {
        sacct = cluster.run("sacct -j " + array_job + " -X -n -P -o JobID,State,ExitCode");
        if (sacct.output.find("PENDING") == std::string::npos &&
            sacct.output.find("RUNNING") == std::string::npos &&
            std::count(sacct.output.begin(), sacct.output.end(), '\n') >= 11)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    std::printf("sacct -j %s:\n%s", array_job.c_str(), sacct.output.c_str());
    std::istringstream lines(sacct.output);
    int tasks = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        ++tasks;
        EXPECT_NE(line.find("|COMPLETED|0:0"), std::string::npos) << line;
    }
    EXPECT_EQ(tasks, 11) << sacct.output;
    const auto merge_state = cluster.run("sacct -j " + merge_job + " -X -n -P -o JobID,State");
    EXPECT_NE(merge_state.output.find("COMPLETED"), std::string::npos) << merge_state.output;

    const auto status = run_command(evtwin + " sweep status " + campaign_dir.string());
    EXPECT_EQ(status.exit_code, 1) << status.output;
    EXPECT_NE(status.output.find("41 runs: 40 done, 1 failed, 0 missing"), std::string::npos)
        << status.output;
    EXPECT_NE(status.output.find("failed 40: "), std::string::npos) << status.output;
    const auto campaign = sweep::Campaign::open(campaign_dir);
    EXPECT_EQ(test::compare_with_serial_runs(campaign, dir / "all.db", dir / "serial.db"), "");

    // Submitting again sends only the failed run.
    const auto again =
        cluster.run(evtwin + " sweep submit " + campaign_dir.string() + " --db " + (dir / "all.db").string());
    EXPECT_EQ(again.exit_code, 0) << again.output;
    EXPECT_NE(again.output.find("1 runs in 1 array tasks"), std::string::npos) << again.output;
    const auto [again_array, again_merge] = job_ids(again.output);
    cluster.run("scancel " + again_array + " " + again_merge);
}

}  // namespace
}  // namespace evtwin
