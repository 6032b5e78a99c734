#include <evtwin/rl/env.hpp>

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

namespace evtwin {
namespace {

// The environment's --opt keys take the ranges of the scenario's rl{} block; a bad value names the key.
TEST(EnvConfigWith, OptionsOutOfRangeAreRefusedByName) {
    std::map<std::string, std::string> good = {{"satisfaction_bonus", "5000"},
                                               {"window", "96"},
                                               {"ess_cycle_cost_per_kwh", "-1"},
                                               {"price_scale", "0"},
                                               {"lr", "3e-4"}};
    const EnvConfig c = env_config_with(EnvConfig{}, good);
    EXPECT_EQ(c.satisfaction_bonus, 5000.0);
    EXPECT_EQ(c.window, 96u);
    EXPECT_EQ(c.ess_cycle_cost_per_kwh, -1.0);  // < 0: the scenario's economics
    EXPECT_EQ(good.size(), 1u);                 // the learner's key is left to the learner
    EXPECT_TRUE(c.bill_clock);
    EXPECT_TRUE(c.ev_demand);
    EXPECT_TRUE(c.cap_below_peak);
    std::map<std::string, std::string> older = {
        {"bill_clock", "false"}, {"cap_below_peak", "0"}, {"ev_demand", "false"}};
    const EnvConfig o = env_config_with(EnvConfig{}, older);
    EXPECT_FALSE(o.bill_clock);
    EXPECT_FALSE(o.ev_demand);
    EXPECT_FALSE(o.cap_below_peak);
    EXPECT_TRUE(older.empty());
    const std::pair<const char*, const char*> bad[] = {
        {"satisfaction_bonus", "-1"}, {"ess_value_weight", "-0.5"},
        {"unmet_weight", "nan"},      {"ess_cycle_cost_per_kwh", "inf"},
        {"power_scale_kw", "-3"},     {"window", "0"},
        {"window", "1001"},           {"window", "2.5"},
        {"clip_penalty_per_kw", "x"}, {"safety_margin_h", "49"},
        {"site_cap", "yes"},          {"bill_clock", "no"},
        {"reward", "profit"},         {"safety", "strict"},
        {"unmet_sharpness", "1e300"}, {"ess_cycle_cost_per_kwh", "-1e16"}};
    for (const auto& [key, value] : bad) {
        std::map<std::string, std::string> o = {{key, value}};
        try {
            env_config_with(EnvConfig{}, o);
            ADD_FAILURE() << key << "=" << value << " was accepted";
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(std::string("option ") + key), std::string::npos)
                << e.what();
        }
    }
}

TEST(EnvConfigWith, NamesChooseTheRewardAndTheSafetyLayer) {
    std::map<std::string, std::string> o = {
        {"reward", "v2g_profit"}, {"safety", "none"}, {"safety_margin_h", "0.5"}};
    const EnvConfig c = env_config_with(EnvConfig{}, o);
    EXPECT_EQ(c.reward, RewardKind::v2g_profit);
    EXPECT_EQ(c.safety, SafetyLayer::none);
    EXPECT_EQ(c.safety_margin, Duration::minutes(30));
    EXPECT_TRUE(o.empty());
    for (RewardKind r : {RewardKind::cost, RewardKind::v2g_profit, RewardKind::peak})
        EXPECT_EQ(reward_kind_from_name(reward_kind_name(r)), r);
}

}  // namespace
}  // namespace evtwin
