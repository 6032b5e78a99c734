#include "record/reader/run_reader.hpp"
#include "record/exec_sql.hpp"
#include "record/health_run.hpp"
#include "record/schema/schema.hpp"
#include "record/tiny_run.hpp"
#include "record/writer/sqlite_run_writer.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

using test::error_of;
using test::exec_sql;

std::string open_error(const std::filesystem::path& file) {
    return error_of<ResultsError>([&] { RunReader reader(file); });
}

TEST(RunReader, BatteryGradesWithTheirSubScoresInOrder) {
    const auto file = test::write_health_run(test::temp_dir("reader-grades") / "run.db");
    const RunReader reader(file);
    const auto grades = reader.battery_grades(1);
    ASSERT_EQ(grades.size(), 2u);
    EXPECT_EQ(grades[0].battery, "ess:battery");
    EXPECT_EQ(grades[1].battery, "ev:car-7");
    // What was stored is what grading gives.
    const auto graded = grade_run_batteries(reader, 1);
    ASSERT_EQ(graded.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_DOUBLE_EQ(grades[i].score, graded[i].grade.score);
        EXPECT_EQ(grades[i].grade, graded[i].grade.grade);
        ASSERT_EQ(grades[i].sub_scores.size(), graded[i].grade.sub_scores.size());
        for (std::size_t k = 0; k < grades[i].sub_scores.size(); ++k) {
            EXPECT_EQ(grades[i].sub_scores[k].name, graded[i].grade.sub_scores[k].name);
            EXPECT_DOUBLE_EQ(grades[i].sub_scores[k].score, graded[i].grade.sub_scores[k].score);
            EXPECT_DOUBLE_EQ(grades[i].sub_scores[k].weight, graded[i].grade.sub_scores[k].weight);
            EXPECT_EQ(grades[i].sub_scores[k].reason, graded[i].grade.sub_scores[k].reason);
        }
    }
    EXPECT_NE(grades[0].grade, grades[1].grade) << "car-7 is below its expected SoH";
    // Before grading (as the simulator leaves a run) and without batteries, no grades.
    const auto ungraded = test::write_health_run(test::temp_dir("reader-ungraded") / "run.db", false);
    EXPECT_EQ(RunReader(ungraded).battery_health(1).size(), 2u);
    EXPECT_TRUE(RunReader(ungraded).battery_grades(1).empty());
    const auto plain = test::temp_dir("reader-no-batteries") / "run.db";
    {
        SqliteRunWriter writer(plain);
        test::write_tiny_run(writer, test::tiny_spec());
    }
    EXPECT_TRUE(RunReader(plain).battery_grades(1).empty());
    EXPECT_THROW(RunReader(plain).battery_grades(5), ResultsError);
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
    EXPECT_NE(open_error(empty).find("not an evtwin results database"), std::string::npos)
        << open_error(empty);
    const auto other = dir / "other.db";
    exec_sql(other, "CREATE TABLE runs (x)");
    EXPECT_NE(open_error(other).find("not an evtwin results database"), std::string::npos)
        << open_error(other);
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
    const std::string newer = std::to_string(results_schema::kVersion + 1);
    exec_sql(file, ("PRAGMA user_version = " + newer).c_str());
    std::string msg = open_error(file);
    EXPECT_NE(msg.find("schema version " + newer), std::string::npos) << msg;
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
