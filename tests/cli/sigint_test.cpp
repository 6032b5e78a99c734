// Ctrl-C on `evtwin run` and `evtwin compare`: exit 130, the run in progress marked interrupted in
// its database, and what was written before readable. The signal is sent once the database holds the
// run's row with status running: the commands install their SIGINT handler before they write it, so a
// signal sent then is never lost (one sent earlier could end the process, or be ignored where the
// shell started it with SIGINT ignored), and no test depends on how fast the machine is.
#include "record/reader/run_reader.hpp"
#include "record/schema/sqlite_db.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace evtwin {
namespace {

using namespace std::chrono_literals;

// The runs of `db`, or none while it does not exist yet or is half made.
std::vector<RunRecord> runs_of(const std::filesystem::path& db) {
    if (!std::filesystem::exists(db)) return {};
    try {
        return RunReader(db).runs();
    } catch (const std::exception&) {
        return {};
    }
}

bool has_status(const std::vector<RunRecord>& runs, RunStatus status) {
    return std::any_of(runs.begin(), runs.end(), [&](const RunRecord& r) { return r.status == status; });
}

// Rows of `table` the run has committed so far (the writer commits in batches).
std::int64_t committed_rows(const std::filesystem::path& db, const std::string& table, RunId run) {
    try {
        sqlite::Db d(db, sqlite::Db::Mode::read_only);
        return d.query_int("SELECT count(*) FROM " + table + " WHERE run_id = " + std::to_string(run));
    } catch (const std::exception&) {
        return 0;
    }
}

// Sends SIGINT once the command is ready for it (else SIGKILL: a signal it might not handle would
// leave the test waiting for a year of simulation), then waits for the process to end.
int interrupt(const test::Background& child, bool ready) {
    ::kill(child.pid, ready ? SIGINT : SIGKILL);
    return test::wait_for_exit(child);
}

TEST(Sigint, RunStopsMidRunKeepingWhatItWrote) {
    const auto dir = test::temp_dir("sigint-run");
    const auto db = dir / "year.db";
    // A year of 200 chargers: seconds of work, so the signal lands mid-run.
    const auto child =
        test::start_background({test::evtwin_binary().string(), "run",
                                test::source_file("bench/scenarios/year_200_chargers.lua").string(),
                                "--strategy", "edf", "--db", db.string()},
                               dir / "out.txt");
    const bool running = test::wait_until([&] { return has_status(runs_of(db), RunStatus::running); }, 120s);
    // Well into the run: its first batch of series rows is committed.
    const bool progressed =
        running && test::wait_until([&] { return committed_rows(db, "site_series", 1) > 0; }, 120s);
    const int exit_code = interrupt(child, progressed);
    const std::string output = test::read_file(child.output);
    ASSERT_TRUE(running) << "no run row with status running\n" << output;
    ASSERT_TRUE(progressed) << "no series row committed\n" << output;

    EXPECT_EQ(exit_code, 130) << output;
    EXPECT_NE(output.find("interrupted: run 1 in " + db.string()), std::string::npos) << output;
    const RunReader reader(db);
    const auto runs = reader.runs();
    ASSERT_EQ(runs.size(), 1u);
    const RunRecord& run = runs[0];
    EXPECT_EQ(run.status, RunStatus::interrupted);
    ASSERT_TRUE(run.ended);
    EXPECT_GT(*run.ended, run.start);
    EXPECT_LT(*run.ended, run.end);
    const auto site = reader.site_series(run.id);
    ASSERT_FALSE(site.empty());
    EXPECT_LE(site.back().t, *run.ended);
    EXPECT_FALSE(reader.sessions(run.id).empty());
    EXPECT_FALSE(reader.events(run.id).empty());
    EXPECT_FALSE(reader.kpis(run.id).empty());  // computed over what the run simulated
}

TEST(Sigint, CompareStopsKeepingTheRunsDone) {
    const auto dir = test::temp_dir("sigint-compare");
    const auto db = dir / "i.db";
    const auto child = test::start_background(
        {test::evtwin_binary().string(), "compare", test::source_file("scenarios/quickstart.lua").string(),
         "--strategies", "uncontrolled,edf", "--seeds", "5000", "--db", db.string()},
        dir / "out.txt");
    // A run complete and the next one running: the signal stops a comparison in its middle.
    const bool ready = test::wait_until(
        [&] {
            const auto runs = runs_of(db);
            return has_status(runs, RunStatus::complete) && runs.back().status == RunStatus::running;
        },
        120s);
    const int exit_code = interrupt(child, ready);
    const std::string output = test::read_file(child.output);
    ASSERT_TRUE(ready) << "never a complete run followed by a running one\n" << output;

    EXPECT_EQ(exit_code, 130) << output;
    EXPECT_NE(output.find("interrupted: "), std::string::npos) << output;
    const RunReader reader(db);
    const auto runs = reader.runs();
    ASSERT_GE(runs.size(), 2u);
    EXPECT_LT(runs.size(), 10000u);
    EXPECT_EQ(runs.back().status, RunStatus::interrupted);
    for (std::size_t i = 0; i + 1 < runs.size(); ++i) {
        EXPECT_EQ(runs[i].status, RunStatus::complete) << runs[i].id;
        EXPECT_FALSE(reader.kpis(runs[i].id).empty()) << runs[i].id;
    }
}

}  // namespace
}  // namespace evtwin
