// The options a strategy gets: the scenario's flat keys, its own table, the caller's over both, and
// for a strategy that loads others by options (guarded), the tables of the strategies it names.
#include "run/strategy_options.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

ScenarioSpec spec_with_tables() {
    ScenarioSpec spec;
    spec.strategy_options = {{"unmet_penalty", "10"}};
    spec.strategy_options_by_name["guarded"] = {{"inner", "mpc"}, {"margin", "0.5"}};
    spec.strategy_options_by_name["mpc"] = {{"horizon_h", "12"}};
    spec.strategy_options_by_name["edf"] = {{"k", "1"}};
    spec.strategy_options_by_name["llf"] = {{"k", "2"}};
    return spec;
}

TEST(StrategyOptions, OwnTableOverFlatKeysAndOverridesOverBoth) {
    const ScenarioSpec spec = spec_with_tables();
    EXPECT_EQ(merged_strategy_options(spec, "mpc", {{"unmet_penalty", "20"}}),
              (StrategyOptions{{"horizon_h", "12"}, {"unmet_penalty", "20"}}));
    EXPECT_EQ(merged_strategy_options(spec, "/opt/plugins/libevtwin_mpc.so", {}),
              (StrategyOptions{{"horizon_h", "12"}, {"unmet_penalty", "10"}}));
}

TEST(StrategyOptions, GuardedGetsTheTablesOfTheStrategiesItNames) {
    const ScenarioSpec spec = spec_with_tables();
    // The baseline is edf when not named.
    EXPECT_EQ(merged_strategy_options(spec, "guarded", {}), (StrategyOptions{{"baseline.k", "1"},
                                                                             {"inner", "mpc"},
                                                                             {"inner.horizon_h", "12"},
                                                                             {"margin", "0.5"},
                                                                             {"unmet_penalty", "10"}}));
    // A key given explicitly stays over the named strategy's table.
    EXPECT_EQ(merged_strategy_options(spec, "guarded", {{"baseline", "llf"}, {"baseline.k", "3"}}),
              (StrategyOptions{{"baseline", "llf"},
                               {"baseline.k", "3"},
                               {"inner", "mpc"},
                               {"inner.horizon_h", "12"},
                               {"margin", "0.5"},
                               {"unmet_penalty", "10"}}));
}

TEST(StrategyOptions, AStrategyThatLoadsNoOtherGetsNoOtherTable) {
    const ScenarioSpec spec = spec_with_tables();
    EXPECT_EQ(merged_strategy_options(spec, "edf", {{"inner", "mpc"}}),
              (StrategyOptions{{"inner", "mpc"}, {"k", "1"}, {"unmet_penalty", "10"}}));
}

}  // namespace
}  // namespace evtwin
