// The runs row's config_json: valid JSON that holds the spec's settings, whatever the strings hold,
// with unlimited limits as null.
#include "record/writer/run_config_json.hpp"

#include "record/tiny_run.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace evtwin {
namespace {

ScenarioSpec awkward_spec() {
    ScenarioSpec s = test::tiny_spec();
    s.name = "quote \" backslash \\ newline \n tab \t bell \x07 and \xc3\xa9t\xc3\xa9";
    s.chargers[0].name = "A/\"1\"";
    s.phase_constraints = {{"I3a", {{0, 1.0}, {1, -0.5}}, 80.0}, {"pod", {{1, 0.25}}, kUnlimited}};
    s.decision_period_mode = true;
    s.acn_compatible = true;
    s.forecast.pv = {"persistence", {{"days", "7"}}};
    s.forecast.holidays = "kr";
    s.forecast.history = Duration::hours(48);
    s.strategy = "edf";
    s.strategy_options = {{"reserve_kw", "2.5"}, {"label", "x\"y"}};
    s.economics.v2g_price_factor = 1e-7;
    return s;
}

TEST(RunConfigJson, HoldsTheSpecAsJson) {
    const ScenarioSpec spec = awkward_spec();
    const nlohmann::json j = nlohmann::json::parse(run_config_json(spec));

    EXPECT_EQ(j["name"], spec.name);
    EXPECT_EQ(j["source_file"], spec.source_file);
    EXPECT_EQ(j["timezone"], spec.timezone);
    EXPECT_EQ(j["start_ms"], spec.start.ms());
    EXPECT_EQ(j["end_ms"], spec.end.ms());
    EXPECT_EQ(j["control_period_ms"], spec.control_period.ms());
    EXPECT_EQ(j["mode"], "acnsim");
    EXPECT_EQ(j["seed"], spec.seed);
    EXPECT_EQ(j["strategy"], "edf");
    EXPECT_EQ(j["strategy_options"], (nlohmann::json{{"reserve_kw", "2.5"}, {"label", "x\"y"}}));
    EXPECT_EQ(j["economics"]["v2g_price_factor"].get<double>(), 1e-7);
    EXPECT_EQ(j["economics"]["charging_price_per_kwh"].get<double>(), 0.40);
    EXPECT_EQ(j["tariff"], (nlohmann::json{{"name", "two-band test tariff"}, {"currency", "EUR"}}));
    EXPECT_EQ(j["forecast"]["pv"], (nlohmann::json{{"name", "persistence"}, {"options", {{"days", "7"}}}}));
    EXPECT_EQ(j["forecast"]["load"]["name"], "perfect");
    EXPECT_EQ(j["forecast"]["holidays"], "kr");
    EXPECT_EQ(j["forecast"]["history_ms"], Duration::hours(48).ms());

    ASSERT_EQ(j["nodes"].size(), spec.nodes.size());
    EXPECT_TRUE(j["nodes"][0]["parent"].is_null());
    EXPECT_EQ(j["nodes"][0]["import_limit_kw"].get<double>(), 40.0);
    EXPECT_EQ(j["nodes"][1]["parent"], 0);
    EXPECT_TRUE(j["nodes"][1]["export_limit_kw"].is_null());  // unlimited
    EXPECT_EQ(j["nodes"][1]["kind"], "feeder");

    ASSERT_EQ(j["chargers"].size(), 2u);
    EXPECT_EQ(j["chargers"][0]["name"], "A/\"1\"");
    EXPECT_TRUE(j["chargers"][0]["v2g_capable"].get<bool>());
    EXPECT_TRUE(j["chargers"][0]["setpoints_kw"].empty());
    EXPECT_EQ(j["chargers"][1]["setpoints_kw"], (nlohmann::json{0.0, 6.0, 11.0, 22.0}));
    EXPECT_TRUE(j["chargers"][1]["setpoints_kw"][0].is_number_float());  // 0.0, not 0
    EXPECT_EQ(j["chargers"][1]["min_kw"].get<double>(), 6.0);
    EXPECT_EQ(j["chargers"][1]["connectors"], 1);

    ASSERT_EQ(j["phase_constraints"].size(), 2u);
    EXPECT_EQ(j["phase_constraints"][0]["terms"][1], (nlohmann::json{{"charger", 1}, {"coefficient", -0.5}}));
    EXPECT_TRUE(j["phase_constraints"][1]["limit_a"].is_null());
    EXPECT_EQ(j["pv"][0]["kwp"].get<double>(), 10.0);
    EXPECT_EQ(j["loads"][0]["name"], "office");
    EXPECT_EQ(j["sessions"], 0);
}

TEST(RunConfigJson, ListsItsMembersByName) {
    const nlohmann::json j = nlohmann::json::parse(run_config_json(awkward_spec()));
    // nlohmann's objects are ordered by name, so the text is the same as that of its dump.
    EXPECT_EQ(run_config_json(awkward_spec()), j.dump());
}

// A scenario's names are whatever bytes its Lua strings hold: bytes that are not UTF-8 are written as
// U+FFFD, and the text stays JSON.
TEST(RunConfigJson, WritesBytesThatAreNotUtf8AsReplacementCharacters) {
    ScenarioSpec spec = awkward_spec();
    spec.name = "quick\xffstart \xc3\xa9";
    const nlohmann::json j = nlohmann::json::parse(run_config_json(spec));
    EXPECT_EQ(j["name"], "quick\xEF\xBF\xBDstart \xc3\xa9");
}

}  // namespace
}  // namespace evtwin
