// The forecast{} block and --forecast: who forecasts what, with the same checks (and file:line
// messages) as every other block.
#include "scenario_test_util.hpp"

#include <gmock/gmock.h>

namespace evtwin::test {
namespace {

using ::testing::HasSubstr;

TEST(ForecastBlock, EveryKeyIsRead) {
    const ScenarioSpec spec = load_scenario(write_scenario(
        "forecast-all",
        std::string(kHeader) +
            "forecast { pv = \"lstm:models/pv.pt\", load = { \"noisy\", noise = 0.1 },\n"
            "           demand = \"seasonal_naive\", holidays = \"nl\", history = days(14) }\n"));
    EXPECT_EQ(spec.forecast.pv.name, "lstm");
    EXPECT_EQ(spec.forecast.pv.options.at("arg"), "models/pv.pt");
    EXPECT_EQ(spec.forecast.load.name, "noisy");
    EXPECT_EQ(spec.forecast.load.options.at("noise"), "0.1");
    EXPECT_EQ(spec.forecast.demand.name, "seasonal_naive");
    EXPECT_TRUE(spec.forecast.demand.options.empty());
    EXPECT_EQ(spec.forecast.holidays, "nl");
    EXPECT_EQ(spec.forecast.history, Duration::days(14));
}

TEST(ForecastBlock, PerfectUnlessNamed) {
    const ScenarioSpec spec = load_scenario(write_scenario("forecast-none", kHeader));
    for (ForecastTarget t : {ForecastTarget::pv, ForecastTarget::load, ForecastTarget::demand})
        EXPECT_EQ(spec.forecast.choice(t).name, "perfect");
    EXPECT_TRUE(spec.forecast.history_sessions.empty());
}

TEST(ForecastBlock, CommandLineOverridesTheScenario) {
    ScenarioLoadOptions options;
    options.forecast = {{"pv", "persistence"}, {"demand", "tft:jpl.pt"}};
    const ScenarioSpec spec = load_scenario(
        write_scenario("forecast-cli", std::string(kHeader) + "forecast { pv = \"noisy\" }\n"), options);
    EXPECT_EQ(spec.forecast.pv.name, "persistence");
    EXPECT_EQ(spec.forecast.demand.name, "tft");
    EXPECT_EQ(spec.forecast.demand.options.at("arg"), "jpl.pt");
    options.forecast = {{"solar", "persistence"}};
    EXPECT_THAT(
        load_error(write_scenario("forecast-cli-bad", kHeader), options),
        HasSubstr(
            "--forecast solar=persistence: unknown forecast target 'solar': expected pv, load or demand"));
}

TEST(ForecastBlock, HistorySessionsComeFromBeforeTheStart) {
    const ScenarioSpec spec = load_scenario(
        write_scenario("forecast-history",
                       "scenario { name = \"jpl\", timezone = \"America/Los_Angeles\", start = "
                       "\"2019-05-20\", duration = days(1) }\n"
                       "grid { import_kw = 1000 }\n"
                       "tariff { file = data(\"tariffs/pge_a10_tou_aug_2019.json\") }\n"
                       "charger { name = \"c\", max_kw = 7 }\n"
                       "arrivals.acn_csv { file = data(\"sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz\") }\n"
                       "forecast { demand = \"persistence\", history = days(7), holidays = \"us\" }\n"));
    ASSERT_FALSE(spec.forecast.history_sessions.empty());
    EXPECT_GE(spec.forecast.history_sessions.front().arrival, spec.start - Duration::days(7));
    EXPECT_LT(spec.forecast.history_sessions.back().arrival, spec.start);
    EXPECT_GE(spec.sessions.front().arrival, spec.start);
}

TEST(ForecastBlock, BadBlocksNameTheLine) {
    const auto error = [](const std::string& name, const std::string& block) {
        return load_error(write_scenario(name, std::string(kHeader) + block));
    };
    EXPECT_THAT(error("fb1", "forecast { solar = \"perfect\" }\n"),
                HasSubstr(":4: forecast: unknown key 'solar'"));
    EXPECT_THAT(error("fb2", "forecast { pv = { noise = 0.1 } }\n"),
                HasSubstr("'pv' needs the forecaster's name first"));
    EXPECT_THAT(error("fb3", "forecast { pv = { \"noisy\", noise = -1 } }\n"),
                HasSubstr("noise must be a number from 0 to 10"));
    EXPECT_THAT(error("fb3b", "forecast { pv = { \"noisy\", noise = 1e300 } }\n"),
                HasSubstr("noise must be a number from 0 to 10, got '1e+300'"));
    EXPECT_THAT(error("fb4", "forecast { pv = \"\" }\n"), HasSubstr("a forecaster needs a name"));
    EXPECT_THAT(error("fb5", "forecast { holidays = \"mars\" }\n"),
                HasSubstr("unknown holiday calendar 'mars'"));
    EXPECT_THAT(error("fb6", "forecast { pv = 3 }\n"), HasSubstr("'pv'"));
    EXPECT_THAT(error("fb7", "forecast { }\nforecast { }\n"), HasSubstr(":5: forecast: declared twice"));
}

}  // namespace
}  // namespace evtwin::test
