// Wear prices: the ageing model's marginal fade at a battery's state, at what the battery is worth.
#include "model/battery_wear.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

TEST(BatteryWear, ZeroWithoutAValue) {
    const BatteryAgeing ageing(Chemistry::nmc, 0.9);
    const BatteryWear wear = wear_prices(ageing, 60.0, 54.0, 0.0, 0.2, 20.0);
    EXPECT_EQ(wear.per_kwh, 0.0);
    EXPECT_EQ(wear.per_kwh_h_high, 0.0);
}

TEST(BatteryWear, PricesAreTheMarginalFadeAtTheBatterysValue) {
    const BatteryAgeing ageing(Chemistry::nmc, 0.9);
    const double value = 60.0 * 150.0 / 0.2;  // 150 per kWh, worthless at 80 % SoH
    const BatteryWear wear = wear_prices(ageing, 60.0, 54.0, value, 0.2, 25.0);
    EXPECT_DOUBLE_EQ(wear.per_kwh, ageing.cycling_loss_per_efc(kWearCycleDepth, 0.2, 25.0) * value / 120.0);
    const double slope =
        (ageing.calendar_loss_per_day(1.0, 25.0) - ageing.calendar_loss_per_day(0.5, 25.0)) / 0.5;
    EXPECT_DOUBLE_EQ(wear.per_kwh_h_high, slope / 54.0 / 24.0 * value);
    // A few cents per kWh through a battery at this state, far less per kWh·h stored high.
    EXPECT_GT(wear.per_kwh, 0.001);
    EXPECT_LT(wear.per_kwh, 0.5);
    EXPECT_GT(wear.per_kwh_h_high, 0.0);
    EXPECT_LT(wear.per_kwh_h_high, wear.per_kwh);
}

TEST(BatteryWear, HotterAndFasterCostMore) {
    const BatteryAgeing ageing(Chemistry::nmc, 0.9);
    const BatteryWear mild = wear_prices(ageing, 60.0, 54.0, 45000.0, 0.2, 20.0);
    const BatteryWear hot = wear_prices(ageing, 60.0, 54.0, 45000.0, 0.2, 35.0);
    const BatteryWear fast = wear_prices(ageing, 60.0, 54.0, 45000.0, 1.5, 20.0);
    EXPECT_GT(hot.per_kwh_h_high, mild.per_kwh_h_high);
    EXPECT_GT(fast.per_kwh, mild.per_kwh);
}

}  // namespace
}  // namespace evtwin
