// The rl{} block: the reinforcement-learning environment's reward and weights, read into
// ScenarioSpec::rl with the same checks (and file:line messages) as every other block.
#include "scenario_test_util.hpp"

#include <evtwin/rl/env.hpp>

#include "scenario/scenario_impl.hpp"

#include <gmock/gmock.h>

namespace evtwin::test {
namespace {

using ::testing::StartsWith;

TEST(RlBlock, EveryKeyIsRead) {
    const ScenarioSpec spec = load_scenario(write_scenario(
        "rl-all",
        std::string(kHeader) +
            "rl { reward = \"v2g_profit\", window = 12, satisfaction_bonus = 0.5, ess_cycle_cost_per_kwh = "
            "0.02,\n"
            "     clip_penalty_per_kw = 0.1, unmet_weight = 40, unmet_sharpness = 5, price_scale = 0.3,\n"
            "     power_scale_kw = 80, departure_scale = hours(12), safety = \"none\",\n"
            "     safety_margin = minutes(90), site_cap = true, ess_value_weight = 0.7 }\n"));
    ASSERT_TRUE(spec.rl.has_value());
    const RlSpec& rl = *spec.rl;
    EXPECT_EQ(rl.reward, "v2g_profit");
    EXPECT_EQ(rl.window, 12u);
    EXPECT_EQ(rl.satisfaction_bonus, 0.5);
    EXPECT_EQ(rl.ess_cycle_cost_per_kwh, 0.02);
    EXPECT_EQ(rl.clip_penalty_per_kw, 0.1);
    EXPECT_EQ(rl.unmet_weight, 40.0);
    EXPECT_EQ(rl.unmet_sharpness, 5.0);
    EXPECT_EQ(rl.price_scale, 0.3);
    EXPECT_EQ(rl.power_scale_kw, 80.0);
    ASSERT_TRUE(rl.departure_scale.has_value());
    EXPECT_EQ(rl.departure_scale->ms(), Duration::hours(12).ms());
    EXPECT_EQ(rl.safety, "none");
    EXPECT_EQ(rl.safety_margin, Duration::minutes(90));
    EXPECT_EQ(rl.site_cap, true);
    EXPECT_EQ(rl.ess_value_weight, 0.7);

    const EnvConfig c = env_config_of(scenario_of(spec));
    EXPECT_EQ(c.reward, RewardKind::v2g_profit);
    EXPECT_EQ(c.window, 12u);
    EXPECT_EQ(c.satisfaction_bonus, 0.5);
    EXPECT_EQ(c.ess_cycle_cost_per_kwh, 0.02);
    EXPECT_EQ(c.clip_penalty_per_kw, 0.1);
    EXPECT_EQ(c.unmet_weight, 40.0);
    EXPECT_EQ(c.unmet_sharpness, 5.0);
    EXPECT_EQ(c.price_scale, 0.3);
    EXPECT_EQ(c.power_scale_kw, 80.0);
    EXPECT_EQ(c.departure_scale.ms(), Duration::hours(12).ms());
    EXPECT_EQ(c.safety, SafetyLayer::none);
    EXPECT_EQ(c.safety_margin, Duration::minutes(90));
    EXPECT_TRUE(c.site_cap);
    EXPECT_EQ(c.ess_value_weight, 0.7);
}

TEST(RlBlock, UnsetKeysKeepTheDefaultsAndNoBlockIsNoRl) {
    const ScenarioSpec none = load_scenario(write_scenario("rl-none", kHeader));
    EXPECT_FALSE(none.rl.has_value());

    const ScenarioSpec spec =
        load_scenario(write_scenario("rl-some", std::string(kHeader) + "rl { reward = \"peak\" }\n"));
    ASSERT_TRUE(spec.rl.has_value());
    EXPECT_FALSE(spec.rl->window.has_value());
    const EnvConfig c = env_config_of(scenario_of(spec));
    const EnvConfig defaults;
    EXPECT_EQ(c.reward, RewardKind::peak);
    EXPECT_EQ(c.window, defaults.window);
    EXPECT_EQ(c.unmet_weight, defaults.unmet_weight);
    EXPECT_EQ(c.ess_cycle_cost_per_kwh, defaults.ess_cycle_cost_per_kwh);
    EXPECT_EQ(c.departure_scale.ms(), defaults.departure_scale.ms());
}

TEST(RlBlock, BadValuesNameTheLine) {
    const std::pair<std::string, std::string> cases[] = {
        {"rl { reward = \"profit\" }", "rl: reward 'profit': expected one of cost, v2g_profit, peak"},
        {"rl { reward = 1 }", "rl: 'reward' must be a string, got number 1"},
        {"rl { rewards = \"cost\" }",
         "rl: unknown key 'rewards'; allowed keys: clip_penalty_per_kw, departure_scale, "
         "ess_cycle_cost_per_kwh, ess_value_weight, power_scale_kw, price_scale, reward, safety, "
         "safety_margin, "
         "satisfaction_bonus, site_cap, unmet_sharpness, unmet_weight, voltage_penalty_per_pu_h, window"},
        {"rl { safety = \"strict\" }", "rl: safety 'strict': expected laxity or none"},
        {"rl { safety_margin = hours(50) }", "rl: 'safety_margin' must be between 0 and hours(48)"},
        {"rl { site_cap = \"yes\" }", "rl: 'site_cap' must be"},
        {"rl { window = 0 }", "rl: 'window' must be >= 1, got 0"},
        {"rl { window = 2.5 }", "rl: 'window' must be an integer"},
        {"rl { window = 5000 }", "rl: 'window' must be <= 1000 control periods, got 5000"},
        {"rl { unmet_weight = -1 }", "rl: 'unmet_weight' must be >= 0, got -1"},
        {"rl { ess_value_weight = -0.5 }", "rl: 'ess_value_weight' must be >= 0, got -0.5"},
        {"rl { unmet_weight = \"100\" }", "rl: 'unmet_weight' must be a number"},
        {"rl { price_scale = 0 }", "rl: 'price_scale' must be > 0, got 0"},
        {"rl { departure_scale = 5 }", "rl: 'departure_scale' must be a duration such as minutes(15)"},
        {"rl { departure_scale = -hours(1) }", "rl: 'departure_scale' must be positive"},
        {"rl { reward = \"cost\" }\nrl { reward = \"peak\" }", "rl: declared twice"},
    };
    for (const auto& [text, expected] : cases) {
        const auto file = write_scenario("rl-bad", std::string(kHeader) + text + "\n");
        const int line = text.find('\n') == std::string::npos ? 4 : 5;
        EXPECT_THAT(load_error(file), StartsWith(at(file, line) + expected)) << text;
    }
}

// The example of docs/scenario-dsl.md loads as documented.
TEST(RlBlock, TheDocumentedExampleLoads) {
    const std::string doc = read_file(source_file("docs/scenario-dsl.md"));
    const auto section = doc.find("\n## rl\n");
    ASSERT_NE(section, std::string::npos);
    const auto begin = doc.find("```lua\n", section);
    ASSERT_NE(begin, std::string::npos);
    const auto end = doc.find("```", begin + 7);
    const ScenarioSpec spec = load_scenario(
        write_scenario("rl-doc", std::string(kHeader) + doc.substr(begin + 7, end - begin - 7)));
    ASSERT_TRUE(spec.rl.has_value());
    const EnvConfig c = env_config_of(scenario_of(spec));
    EXPECT_EQ(c.reward, RewardKind::v2g_profit);
    EXPECT_EQ(c.unmet_weight, 100.0);
    EXPECT_EQ(c.window, 8u);
}

}  // namespace
}  // namespace evtwin::test
