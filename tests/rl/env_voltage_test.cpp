// The reward's feeder term (docs/rl.md, G): the feeder's voltages outside their band, per-unit
// distance times hours over every bus-phase, priced at voltage_penalty_per_pu_h.
#include <evtwin/rl/env.hpp>
#include <evtwin/scenario.hpp>

#include "support/feeder_site.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace evtwin {
namespace {

// The one-cable feeder of support/feeder_site.hpp at 0.6 ohm: its vehicle's 30 kW leave bus b below
// 0.9 per unit on each phase from 10:00 to 12:00.
Scenario sagging_feeder(const std::string& rl_block = "", const std::string& bands = "") {
    return Scenario::load(
        test::one_line_feeder(test::temp_dir("rl-voltage") / "sag.lua", 0.6, bands, rl_block));
}

struct Played {
    std::vector<double> rewards;
    double excursion_pu_h = 0.0;
};

// An episode at full power in every period.
Played full_power(Env& env) {
    std::vector<float> obs(env.observation_size()), action(env.action_size(), 1.0F);
    env.reset(1, obs);
    Played p;
    bool done = false;
    while (!done) {
        p.rewards.push_back(env.step(action, obs, done));
        p.excursion_pu_h += env.info().voltage_excursion_pu_h;
    }
    return p;
}

TEST(EnvVoltage, TheSagBelowTheBandIsCountedPerBusPhaseAndHour) {
    const Scenario scenario = sagging_feeder();
    Env env(scenario, env_config_of(scenario));
    const Played p = full_power(env);
    // Per phase 10 kW at the end of 0.6 ohm: V^2 - Vs V + R P = 0, Vs = 230.94 V, so V = 201.07 V,
    // 0.8707 per unit (recorded on steps of 1e-4): 0.0293 below 0.9 on three phases for two hours.
    const double low = test::far_end_pu(0.6, 10'000.0);
    EXPECT_NEAR(p.excursion_pu_h, 3 * (0.9 - low) * 2.0, 6 * 0.5e-4);
    EXPECT_NEAR(p.excursion_pu_h, 0.176, 0.001);
}

TEST(EnvVoltage, ThePenaltyTakesTheExcursionOffEachStepsReward) {
    const Scenario off = sagging_feeder();
    const Scenario on = sagging_feeder("rl { voltage_penalty_per_pu_h = 50 }\n");
    Env free_env(off, env_config_of(off));
    Env priced_env(on, env_config_of(on));
    ASSERT_EQ(env_config_of(on).voltage_penalty_per_pu_h, 50.0);
    const Played free = full_power(free_env), priced = full_power(priced_env);
    ASSERT_EQ(free.rewards.size(), priced.rewards.size());
    double difference = 0.0;
    for (std::size_t k = 0; k < free.rewards.size(); ++k) difference += free.rewards[k] - priced.rewards[k];
    EXPECT_NEAR(difference, 50.0 * free.excursion_pu_h, 1e-3);  // rewards are floats
    EXPECT_GT(difference, 8.0);
}

TEST(EnvVoltage, ABusWithABandOfItsOwnIsMeasuredAgainstIt) {
    // The DSO holds bus b to 0.85..1.1: 0.8707 per unit is within it.
    const Scenario scenario =
        sagging_feeder("", "  bands = { { bus = \"b\", v_min_pu = 0.85, v_max_pu = 1.1 } },\n");
    Env env(scenario, env_config_of(scenario));
    EXPECT_EQ(full_power(env).excursion_pu_h, 0.0);
}

TEST(EnvVoltage, ARunWithoutAFeederPaysNothing) {
    EnvConfig config;
    config.voltage_penalty_per_pu_h = 1000.0;
    Env env(Scenario::load(test::source_file("scenarios/quickstart.lua")), config);
    std::vector<float> obs(env.observation_size()), action(env.action_size(), 1.0F);
    env.reset(1, obs);
    bool done = false;
    for (int k = 0; k < 8 && !done; ++k) {
        env.step(action, obs, done);
        EXPECT_EQ(env.info().voltage_excursion_pu_h, 0.0);
    }
}

}  // namespace
}  // namespace evtwin
