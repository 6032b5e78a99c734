// strategy_options: flat keys for every strategy, tables keyed by a strategy's name for it alone.
#include "scenario_test_util.hpp"

namespace evtwin::test {
namespace {

const std::string kRest =
    "grid { import_kw = 100 }\n"
    "tariff { file = data(\"tariffs/sce_tou_ev_4_march_2019.json\") }\n";

std::string scenario_with(const std::string& options) {
    return "scenario { name = \"t\", start = \"2016-03-07\", duration = days(1), strategy_options = " +
           options + " }\n" + kRest;
}

TEST(StrategyOptions, FlatKeysAndPerStrategyTablesAreKeptApart) {
    const ScenarioSpec spec = load_scenario(write_scenario(
        "per-strategy",
        scenario_with("{ unmet_penalty = 10, mpc = { forecast = \"noisy\", noise = 0.1, warm = true } }")));
    EXPECT_EQ(spec.strategy_options, (StrategyOptions{{"unmet_penalty", "10"}}));
    ASSERT_EQ(spec.strategy_options_by_name.size(), 1u);
    EXPECT_EQ(spec.strategy_options_by_name.at("mpc"),
              (StrategyOptions{{"forecast", "noisy"}, {"noise", "0.1"}, {"warm", "true"}}));
}

TEST(StrategyOptions, TheDocumentedExampleLoads) {
    const std::string doc = read_file(source_file("docs/scenario-dsl.md"));
    const auto intro = doc.find("Per-strategy example:");
    ASSERT_NE(intro, std::string::npos);
    const auto begin = doc.find("```lua\n", intro);
    const auto end = doc.find("```", begin + 7);
    ASSERT_NE(begin, std::string::npos);
    const ScenarioSpec spec =
        load_scenario(write_scenario("options-doc", doc.substr(begin + 7, end - begin - 7) + kRest));
    EXPECT_EQ(spec.strategy, "guarded");
    EXPECT_EQ(spec.strategy_options, (StrategyOptions{{"unmet_penalty", "10"}}));
    EXPECT_EQ(spec.strategy_options_by_name.at("guarded"),
              (StrategyOptions{{"inner", "mpc"}, {"margin", "0.5"}}));
    EXPECT_EQ(spec.strategy_options_by_name.at("mpc"),
              (StrategyOptions{{"forecast", "noisy"}, {"noise", "0.1"}}));
}

struct BadOptions {
    const char* name;
    const char* options;
    const char* message;
};

class StrategyOptionsBad : public ::testing::TestWithParam<BadOptions> {};

TEST_P(StrategyOptionsBad, NamesFileLineAndTheOption) {
    const auto file = write_scenario("bad-options", scenario_with(GetParam().options));
    EXPECT_EQ(load_error(file), at(file, 1) + "scenario: " + GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StrategyOptionsBad,
    ::testing::Values(
        BadOptions{
            "NestedTwice", "{ mpc = { inner = { x = 1 } } }",
            "'strategy_options.mpc.inner' must be a string, number or boolean: options nest one level, by "
            "strategy name"},
        BadOptions{"ListInATable", "{ mpc = { 1, 2 } }",
                   "'strategy_options.mpc' keys must be names (options of strategy 'mpc')"},
        BadOptions{"FunctionInATable", "{ mpc = { f = function() end } }",
                   "'strategy_options.mpc.f' must be a string, number or boolean, got function"},
        BadOptions{"FlatFunction", "{ k = function() end }",
                   "'strategy_options.k' must be a string, number or boolean, got function"},
        BadOptions{"NumberKey", "{ [1] = 2 }", "'strategy_options' keys must be names"}),
    [](const ::testing::TestParamInfo<BadOptions>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace evtwin::test
