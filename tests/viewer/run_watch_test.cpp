// A run the viewer shows while it is written: RunWatch loads it again after each commit, not
// between them, and stops watching once the run has ended.
#include "viewer/data/run_watch.hpp"
#include "record/tiny_run.hpp"
#include "record/writer/sqlite_run_writer.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin::viewer {
namespace {

using test::at_h;

TEST(RunWatch, LoadsTheRunAgainAfterEachCommitUntilItEnds) {
    const auto file = test::temp_dir("viewer_run_watch") / "live.db";
    SqliteRunWriter writer(file);
    const ScenarioSpec spec = test::tiny_spec();
    writer.begin_run(test::tiny_info(), spec);
    writer.connector_sample(at_h(0), 0, 11.0, 0.2, PilotState::C);
    writer.flush();

    RunData shown = RunData::load(file);
    EXPECT_EQ(shown.run.status, RunStatus::running);
    RunWatch watch(shown);
    EXPECT_TRUE(watch.watching());
    ASSERT_TRUE(watch.poll());   // the first look loads whatever the file holds
    EXPECT_FALSE(watch.poll());  // nothing committed since

    writer.connector_sample(at_h(1), 0, 7.0, 0.5, PilotState::C);
    writer.event(at_h(1), EventKind::arrival, 1, 2, "");
    EXPECT_FALSE(watch.poll());  // written, not committed: a reader sees nothing new
    writer.flush();
    std::optional<RunData> fresh = watch.poll();
    ASSERT_TRUE(fresh);
    EXPECT_EQ(fresh->run.status, RunStatus::running);
    EXPECT_EQ(fresh->connectors[0].t.size(), shown.connectors[0].t.size() + 1);
    EXPECT_EQ(fresh->events.size(), shown.events.size() + 1);
    EXPECT_DOUBLE_EQ(fresh->connector_at(0, at_h(1.5)).kw, 7.0);
    EXPECT_TRUE(watch.watching());

    writer.end_run(at_h(2), true);
    fresh = watch.poll();
    ASSERT_TRUE(fresh);
    EXPECT_EQ(fresh->run.status, RunStatus::interrupted);
    EXPECT_FALSE(watch.watching());
    EXPECT_FALSE(watch.poll());
}

// The run ended after the viewer loaded it but before the watch began: the first look sees it end.
TEST(RunWatch, ARunThatEndsBeforeTheWatchBeginsIsSeenToEnd) {
    const auto file = test::temp_dir("viewer_run_watch_race") / "live.db";
    SqliteRunWriter writer(file);
    const ScenarioSpec spec = test::tiny_spec();
    writer.begin_run(test::tiny_info(), spec);
    writer.flush();
    const RunData shown = RunData::load(file);
    writer.end_run(at_h(1), false);
    RunWatch watch(shown);
    const std::optional<RunData> fresh = watch.poll();
    ASSERT_TRUE(fresh);
    EXPECT_EQ(fresh->run.status, RunStatus::complete);
    EXPECT_FALSE(watch.watching());
}

TEST(RunWatch, AFinishedRunIsNotWatched) {
    const auto file = test::temp_dir("viewer_run_watch_done") / "done.db";
    {
        SqliteRunWriter writer(file);
        test::write_tiny_run(writer, test::tiny_spec());
    }
    RunWatch watch(RunData::load(file));
    EXPECT_FALSE(watch.watching());
    EXPECT_FALSE(watch.poll());
}

}  // namespace
}  // namespace evtwin::viewer
