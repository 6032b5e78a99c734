#include "model/vehicle.hpp"

#include "model/random_curve.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>

namespace evtwin {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// A 60 kWh car at 20 %, asking for 100 kWh, 11 kW AC / 50 kW DC, flat curve, lossless.
SessionSpec car(double capacity_kwh = 60.0, double initial_soc = 0.2, double requested_kwh = 100.0) {
    SessionSpec s;
    s.initial_soc = initial_soc;
    s.requested_kwh = requested_kwh;
    s.vehicle.capacity_kwh = capacity_kwh;
    s.vehicle.max_ac_kw = 11.0;
    s.vehicle.max_dc_kw = 50.0;
    s.vehicle.charge_efficiency = 1.0;
    s.vehicle.discharge_efficiency = 1.0;
    return s;
}

SessionSpec v2g_car(double max_discharge_kw, double min_soc) {
    SessionSpec s = car(60.0, 0.5);
    s.vehicle.v2g_allowed = true;
    s.vehicle.max_discharge_kw = max_discharge_kw;
    s.vehicle.min_soc = min_soc;
    return s;
}

TEST(Vehicle, ChargingEnergyPassesBothEfficiencies) {
    SessionSpec s = car();
    s.vehicle.charge_efficiency = 0.9;
    Vehicle v(s, 0.95, false);
    // 10 kW from the grid for 30 min: 5 kWh grid, 5 x 0.95 = 4.75 kWh at the inlet, 4.75 x 0.9 =
    // 4.275 kWh into the battery: 12 + 4.275 = 16.275 kWh of 60 = SoC 0.27125.
    v.integrate(10.0, Duration::minutes(30));
    EXPECT_NEAR(v.grid_kwh(), 5.0, 1e-12);
    EXPECT_NEAR(v.charged_kwh(), 4.75, 1e-12);
    EXPECT_DOUBLE_EQ(v.discharged_kwh(), 0.0);
    EXPECT_NEAR(v.delivered_kwh(), 4.75, 1e-12);
    EXPECT_NEAR(v.remaining_kwh(), 95.25, 1e-12);
    EXPECT_NEAR(v.soc(), 0.27125, 1e-12);
}

TEST(Vehicle, DischargingEnergyPassesBothEfficiencies) {
    SessionSpec s = v2g_car(10.0, 0.1);
    s.vehicle.discharge_efficiency = 0.9;
    s.vehicle.charge_efficiency = 0.9;
    s.requested_kwh = 5.0;
    Vehicle v(s, 0.95, false);
    // -9.5 kW at the grid for 1 h: the inlet gives 9.5 / 0.95 = 10 kWh, the battery loses 10 / 0.9 =
    // 11.111 kWh: 30 - 11.111 = 18.889 kWh of 60.
    v.integrate(-9.5, Duration::hours(1));
    EXPECT_NEAR(v.grid_kwh(), -9.5, 1e-12);
    EXPECT_NEAR(v.discharged_kwh(), 10.0, 1e-12);
    EXPECT_NEAR(v.delivered_kwh(), -10.0, 1e-12);
    EXPECT_NEAR(v.remaining_kwh(), 15.0, 1e-12);  // 5 asked + 10 taken back
    EXPECT_NEAR(v.soc(), (30.0 - 10.0 / 0.9) / 60.0, 1e-12);
    // Then +10 kW for 1 h: 9.5 kWh in at the inlet, 8.55 kWh stored; grid net 0.5 kWh.
    v.integrate(10.0, Duration::hours(1));
    EXPECT_NEAR(v.grid_kwh(), 0.5, 1e-12);
    EXPECT_NEAR(v.charged_kwh(), 9.5, 1e-12);
    EXPECT_NEAR(v.delivered_kwh(), -0.5, 1e-12);
    EXPECT_NEAR(v.soc(), (30.0 - 10.0 / 0.9 + 8.55) / 60.0, 1e-12);
}

TEST(Vehicle, AMeterMovesItAsTheSamePowerWould) {
    SessionSpec s = v2g_car(7.0, 0.1);
    s.vehicle.charge_efficiency = 0.9;
    s.vehicle.discharge_efficiency = 0.8;
    Vehicle metered(s, 0.95, false), integrated(s, 0.95, false);
    metered.meter_to(5.0);                                 // 5 kWh at the inlet
    integrated.integrate(5.0 / 0.95, Duration::hours(1));  // the grid power that delivers it
    EXPECT_NEAR(metered.soc(), integrated.soc(), 1e-12);
    EXPECT_NEAR(metered.grid_kwh(), integrated.grid_kwh(), 1e-12);
    EXPECT_NEAR(metered.delivered_kwh(), 5.0, 1e-12);
    metered.meter_to(2.0);  // 3 kWh given back
    integrated.integrate(-3.0 * 0.95, Duration::hours(1));
    EXPECT_NEAR(metered.soc(), integrated.soc(), 1e-12);
    EXPECT_NEAR(metered.discharged_kwh(), 3.0, 1e-12);
    EXPECT_NEAR(metered.grid_kwh(), integrated.grid_kwh(), 1e-12);
    EXPECT_EQ(metered.max_charge_grid_kw(), integrated.max_charge_grid_kw());
}

TEST(Vehicle, ASocTheVehicleReportsReplacesTheEstimate) {
    Vehicle v(car(60.0, 0.2, 100.0), 1.0, false);
    v.meter_to(6.0);
    EXPECT_NEAR(v.soc(), 0.3, 1e-12);
    v.set_soc(0.5);
    EXPECT_NEAR(v.soc(), 0.5, 1e-12);
    EXPECT_NEAR(v.delivered_kwh(), 6.0, 1e-12);  // what was delivered stays what the meter said
    v.set_soc(1.0);
    EXPECT_EQ(v.max_charge_grid_kw(), 0.0);  // full
}

TEST(Vehicle, ZeroPowerOrZeroTimeChangesNothing) {
    Vehicle v(v2g_car(10.0, 0.1), 0.95, false);
    v.integrate(0.0, Duration::hours(1));
    v.integrate(10.0, Duration(0));
    v.integrate(-10.0, Duration(-5));
    EXPECT_DOUBLE_EQ(v.soc(), 0.5);
    EXPECT_DOUBLE_EQ(v.grid_kwh(), 0.0);
    EXPECT_EQ(v.time_to_next_change(0.0).ms(), kNever);
}

TEST(Vehicle, TinyPowerNeverChangesAnything) {
    Vehicle v(v2g_car(10.0, 0.1), 0.95, false);
    EXPECT_EQ(v.time_to_next_change(1e-13).ms(), kNever);
    EXPECT_EQ(v.time_to_next_change(-1e-13).ms(), kNever);
    EXPECT_GT(v.time_to_next_change(1e-6).ms(), 0);
}

TEST(Vehicle, MaxPowersAreOnTheGridSide) {
    SessionSpec s = v2g_car(10.0, 0.1);
    // AC: the inlet takes 11 kW, so the charger draws 11 / 0.95 = 11.579 kW from the grid; discharging
    // 10 kW at the inlet puts 10 x 0.95 = 9.5 kW into the grid.
    const Vehicle ac(s, 0.95, false);
    EXPECT_NEAR(ac.max_charge_grid_kw(), 11.0 / 0.95, 1e-12);
    EXPECT_NEAR(ac.max_discharge_grid_kw(), 9.5, 1e-12);
    const Vehicle dc(s, 0.95, true);
    EXPECT_NEAR(dc.max_charge_grid_kw(), 50.0 / 0.95, 1e-12);
    // V2G not allowed: no discharge, whatever the discharge rating says.
    s.vehicle.v2g_allowed = false;
    const Vehicle no_v2g(s, 0.95, false);
    EXPECT_DOUBLE_EQ(no_v2g.max_discharge_grid_kw(), 0.0);
    EXPECT_FALSE(no_v2g.v2g_allowed());
}

TEST(Vehicle, MaxChargeFollowsTheStaircase) {
    // 50 kW DC tapering from SoC 0.8 to 0.2 x 50 at SoC 1: at SoC 0.9 the stair [0.90, 0.91] holds
    // 50 x f(0.91) = 50 (1 - 4 x 0.11) = 28 kW at the inlet, 28 / 0.95 from the grid.
    SessionSpec s = car(60.0, 0.9);
    s.vehicle.curve = {{0.0, 1.0}, {0.8, 1.0}, {1.0, 0.2}};
    const Vehicle v(s, 0.95, true);
    EXPECT_NEAR(v.max_charge_grid_kw(), 28.0 / 0.95, 1e-9);
}

TEST(Vehicle, BoundLessThanOneMillisecondAwayCountsAsReached) {
    // 36 kW at the inlet delivers 36 / 3 600 000 = 1e-5 kWh per millisecond (lossless car and charger).
    SessionSpec s = car(10.0, 0.2, 0.9e-5);
    s.vehicle.max_ac_kw = 36.0;
    EXPECT_DOUBLE_EQ(Vehicle(s, 1.0, false).max_charge_grid_kw(), 0.0);  // 0.9 ms of request left
    s.requested_kwh = 1.1e-5;
    EXPECT_DOUBLE_EQ(Vehicle(s, 1.0, false).max_charge_grid_kw(), 36.0);  // 1.1 ms left
    // Full: 10 kWh x 0.9e-6 of SoC = 0.9e-5 kWh of room, then 1.1e-5 kWh.
    s.requested_kwh = 100.0;
    s.initial_soc = 1.0 - 0.9e-6;
    EXPECT_DOUBLE_EQ(Vehicle(s, 1.0, false).max_charge_grid_kw(), 0.0);
    s.initial_soc = 1.0 - 1.1e-6;
    EXPECT_DOUBLE_EQ(Vehicle(s, 1.0, false).max_charge_grid_kw(), 36.0);
    // Minimum SoC: 0.9e-5 then 1.1e-5 kWh above it, at 36 kW of discharge.
    SessionSpec d = v2g_car(36.0, 0.5);
    d.vehicle.capacity_kwh = 10.0;
    d.initial_soc = 0.5 + 0.9e-6;
    EXPECT_DOUBLE_EQ(Vehicle(d, 1.0, false).max_discharge_grid_kw(), 0.0);
    d.initial_soc = 0.5 + 1.1e-6;
    EXPECT_DOUBLE_EQ(Vehicle(d, 1.0, false).max_discharge_grid_kw(), 36.0);
}

TEST(Vehicle, TimeToRequestIsRoundedDownAndNeverPassesIt) {
    SessionSpec s = car(60.0, 0.2, 2.0);
    s.vehicle.charge_efficiency = 0.9;
    Vehicle v(s, 0.95, false);
    // 10 kW grid = 9.5 kW at the inlet; 2 kWh take 2 / 9.5 h = 757 894.74 ms, rounded down.
    const Duration dt = v.time_to_next_change(10.0);
    EXPECT_EQ(dt.ms(), 757'894);
    v.integrate(10.0, dt);
    // 9.5 x 757 894 / 3 600 000 = 1.999 998 06 kWh: 1.94e-6 short, under one millisecond at the
    // car's 11 kW (3.06e-6 kWh), so the request counts as met.
    EXPECT_LE(v.delivered_kwh(), 2.0);
    EXPECT_NEAR(v.delivered_kwh(), 2.0, 3.06e-6);
    EXPECT_DOUBLE_EQ(v.max_charge_grid_kw(), 0.0);
}

TEST(Vehicle, TimeToFullIsRoundedDown) {
    SessionSpec s = car(10.0, 0.95, 100.0);
    s.vehicle.charge_efficiency = 0.9;
    Vehicle v(s, 1.0, false);
    // Room 0.5 kWh = 0.5 / 0.9 = 0.5556 kWh at the inlet; at 7 kW: 285 714.29 ms, rounded down.
    const Duration dt = v.time_to_next_change(7.0);
    EXPECT_EQ(dt.ms(), 285'714);
    v.integrate(7.0, dt);
    // Short of full by less than one millisecond: 7 x 0.9 / 3 600 000 = 1.75e-6 kWh stored.
    EXPECT_LE(v.soc(), 1.0);
    EXPECT_LT((1.0 - v.soc()) * 10.0, 1.75e-6);
    EXPECT_DOUBLE_EQ(v.max_charge_grid_kw(), 0.0);
    EXPECT_NEAR(v.charged_kwh() * 0.9, v.soc() * 10.0 - 9.5, 1e-12);  // everything charged is stored
}

TEST(Vehicle, TimeToMinimumSocIsRoundedDown) {
    SessionSpec s = v2g_car(11.0, 0.3);
    s.vehicle.capacity_kwh = 50.0;
    s.vehicle.discharge_efficiency = 0.9;
    Vehicle v(s, 0.95, false);
    // 25 - 15 = 10 kWh above the minimum give 9 kWh at the inlet; -7 kW at the grid draws 7 / 0.95 =
    // 7.368 kW from the inlet: 9 / 7.368 h = 4 397 142.86 ms, rounded down.
    const Duration dt = v.time_to_next_change(-7.0);
    EXPECT_EQ(dt.ms(), 4'397'142);
    v.integrate(-7.0, dt);
    EXPECT_GE(v.soc(), 0.3);
    EXPECT_NEAR(v.soc(), 0.3, 1e-7);
    EXPECT_DOUBLE_EQ(v.max_discharge_grid_kw(), 0.0);
}

TEST(Vehicle, TimeToStairEdgeIsRoundedUp) {
    // 20 kW AC flat to SoC 0.5, then tapering to 10 kW at SoC 1 (f(s) = 1 - (s - 0.5) on the slope).
    SessionSpec s = car(40.0, 0.3, 100.0);
    s.vehicle.max_ac_kw = 20.0;
    s.vehicle.charge_efficiency = 0.9;
    s.vehicle.curve = {{0.0, 1.0}, {0.5, 1.0}, {1.0, 0.5}};
    Vehicle v(s, 1.0, false);
    EXPECT_DOUBLE_EQ(v.max_charge_grid_kw(), 20.0);
    // To SoC 0.5: 8 kWh stored = 8 / 0.9 = 8.889 kWh at the inlet; at 7 kW: 4 571 428.57 ms, rounded up.
    const Duration dt = v.time_to_next_change(7.0);
    EXPECT_EQ(dt.ms(), 4'571'429);
    v.integrate(7.0, dt);
    // Past the edge by less than one millisecond: 7 x 0.9 / 3 600 000 = 1.75e-6 kWh = 4.4e-8 of SoC.
    EXPECT_GE(v.soc(), 0.5);
    EXPECT_LE(v.soc() - 0.5, 1.75e-6 / 40.0);
    EXPECT_NEAR(v.max_charge_grid_kw(), 20.0 * 0.99, 1e-9);  // the stair [0.50, 0.51]: f(0.51) = 0.99
    // To SoC 0.51 from 0.3: 8.4 / 0.9 / 7 h = 4 800 000 ms in all, 228 571 of them left (+1 when
    // rounding puts the exact value a hair above the whole millisecond).
    const std::int64_t next = v.time_to_next_change(7.0).ms();
    EXPECT_GE(next, 228'571);
    EXPECT_LE(next, 228'572);
}

TEST(Vehicle, EdgeCloserThanOneMillisecondTakesOneMillisecond) {
    // 1e-10 of SoC below the edge at 0.5: 4e-9 kWh, far less than the 1.75e-6 kWh of one millisecond.
    SessionSpec s = car(40.0, 0.5 - 1e-10, 100.0);
    s.vehicle.max_ac_kw = 20.0;
    s.vehicle.charge_efficiency = 0.9;
    s.vehicle.curve = {{0.0, 1.0}, {0.5, 1.0}, {1.0, 0.5}};
    Vehicle v(s, 1.0, false);
    EXPECT_DOUBLE_EQ(v.max_charge_grid_kw(), 20.0);
    EXPECT_EQ(v.time_to_next_change(7.0).ms(), 1);
    v.integrate(7.0, Duration(1));
    EXPECT_NEAR(v.max_charge_grid_kw(), 19.8, 1e-9);
}

TEST(Vehicle, RequestBeforeTheNextEdgeWins) {
    // Edge at SoC 0.5 is 8.889 kWh away at the inlet, the request 1 kWh: 1 / 7 h = 514 285.71 ms, floor.
    SessionSpec s = car(40.0, 0.3, 1.0);
    s.vehicle.max_ac_kw = 20.0;
    s.vehicle.charge_efficiency = 0.9;
    s.vehicle.curve = {{0.0, 1.0}, {0.5, 1.0}, {1.0, 0.5}};
    EXPECT_EQ(Vehicle(s, 1.0, false).time_to_next_change(7.0).ms(), 514'285);
}

TEST(Vehicle, TargetSocBecomesRequestedInletEnergy) {
    SessionSpec s = car(60.0, 0.2, -1.0);
    s.target_soc = 0.8;
    s.vehicle.charge_efficiency = 0.9;
    // (0.8 - 0.2) x 60 = 36 kWh into the battery = 36 / 0.9 = 40 kWh at the inlet.
    Vehicle v(s, 1.0, false);
    EXPECT_NEAR(v.requested_kwh(), 40.0, 1e-12);
    const Duration dt = v.time_to_next_change(11.0);
    v.integrate(11.0, dt);
    EXPECT_LE(v.soc(), 0.8);
    EXPECT_NEAR(v.soc(), 0.8, 1e-7);
    EXPECT_DOUBLE_EQ(v.max_charge_grid_kw(), 0.0);
    // A target below the SoC on arrival asks for nothing.
    s.target_soc = 0.1;
    const Vehicle w(s, 1.0, false);
    EXPECT_DOUBLE_EQ(w.requested_kwh(), 0.0);
    EXPECT_DOUBLE_EQ(w.max_charge_grid_kw(), 0.0);
}

// Random sessions driven the way the simulator drives them: pick a power the vehicle takes now,
// integrate to its next change (or a tick before it), repeat. The battery stays in [min_soc, 1],
// energy balances, no more than the request is delivered, no step is zero-length, and charging ends.
TEST(Vehicle, PropertyRandomSessionsRespectTheirBounds) {
    std::mt19937_64 rng(61851);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const auto between = [&](double a, double b) { return a + (b - a) * u(rng); };
    for (int trial = 0; trial < 300; ++trial) {
        SessionSpec s;
        s.vehicle.capacity_kwh = between(10.0, 100.0);
        s.vehicle.min_soc = u(rng) < 0.5 ? 0.0 : between(0.0, 0.3);
        s.initial_soc = between(s.vehicle.min_soc, 1.0);
        s.vehicle.charge_efficiency = between(0.85, 1.0);
        s.vehicle.discharge_efficiency = between(0.85, 1.0);
        s.vehicle.max_ac_kw = between(3.0, 22.0);
        s.vehicle.max_dc_kw = between(20.0, 350.0);
        if (u(rng) < 0.8) s.vehicle.curve = test::random_curve(rng);
        s.vehicle.v2g_allowed = u(rng) < 0.5;
        s.vehicle.max_discharge_kw = between(0.0, 20.0);
        if (u(rng) < 0.5)
            s.requested_kwh = between(0.0, 1.2 * s.vehicle.capacity_kwh);
        else
            s.target_soc = u(rng);
        const double charger_eff = between(0.9, 1.0);
        const bool dc = u(rng) < 0.3;
        Vehicle v(s, charger_eff, dc);
        const ChargeStaircase curve(s.vehicle.curve, dc ? s.vehicle.max_dc_kw : s.vehicle.max_ac_kw);
        const double cap = s.vehicle.capacity_kwh;
        SCOPED_TRACE("trial " + std::to_string(trial));

        int steps = 0;
        for (; steps < 100'000; ++steps) {
            const double up = v.max_charge_grid_kw();
            const double down = steps < 300 ? v.max_discharge_grid_kw() : 0.0;  // then charge to the end
            // The cached maximum is the curve's stair at the SoC now (or zero at a bound).
            if (up != 0.0) {
                ASSERT_EQ(up, curve.max_kw(v.soc()) / charger_eff) << "soc " << v.soc();
            }
            double kw;
            if (up > 0.0 && (down == 0.0 || u(rng) < 0.7))
                kw = up * between(0.05, 1.0);
            else if (down > 0.0)
                kw = -down * between(0.05, 1.0);
            else
                break;
            Duration dt = v.time_to_next_change(kw);
            ASSERT_GE(dt.ms(), 1) << "zero-length step at soc " << v.soc() << ", " << kw << " kW";
            if (u(rng) < 0.3) dt = std::min(dt, Duration(static_cast<std::int64_t>(between(1.0, 900'000.0))));
            v.integrate(kw, dt);

            ASSERT_GE(v.soc(), v.min_soc() - 1e-12);
            ASSERT_LE(v.soc(), 1.0 + 1e-12);
            ASSERT_LE(v.delivered_kwh(), v.requested_kwh() + 1e-9);
            // Stored energy = initial + charged x eta_charge - discharged / eta_discharge: the battery
            // was never clipped at full or empty.
            const double stored = s.initial_soc * cap + v.charged_kwh() * s.vehicle.charge_efficiency -
                                  v.discharged_kwh() / s.vehicle.discharge_efficiency;
            ASSERT_NEAR(v.soc() * cap, stored, 1e-9 * cap);
            ASSERT_NEAR(v.grid_kwh(), v.charged_kwh() / charger_eff - v.discharged_kwh() * charger_eff,
                        1e-9 * cap);
        }
        ASSERT_LT(steps, 100'000) << "the session never finished";
        // It stopped for a reason: request met, full, or a stair of zero power.
        const double one_ms_kwh = one_ms_of(curve.max_kw(v.soc()));
        EXPECT_TRUE(v.remaining_kwh() <= one_ms_kwh ||
                    (1.0 - v.soc()) * cap / s.vehicle.charge_efficiency <= one_ms_kwh ||
                    curve.max_kw(v.soc()) == 0.0)
            << "remaining " << v.remaining_kwh() << " kWh at soc " << v.soc();
    }
}

}  // namespace
}  // namespace evtwin
