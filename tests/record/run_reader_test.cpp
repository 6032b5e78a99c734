#include "record/run_reader.hpp"
#include "record/exec_sql.hpp"
#include "record/sqlite_run_writer.hpp"
#include "record/tiny_run.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

using test::error_of;
using test::exec_sql;

std::string open_error(const std::filesystem::path& file) {
    return error_of<ResultsError>([&] { RunReader reader(file); });
}

TEST(RunReader, MissingFile) {
    const auto file = test::temp_dir("reader-missing") / "nothing.db";
    const std::string msg = open_error(file);
    EXPECT_NE(msg.find("no such results database"), std::string::npos) << msg;
    EXPECT_FALSE(std::filesystem::exists(file));  // reading never creates a file
}

TEST(RunReader, NotSqlite) {
    const auto file = test::temp_dir("reader-text") / "run.db";
    test::write_file(file,
                     "time,kw\n0,1\n1,2\n3,4 and some more bytes to pass a 100-byte header ..............\n");
    const std::string msg = open_error(file);
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("not an SQLite database"), std::string::npos) << msg;
}

TEST(RunReader, EmptyAndForeignSqlite) {
    const auto dir = test::temp_dir("reader-foreign");
    const auto empty = dir / "empty.db";
    test::write_file(empty, "");
    EXPECT_NE(open_error(empty).find("not an evtwin results database"), std::string::npos) << open_error(empty);
    const auto other = dir / "other.db";
    exec_sql(other, "CREATE TABLE runs (x)");
    EXPECT_NE(open_error(other).find("not an evtwin results database"), std::string::npos) << open_error(other);
}

TEST(RunReader, OlderAndNewerSchema) {
    const auto dir = test::temp_dir("reader-version");
    const auto file = dir / "run.db";
    {
        const ScenarioSpec spec = test::tiny_spec();
        SqliteRunWriter writer(file);
        test::write_tiny_run(writer, spec);
    }
    EXPECT_EQ(open_error(file), "(no ResultsError)");
    exec_sql(file, "PRAGMA user_version = 7");
    std::string msg = open_error(file);
    EXPECT_NE(msg.find("schema version 7"), std::string::npos) << msg;
    EXPECT_NE(msg.find("use a newer evtwin"), std::string::npos) << msg;
    exec_sql(file, "PRAGMA user_version = 0");
    msg = open_error(file);
    EXPECT_NE(msg.find("schema version 0"), std::string::npos) << msg;
    EXPECT_NE(msg.find("re-run"), std::string::npos) << msg;
}

TEST(RunReader, ReadsWhileAnotherRunIsBeingWritten) {
    const auto file = test::temp_dir("reader-live") / "run.db";
    const ScenarioSpec spec = test::tiny_spec();
    SqliteRunWriter first(file);
    test::write_tiny_run(first, spec);
    SqliteRunWriter second(file, WriterOptions{1});
    second.begin_run(test::tiny_info(), spec);
    second.site_sample(test::at_h(0), test::site(1, 0, 0, 0, 0, 0, 1));
    RunReader reader(file);
    ASSERT_EQ(reader.runs().size(), 2u);
    EXPECT_EQ(reader.run(2).status, RunStatus::running);
    EXPECT_EQ(reader.site_series(2).size(), 1u);
    EXPECT_EQ(reader.site_series(1).size(), 5u);
    second.end_run(test::at_h(1), false);
}

TEST(RunReader, RejectsUnknownStoredValues) {
    const auto file = test::temp_dir("reader-bad-value") / "run.db";
    {
        const ScenarioSpec spec = test::tiny_spec();
        SqliteRunWriter writer(file);
        test::write_tiny_run(writer, spec);
    }
    exec_sql(file, "UPDATE connector_series SET state = 'Z' WHERE connector = 1");
    RunReader reader(file);
    const std::string msg = error_of<ResultsError>([&] { reader.connector_series(1, 1); });
    EXPECT_NE(msg.find("connector_series, column state: unknown value 'Z'"), std::string::npos) << msg;
}

}  // namespace
}  // namespace evtwin
