#include "model/ess.hpp"

#include "model/vehicle.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>

namespace evtwin {
namespace {

// 100 kWh between SoC 0.1 and 0.9, starting at 0.5; 50 kW in, 40 kW out; 95 % in, 90 % out.
EssSpec battery() {
    EssSpec e;
    e.name = "ess";
    e.capacity_kwh = 100.0;
    e.max_charge_kw = 50.0;
    e.max_discharge_kw = 40.0;
    e.charge_efficiency = 0.95;
    e.discharge_efficiency = 0.9;
    e.soc_min = 0.1;
    e.soc_max = 0.9;
    e.soc_initial = 0.5;
    return e;
}

TEST(Ess, ChargingStoresEtaChargePerGridKwh) {
    Ess e(battery());
    // 20 kW for 30 min: 10 kWh from the grid, 9.5 kWh stored: 50 + 9.5 = 59.5 kWh.
    e.integrate(20.0, Duration::minutes(30));
    EXPECT_NEAR(e.charged_grid_kwh(), 10.0, 1e-12);
    EXPECT_DOUBLE_EQ(e.discharged_grid_kwh(), 0.0);
    EXPECT_NEAR(e.soc(), 0.595, 1e-12);
}

TEST(Ess, DischargingGivesEtaDischargeGridKwhPerStoredKwh) {
    Ess e(battery());
    // -18 kW for 1 h: 18 kWh to the grid, 18 / 0.9 = 20 kWh out of storage: 50 - 20 = 30 kWh.
    e.integrate(-18.0, Duration::hours(1));
    EXPECT_NEAR(e.discharged_grid_kwh(), 18.0, 1e-12);
    EXPECT_DOUBLE_EQ(e.charged_grid_kwh(), 0.0);
    EXPECT_NEAR(e.soc(), 0.3, 1e-12);
    // Round trip: 18 kWh back in stores 17.1 kWh: 47.1 kWh. 36 kWh of grid energy moved, 2.9 kWh lost.
    e.integrate(36.0, Duration::minutes(30));
    EXPECT_NEAR(e.soc(), 0.471, 1e-12);
}

TEST(Ess, ZeroPowerOrZeroTimeChangesNothing) {
    Ess e(battery());
    e.integrate(0.0, Duration::hours(1));
    e.integrate(10.0, Duration(0));
    EXPECT_DOUBLE_EQ(e.soc(), 0.5);
    EXPECT_EQ(e.time_to_next_change(0.0).ms(), std::numeric_limits<std::int64_t>::max());
}

// A rounding residue of a setpoint moves its 20 kWh in about 10^9 years: never, not an overflow.
TEST(Ess, TinyPowerNeverChangesAnything) {
    Ess e(battery());
    EXPECT_EQ(e.time_to_next_change(-1e-13).ms(), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(e.time_to_next_change(1e-13).ms(), std::numeric_limits<std::int64_t>::max());
}

TEST(Ess, RatedPowerUntilABoundIsReached) {
    EssSpec spec = battery();
    EXPECT_DOUBLE_EQ(Ess(spec).max_charge_grid_kw(), 50.0);
    EXPECT_DOUBLE_EQ(Ess(spec).max_discharge_grid_kw(), 40.0);
    spec.soc_initial = 0.9;
    EXPECT_DOUBLE_EQ(Ess(spec).max_charge_grid_kw(), 0.0);
    EXPECT_DOUBLE_EQ(Ess(spec).max_discharge_grid_kw(), 40.0);
    spec.soc_initial = 0.1;
    EXPECT_DOUBLE_EQ(Ess(spec).max_charge_grid_kw(), 50.0);
    EXPECT_DOUBLE_EQ(Ess(spec).max_discharge_grid_kw(), 0.0);
}

// One that starts outside its bounds only moves toward them: below its floor it charges and does
// not discharge until it is back above it; above its ceiling the reverse.
TEST(Ess, OutsideItsBoundsItOnlyMovesTowardThem) {
    EssSpec spec = battery();
    spec.soc_initial = 0.05;
    Ess low(spec);
    EXPECT_DOUBLE_EQ(low.max_discharge_grid_kw(), 0.0);
    EXPECT_DOUBLE_EQ(low.max_charge_grid_kw(), 50.0);
    low.integrate(50.0, Duration::minutes(12));  // 10 grid kWh: 9.5 stored, to 14.5 %
    EXPECT_NEAR(low.soc(), 0.145, 1e-12);
    EXPECT_DOUBLE_EQ(low.max_discharge_grid_kw(), 40.0);
    spec.soc_initial = 0.95;
    Ess high(spec);
    EXPECT_DOUBLE_EQ(high.max_charge_grid_kw(), 0.0);
    EXPECT_DOUBLE_EQ(high.max_discharge_grid_kw(), 40.0);
}

TEST(Ess, BoundLessThanOneMillisecondAwayCountsAsReached) {
    // One millisecond at 50 kW is 50 / 3 600 000 = 1.389e-5 grid kWh; at 40 kW, 1.111e-5.
    EssSpec spec = battery();
    spec.soc_initial = 0.9 - 1e-7;  // 1e-5 kWh of room = 1.053e-5 grid kWh: under one millisecond
    EXPECT_DOUBLE_EQ(Ess(spec).max_charge_grid_kw(), 0.0);
    spec.soc_initial = 0.9 - 2e-7;  // 2.105e-5 grid kWh: more
    EXPECT_DOUBLE_EQ(Ess(spec).max_charge_grid_kw(), 50.0);
    spec.soc_initial = 0.1 + 1e-7;  // 1e-5 stored kWh above the floor = 0.9e-5 grid kWh: under
    EXPECT_DOUBLE_EQ(Ess(spec).max_discharge_grid_kw(), 0.0);
    spec.soc_initial = 0.1 + 2e-7;  // 1.8e-5 grid kWh: more
    EXPECT_DOUBLE_EQ(Ess(spec).max_discharge_grid_kw(), 40.0);
}

TEST(Ess, TimeToSocMaxIsRoundedDownAndNeverPassesIt) {
    Ess e(battery());
    // 50 -> 90 kWh: 40 stored = 40 / 0.95 = 42.105 grid kWh; at 30 kW: 5 052 631.58 ms, rounded down.
    const Duration dt = e.time_to_next_change(30.0);
    EXPECT_EQ(dt.ms(), 5'052'631);
    e.integrate(30.0, dt);
    // Short of the bound by less than one millisecond: 30 x 0.95 / 3 600 000 = 7.9e-6 kWh = 7.9e-8 of SoC.
    EXPECT_LE(e.soc(), 0.9);
    EXPECT_LT((0.9 - e.soc()) * 100.0, 30.0 * 0.95 / 3.6e6);
    EXPECT_DOUBLE_EQ(e.max_charge_grid_kw(), 0.0);
}

TEST(Ess, TimeToSocMinIsRoundedDownAndNeverPassesIt) {
    Ess e(battery());
    // 50 -> 10 kWh: 40 stored give 40 x 0.9 = 36 grid kWh; at 26 kW: 4 984 615.38 ms, rounded down.
    const Duration dt = e.time_to_next_change(-26.0);
    EXPECT_EQ(dt.ms(), 4'984'615);
    e.integrate(-26.0, dt);
    // Above the bound by less than one millisecond: 26 / 0.9 / 3 600 000 = 8.0e-6 kWh = 8.0e-8 of SoC.
    EXPECT_GE(e.soc(), 0.1);
    EXPECT_LT((e.soc() - 0.1) * 100.0, 26.0 / 0.9 / 3.6e6);
    EXPECT_DOUBLE_EQ(e.max_discharge_grid_kw(), 0.0);
}

// Random batteries driven like the simulator drives them: the SoC stays in [soc_min, soc_max],
// energy balances, no step is zero-length, and every run reaches a bound.
TEST(Ess, PropertyRandomOperationStaysWithinSocBounds) {
    std::mt19937_64 rng(4242);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const auto between = [&](double a, double b) { return a + (b - a) * u(rng); };
    for (int trial = 0; trial < 300; ++trial) {
        EssSpec spec;
        spec.capacity_kwh = between(5.0, 2000.0);
        spec.max_charge_kw = between(1.0, 500.0);
        spec.max_discharge_kw = between(1.0, 500.0);
        spec.charge_efficiency = between(0.8, 1.0);
        spec.discharge_efficiency = between(0.8, 1.0);
        spec.soc_min = between(0.0, 0.4);
        spec.soc_max = between(0.6, 1.0);
        spec.soc_initial = between(spec.soc_min, spec.soc_max);
        Ess e(spec);
        SCOPED_TRACE("trial " + std::to_string(trial));

        int steps = 0;
        for (; steps < 100'000; ++steps) {
            const double up = e.max_charge_grid_kw();
            const double down = steps < 300 ? e.max_discharge_grid_kw() : 0.0;  // then fill up
            double kw;
            if (up > 0.0 && (down == 0.0 || u(rng) < 0.5))
                kw = up * between(0.05, 1.0);
            else if (down > 0.0)
                kw = -down * between(0.05, 1.0);
            else
                break;
            Duration dt = e.time_to_next_change(kw);
            ASSERT_GE(dt.ms(), 1) << "zero-length step at soc " << e.soc() << ", " << kw << " kW";
            if (u(rng) < 0.3) dt = std::min(dt, Duration(static_cast<std::int64_t>(between(1.0, 900'000.0))));
            e.integrate(kw, dt);

            ASSERT_GE(e.soc(), spec.soc_min - 1e-12);
            ASSERT_LE(e.soc(), spec.soc_max + 1e-12);
            const double stored = spec.soc_initial * spec.capacity_kwh +
                                  e.charged_grid_kwh() * spec.charge_efficiency -
                                  e.discharged_grid_kwh() / spec.discharge_efficiency;
            ASSERT_NEAR(e.soc() * spec.capacity_kwh, stored, 1e-9 * spec.capacity_kwh);
        }
        ASSERT_LT(steps, 100'000) << "never reached soc_max";
        // Full to within one millisecond at the rated power.
        EXPECT_LE((spec.soc_max - e.soc()) * spec.capacity_kwh / spec.charge_efficiency,
                  one_ms_of(spec.max_charge_kw));
    }
}

}  // namespace
}  // namespace evtwin
