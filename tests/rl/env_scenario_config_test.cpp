// The Env's configuration from the scenario's rl{} block (ScenarioSpec::rl): taken when the caller
// gives no EnvConfig, ignored when it gives one.
#include <evtwin/rl/env.hpp>
#include <evtwin/rl/vec_env.hpp>
#include "scenario/scenario_impl.hpp"

#include "support/test_site.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace evtwin {
namespace {

// One 10 kW charger, flat 0.25 per kWh, drivers pay 0.4; one EV wanting 5 kWh for an hour.
ScenarioSpec one_ev(std::optional<RlSpec> rl) {
    ScenarioSpec spec = test::small_site(1, 10.0, 15.0);
    spec.economics.charging_price_per_kwh = 0.4;
    spec.sessions = {test::session(0, 0.0, 1.0, 5.0)};
    spec.rl = std::move(rl);
    return spec;
}

// Full power for the first step, then nothing: the EV leaves at 1:00 (end of the fourth step)
// with half its request, satisfaction 0.5.
std::vector<float> rewards_of(Env& env) {
    std::vector<float> obs(env.observation_size());
    std::vector<float> action(env.action_size());
    env.reset(0, obs);
    std::vector<float> rewards;
    for (bool done = false; !done;) {
        action.assign(action.size(), rewards.empty() ? 1.0f : 0.0f);
        rewards.push_back(env.step(action, obs, done));
    }
    return rewards;
}

TEST(EnvScenarioConfig, TheScenarioNamesTheRewardAndItsWeights) {
    RlSpec rl;
    rl.reward = "v2g_profit";
    rl.unmet_weight = 40.0;
    rl.window = 3;
    const ScenarioSpec spec = one_ev(rl);
    // Without the safety layer, which would charge the rest of the request in the last step.
    EnvConfig raw;
    raw.safety = SafetyLayer::none;
    Env env(scenario_of(spec), env_config_of(scenario_of(spec), raw));
    // 3 time + 6 per connector + 3 windows x 3 + ESS SoC + limited nodes (grid, T1, charger ...).
    EnvConfig three;
    three.window = 3;
    EXPECT_EQ(env.observation_size(), Env(scenario_of(spec), three).observation_size());
    const std::vector<float> r = rewards_of(env);
    ASSERT_GE(r.size(), 4u);
    EXPECT_NEAR(r[0], 0.4 * 2.5 - 10.0 * 0.25 * 0.25, 1e-6);  // profit of 2.5 kWh at 0.4, bought at 0.25
    EXPECT_NEAR(r[3], -40.0 * std::exp(-10.0 * 0.5), 1e-5);   // unmet_weight 40, satisfaction 0.5
}

TEST(EnvScenarioConfig, AnExplicitConfigReplacesTheBlock) {
    RlSpec rl;
    rl.reward = "v2g_profit";
    rl.unmet_weight = 40.0;
    const ScenarioSpec spec = one_ev(rl);
    EnvConfig cost;
    cost.satisfaction_bonus = 2.0;
    cost.safety = SafetyLayer::none;
    Env env(scenario_of(spec), cost);
    const std::vector<float> r = rewards_of(env);
    ASSERT_GE(r.size(), 4u);
    EXPECT_NEAR(r[0], -10.0 * 0.25 * 0.25, 1e-6);  // cost: the energy bought
    EXPECT_NEAR(r[3], 2.0 * 0.5, 1e-6);            // satisfaction bonus 2 x 0.5
}

TEST(EnvScenarioConfig, WithoutABlockTheDefaultsHold) {
    const ScenarioSpec spec = one_ev(std::nullopt);
    Env implicit(scenario_of(spec));
    Env explicit_defaults(scenario_of(spec), EnvConfig{});
    EXPECT_EQ(implicit.observation_size(), explicit_defaults.observation_size());
    EXPECT_EQ(rewards_of(implicit), rewards_of(explicit_defaults));
}

TEST(EnvScenarioConfig, VecEnvTakesTheBlockToo) {
    RlSpec rl;
    rl.window = 2;
    const ScenarioSpec spec = one_ev(rl);
    VecEnv vec(2, scenario_of(spec));
    EnvConfig two;
    two.window = 2;
    EXPECT_EQ(vec.observation_size(), Env(scenario_of(spec), two).observation_size());
    VecEnv explicit_vec(2, scenario_of(spec), EnvConfig{});
    EXPECT_EQ(explicit_vec.observation_size(), vec.observation_size() + 4 * (EnvConfig{}.window - 2));
}

TEST(EnvScenarioConfig, AnUnknownRewardInASpecBuiltInCodeThrows) {
    RlSpec rl;
    rl.reward = "profit";
    const ScenarioSpec spec = one_ev(rl);
    EXPECT_THROW(env_config_of(scenario_of(spec)), std::invalid_argument);
    EXPECT_THROW(Env(scenario_of(spec)), std::invalid_argument);
}

// From a Lua file: rl{} of the scenario, through the handle the training command uses.
TEST(EnvScenarioConfig, ALuaScenarioChoosesTheReward) {
    const auto file = test::write_file(
        test::temp_dir("env-rl-block") / "rl.lua",
        "scenario { name = \"rl\", timezone = \"UTC\", start = \"2016-03-07\", duration = hours(3) }\n"
        "grid { import_kw = 100, export_kw = 0 }\n"
        "tariff { prices_csv = data(\"prices/nl_day_ahead_2016.csv\"), timezone = \"Europe/Amsterdam\", "
        "price_scale = 0.001 }\n"
        "charger { name = \"CP1\", max_kw = 11 }\n"
        "rl { reward = \"peak\", window = 5 }\n");
    ScenarioOptions options;
    options.data_dir = test::data_file("");
    const Scenario scenario = Scenario::load(file, options);
    EXPECT_EQ(env_config_of(scenario).reward, RewardKind::peak);
    Env env(scenario);
    EnvConfig five;
    five.window = 5;
    EXPECT_EQ(env.observation_size(), Env(scenario, five).observation_size());
}

}  // namespace
}  // namespace evtwin
