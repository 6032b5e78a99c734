// The results writer when something goes wrong: a failed write, an interrupted or abandoned run, a
// bad call, a foreign file or another schema version.
#include "record/exec_sql.hpp"
#include "record/reader/run_reader.hpp"
#include "record/schema/sqlite_db.hpp"
#include "record/tiny_run.hpp"
#include "record/writer/sqlite_run_writer.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

using test::at_h;
using test::write_tiny;

TEST(SqliteRunWriter, AWriteThatFailsBehindIsThrownAtTheNextCall) {
    const auto file = test::temp_dir("behind-fails") / "run.db";
    WriterOptions options;
    options.rows_per_commit = 1;
    options.write_behind = true;
    auto writer_holder = std::make_unique<SqliteRunWriter>(file, options);
    SqliteRunWriter& writer = *writer_holder;
    const ScenarioSpec spec = test::tiny_spec();
    writer.begin_run(test::tiny_info(), spec);
    writer.site_sample(at_h(0), test::site(2, 0, 0, 0, 0, 0.5, 2));
    BatteryUsage usage;
    usage.battery = "ev:A";
    usage.chemistry = "nmc";
    usage.soh_end = std::nan("");  // refused by SQLite's binding, on the thread
    writer.battery_health(usage);
    const std::string message = test::error_of<ResultsError>([&] { writer.flush(); });
    EXPECT_NE(message.find("refusing to store NaN"), std::string::npos) << message;
    EXPECT_NE(message.find("battery_health"), std::string::npos) << message;
    writer.site_sample(at_h(1), test::site(3, 0, 0, 0, 0, 0.5, 3));
    writer_holder.reset();  // the run ends failed, with every row but the one refused
    RunReader reader(file);
    EXPECT_EQ(reader.run(1).status, RunStatus::failed);
    EXPECT_EQ(reader.site_series(1).size(), 2u);
}

TEST(SqliteRunWriter, ARunThatCannotBeBegunBehindFailsAtTheNextCallAndWritesNothing) {
    const auto file = test::temp_dir("behind-begin-fails") / "run.db";
    WriterOptions options;
    options.write_behind = true;
    auto writer_holder = std::make_unique<SqliteRunWriter>(file, options);
    SqliteRunWriter& writer = *writer_holder;
    writer.db();  // waits until the thread has set the file up
    sqlite::Db other(file, sqlite::Db::Mode::read_write_create);
    other.exec("BEGIN IMMEDIATE");  // the writer's thread cannot write the run
    const ScenarioSpec spec = test::tiny_spec();
    writer.begin_run(test::tiny_info(), spec);
    writer.site_sample(at_h(0), test::site(2, 0, 0, 0, 0, 0.5, 2));
    const std::string message = test::error_of<ResultsError>([&] { writer.flush(); });
    EXPECT_NE(message.find("locked"), std::string::npos) << message;
    other.exec("ROLLBACK");
    writer.site_sample(at_h(1), test::site(3, 0, 0, 0, 0, 0.5, 3));
    writer_holder.reset();  // no rows follow a run that was never written
    EXPECT_THROW(RunReader(file).run(1), ResultsError);
}

TEST(SqliteRunWriter, AFileThatCannotBeSetUpBehindFailsAtBeginRunWhichCanBeTriedAgain) {
    const auto file = test::temp_dir("behind-set-up-fails") / "run.db";
    sqlite::Db other(file, sqlite::Db::Mode::read_write_create);
    other.exec("BEGIN IMMEDIATE");  // the writer's thread, setting the file up at once, cannot
    WriterOptions options;
    options.write_behind = true;
    SqliteRunWriter writer(file, options);
    const std::string message =
        test::error_of<ResultsError>([&] { writer.begin_run(test::tiny_info(), test::tiny_spec()); });
    EXPECT_NE(message.find("locked"), std::string::npos) << message;
    other.exec("ROLLBACK");
    test::write_tiny_run(writer, test::tiny_spec());
    EXPECT_EQ(writer.run_id(), 1);
    EXPECT_EQ(RunReader(file).run(1).status, RunStatus::complete);
}

// Writing behind, the file is opened on the writer's thread: a foreign file is refused at begin_run
// (again at every try, the file left as it was), and the writer can be let go.
TEST(SqliteRunWriter, AForeignFileOpenedBehindIsRefusedAtBeginRun) {
    const auto other = test::temp_dir("foreign-behind") / "other.db";
    test::exec_sql(other, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    WriterOptions options;
    options.write_behind = true;
    SqliteRunWriter writer(other, options);
    EXPECT_EQ(writer.file(), other);
    for (int attempt = 0; attempt < 2; ++attempt) {
        const std::string message =
            test::error_of<ResultsError>([&] { writer.begin_run(test::tiny_info(), test::tiny_spec()); });
        EXPECT_NE(message.find("not an evtwin results database"), std::string::npos) << message;
        EXPECT_NE(message.find(other.string()), std::string::npos) << message;
    }
    EXPECT_EQ(sqlite::Db(other, sqlite::Db::Mode::read_only).query_int("SELECT x FROM t"), 1);
}

TEST(SqliteRunWriter, OneFileHoldsManyRuns) {
    const auto file = test::temp_dir("many") / "compare.db";
    const ScenarioSpec spec = test::tiny_spec();
    {
        SqliteRunWriter writer(file);
        test::write_tiny_run(writer, spec);
        EXPECT_EQ(writer.run_id(), 1);
        test::write_tiny_run(writer, spec);
        EXPECT_EQ(writer.run_id(), 2);
    }
    {
        SqliteRunWriter again(file);  // reopening adds to the file
        test::write_tiny_run(again, spec, 2.0);
        EXPECT_EQ(again.run_id(), 3);
    }
    RunReader reader(file);
    ASSERT_EQ(reader.runs().size(), 3u);
    EXPECT_EQ(reader.latest_run(), 3);
    EXPECT_EQ(reader.results_dump(1), reader.results_dump(2));
    EXPECT_EQ(reader.site_series(2).size(), 5u);
    EXPECT_EQ(reader.run(3).status, RunStatus::interrupted);
    EXPECT_THROW(reader.run(4), ResultsError);
    EXPECT_THROW(reader.sessions(9), ResultsError);
}

TEST(SqliteRunWriter, InterruptedRunIsReadableAndMarked) {
    const auto file = write_tiny("interrupted", 1.75);
    RunReader reader(file);
    const RunRecord r = reader.run(1);
    EXPECT_EQ(r.status, RunStatus::interrupted);
    ASSERT_TRUE(r.ended);
    EXPECT_EQ(*r.ended, at_h(1.75));
    EXPECT_EQ(r.data_end(), at_h(1.75));
    EXPECT_EQ(reader.site_series(1).size(), 3u);
    EXPECT_EQ(reader.sessions(1).size(), 1u);  // only the rejected session ended before 01:45
    EXPECT_EQ(reader.violations(1).size(), 1u);
}

TEST(SqliteRunWriter, WriterDestroyedMidRunLeavesAFailedButReadableRun) {
    const auto file = test::temp_dir("failed") / "run.db";
    {
        const ScenarioSpec spec = test::tiny_spec();
        SqliteRunWriter writer(file, WriterOptions{2});  // commit every 2 rows
        writer.begin_run(test::tiny_info(), spec);
        writer.site_sample(at_h(0), test::site(2, 0, 0, 0, 0, 0.5, 2));
        writer.site_sample(at_h(1), test::site(3, 0, 0, 0, 0, 0.5, 3));
        writer.site_sample(at_h(2), test::site(4, 0, 0, 0, 0, 0.5, 4));
        // A reader sees committed batches while the run is being written.
        RunReader live(file);
        EXPECT_EQ(live.run(1).status, RunStatus::running);
        EXPECT_EQ(live.site_series(1).size(), 2u);
    }
    RunReader reader(file);
    EXPECT_EQ(reader.run(1).status, RunStatus::failed);
    EXPECT_FALSE(reader.run(1).ended);
    EXPECT_EQ(reader.site_series(1).size(), 3u);
}

// What the caller adds at the end (the run's KPIs) is committed with the run's completion: a reader
// never sees a complete run without it.
TEST(SqliteRunWriter, RowsAddedAtTheEndAreCommittedWithTheCompletion) {
    const auto file = test::temp_dir("at_end") / "run.db";
    {
        SqliteRunWriter writer(file);
        writer.at_end([&](sqlite::Db& db, RunId run) {
            const RunReader outside(file);
            EXPECT_EQ(outside.run(run).status, RunStatus::running);
            sqlite::Stmt(
                db, "INSERT INTO kpis (run_id, name, position, value, unit) VALUES (?1, 'x', 1, 2.5, 'kWh')")
                .bind(1, run)
                .run();
            EXPECT_TRUE(outside.kpis(run).empty());
        });
        test::write_tiny_run(writer, test::tiny_spec());
    }
    const RunReader reader(file);
    EXPECT_EQ(reader.run(1).status, RunStatus::complete);
    const std::vector<Kpi> kpis = reader.kpis(1);
    ASSERT_EQ(kpis.size(), 1u);
    EXPECT_EQ(kpis[0].name, "x");
    EXPECT_EQ(kpis[0].value, 2.5);
}

TEST(SqliteRunWriter, AFailureAtTheEndLeavesAFailedRun) {
    const auto file = test::temp_dir("at_end_fails") / "run.db";
    {
        SqliteRunWriter writer(file);
        writer.at_end([](sqlite::Db&, RunId) { throw ResultsError("no KPIs"); });
        EXPECT_THROW(test::write_tiny_run(writer, test::tiny_spec()), ResultsError);
    }
    const RunReader reader(file);
    EXPECT_EQ(reader.run(1).status, RunStatus::failed);
    EXPECT_FALSE(reader.run(1).ended);
    EXPECT_TRUE(reader.kpis(1).empty());
    EXPECT_EQ(reader.site_series(1).size(), 5u);
}

// Whatever the journal, the same rows, and a finished file stands alone. Readers see the committed
// rows while the run goes on, and after the process died with more rows uncommitted than its cache
// holds, so that SQLite had spilled some into the file (or its WAL), the file holds the committed

TEST(SqliteRunWriter, RefusesBadCalls) {
    const auto file = test::temp_dir("bad-calls") / "run.db";
    const ScenarioSpec spec = test::tiny_spec();
    SqliteRunWriter writer(file);
    EXPECT_THROW(writer.site_sample(at_h(0), {}), ResultsError);  // before begin_run
    writer.begin_run(test::tiny_info(), spec);
    writer.site_sample(at_h(1), {});
    EXPECT_THROW(writer.site_sample(at_h(0.5), {}), ResultsError);  // back in time
    EXPECT_THROW(writer.connector_sample(at_h(1), 2, 0, 0, PilotState::A), ResultsError);
    EXPECT_THROW(writer.node_sample(at_h(1), 6, 0), ResultsError);
    EXPECT_THROW(writer.site_sample(at_h(1), test::site(std::nan(""), 0, 0, 0, 0, 0, 0)), ResultsError);
    EXPECT_THROW(writer.begin_run(test::tiny_info(), spec), ResultsError);
    writer.end_run(at_h(2), false);
}

// The message of the ResultsError that opening `file` for writing raises.
std::string writer_error(const std::filesystem::path& file) {
    return test::error_of<ResultsError>([&] { SqliteRunWriter writer(file); });
}

TEST(SqliteRunWriter, RefusesAForeignFileWithAClearMessage) {
    const auto dir = test::temp_dir("foreign");
    const auto text = dir / "notes.db";
    test::write_file(text, "this is not a database, just text that is long enough to look like a header\n");
    std::string msg = writer_error(text);
    EXPECT_NE(msg.find("not an SQLite database"), std::string::npos) << msg;
    EXPECT_NE(msg.find(text.string()), std::string::npos) << msg;
    // An SQLite database of someone else.
    const auto other = dir / "other.db";
    test::exec_sql(other, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    msg = writer_error(other);
    EXPECT_NE(msg.find("not an evtwin results database"), std::string::npos) << msg;
}

TEST(SqliteRunWriter, RefusesAnotherSchemaVersion) {
    const auto file = write_tiny("version");
    test::exec_sql(file, "PRAGMA user_version = 99");
    const std::string msg = writer_error(file);
    EXPECT_NE(msg.find("schema version 99"), std::string::npos) << msg;
    EXPECT_NE(msg.find("newer evtwin"), std::string::npos) << msg;
}

}  // namespace
}  // namespace evtwin
