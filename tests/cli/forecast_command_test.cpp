// `evtwin forecast eval` as a user runs it: the table on real PV data, and bad input.
#include "record/schema/sqlite_db.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace evtwin {
namespace {

using test::run_command;

std::string eval(const std::string& options) {
    return test::evtwin_binary().string() +
           " forecast eval --target pv --data pv/pv_netherlands_2019_hourly.csv " + options;
}

TEST(ForecastCommand, ScoresTheBaselinesOnAHeldOutSpan) {
    const auto db = test::temp_dir("forecast-eval") / "eval.db";
    const auto r = run_command(eval("--from 2019-10-01 --to 2019-10-15 --db " + db.string()));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("\npersistence "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("\nseasonal_naive "), std::string::npos) << r.output;
    sqlite::Db d(db, sqlite::Db::Mode::read_only);
    // Two models, one channel, 24 lead steps and the whole horizon each.
    EXPECT_EQ(d.query_int("SELECT COUNT(*) FROM forecast_eval"), 2 * 25);
    EXPECT_EQ(d.query_int("SELECT COUNT(*) FROM forecast_eval WHERE lead_step IS NULL AND points = 14 * 24"),
              2);
    EXPECT_EQ(
        d.query_int("SELECT COUNT(*) FROM forecast_eval WHERE model = 'seasonal_naive' AND lead_step IS NULL "
                    "AND skill_vs_seasonal_naive = 0"),
        1);
    EXPECT_EQ(d.query_int("SELECT COUNT(*) FROM forecast_eval WHERE mae < 0 OR coverage_p10_p90 > 1"), 0);
    // October's nights are dark and inside both baselines' intervals: without them the share is less.
    EXPECT_EQ(d.query_int("SELECT COUNT(*) FROM forecast_eval WHERE lead_step IS NULL AND "
                          "coverage_p10_p90_nonzero < coverage_p10_p90"),
              2);
    EXPECT_EQ(d.query_int("SELECT COUNT(*) FROM forecast_eval WHERE lead_step = 0 AND "
                          "coverage_p10_p90_nonzero IS NULL"),
              2);  // midnight UTC
}

// A table an earlier evtwin wrote, without the coverage of the non-zero points, gets the column.
TEST(ForecastCommand, AddsToATableWithoutTheNewestColumn) {
    const auto db = test::temp_dir("forecast-eval-old") / "eval.db";
    {
        sqlite::Db d(db, sqlite::Db::Mode::read_write_create);
        d.exec(
            "CREATE TABLE forecast_eval (target TEXT NOT NULL, model TEXT NOT NULL, data TEXT NOT NULL, "
            "channel TEXT NOT NULL, eval_from TEXT NOT NULL, eval_to TEXT NOT NULL, origin_every_h REAL "
            "NOT NULL, horizon_h REAL NOT NULL, step_min REAL NOT NULL, lead_step INTEGER, points INTEGER "
            "NOT NULL, mae REAL, rmse REAL, smape_pct REAL, pinball_p10 REAL, pinball_p50 REAL, "
            "pinball_p90 REAL, coverage_p10_p90 REAL, skill_vs_seasonal_naive REAL, skill_vs_persistence "
            "REAL)");
    }
    const auto r = run_command(eval("--from 2019-10-01 --to 2019-10-15 --db " + db.string()));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    sqlite::Db d(db, sqlite::Db::Mode::read_only);
    EXPECT_EQ(d.query_int("SELECT COUNT(*) FROM forecast_eval WHERE lead_step IS NULL AND "
                          "coverage_p10_p90_nonzero BETWEEN 0 AND 1"),
              2);
}

TEST(ForecastCommand, BadInputSaysWhatIsWrong) {
    auto r = run_command(eval("--from 2019-10-15 --to 2019-10-01"));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("--from must come before --to"), std::string::npos) << r.output;

    r = run_command(eval("--from 2019-10-01 --to 2019-10-15 --horizon-h 1e300"));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("--horizon-h expects at most 744, got '1e300'"), std::string::npos) << r.output;

    r = run_command(test::evtwin_binary().string() +
                    " forecast eval --target pv --data pv/missing.csv --from 2019-10-01 --to 2019-10-15");
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_NE(r.output.find("no file pv/missing.csv"), std::string::npos) << r.output;

    r = run_command(eval("--from 2019-01-05 --to 2019-01-20"));
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_NE(r.output.find("needs 168 steps of history"), std::string::npos) << r.output;

    r = run_command(eval("--from 2019-10-01 --to 2019-10-15 --model nothing_like_this"));
    EXPECT_EQ(r.exit_code, 4) << r.output;
    EXPECT_NE(r.output.find("no forecaster plugin named 'nothing_like_this'"), std::string::npos) << r.output;

    r = run_command(eval("--from 2019-10-01 --to 2019-10-15 --model perfect"));
    EXPECT_EQ(r.exit_code, 2) << r.output;

    r = run_command(test::evtwin_binary().string() + " forecast eval --target sun --data x --from a --to b");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("unknown forecast target 'sun'"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace evtwin
