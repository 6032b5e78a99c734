// uncontrolled (load management by proportional shares) and alap (as late as possible).
#include "plugins/baseline_sites.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace evtwin {
namespace {

using test::decide;
using test::decision_problems;
using test::make;
using test::NestedSite;
using test::SiteFixture;
using test::TransformerSite;

TEST(Uncontrolled, LoadManagementScalesEveryoneInProportionToTheirRate) {
    SiteFixture site{kUnlimited};
    const NodeIndex transformer = site.add_node(site.grid(), NodeKind::transformer, 22.0);
    const ConnectorIndex a = site.add_charger(transformer, 11.0);
    const ConnectorIndex b = site.add_charger(transformer, 11.0);
    const ConnectorIndex c = site.add_charger(transformer, 22.0);
    site.plug(a, 0, 8, 40, 11);
    site.plug(b, 1, 8, 40, 11);
    site.plug(c, 2, 8, 40, 22);
    auto s = make("uncontrolled");
    const Observation obs = site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    // 44 kW asked of 22: everyone gets half, whatever the arrival order.
    EXPECT_NEAR(d.connector_kw[a], 5.5, 1e-9);
    EXPECT_NEAR(d.connector_kw[b], 5.5, 1e-9);
    EXPECT_NEAR(d.connector_kw[c], 11.0, 1e-9);
}

TEST(Uncontrolled, NestedLimitsScaleBottomUp) {
    NestedSite n;
    auto s = make("uncontrolled");
    const Observation obs = n.site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    // Feeder A: 22 kW asked of 12, so 6 + 6; the grid then carries 12 + 22 = 34 of 30 kW and
    // scales all four by 30/34.
    EXPECT_NEAR(d.connector_kw[n.c0], 6.0 * 30.0 / 34.0, 1e-9);
    EXPECT_NEAR(d.connector_kw[n.c1], 6.0 * 30.0 / 34.0, 1e-9);
    EXPECT_NEAR(d.connector_kw[n.c2], 11.0 * 30.0 / 34.0, 1e-9);
    EXPECT_NEAR(d.connector_kw[n.c3], 11.0 * 30.0 / 34.0, 1e-9);
    EXPECT_NEAR(test::node_flows(obs, d)[n.site.grid()], 30.0, 1e-9);
}

TEST(Uncontrolled, FixedFlowsMoveTheRoomLoadManagementShares) {
    SiteFixture site{20.0};
    const NodeIndex feeder = site.add_node(site.grid(), NodeKind::feeder, 14.0);
    const ConnectorIndex a = site.add_charger(feeder, 11.0);
    const ConnectorIndex b = site.add_charger(feeder, 11.0);
    const ConnectorIndex c = site.add_charger(site.grid(), 11.0);
    site.add_fixed_flow(feeder, 4.0);  // base load on the feeder: 10 kW left there
    for (ConnectorIndex x : {a, b, c}) site.plug(x, 0, 8, 40, 11);
    auto s = make("uncontrolled");
    const Observation obs = site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    // Feeder: 5 + 5; grid: 4 + 10 + 11 = 25 of 20 kW, so the 21 kW of EVs become 16.
    EXPECT_NEAR(d.connector_kw[a], 5.0 * 16.0 / 21.0, 1e-9);
    EXPECT_NEAR(d.connector_kw[b], 5.0 * 16.0 / 21.0, 1e-9);
    EXPECT_NEAR(d.connector_kw[c], 11.0 * 16.0 / 21.0, 1e-9);
}

TEST(Uncontrolled, FiniteSetpointsAreRoundedDown) {
    SetpointSite t;
    t.site.plug(t.c0, 0, 8, 40, 7.0);   // offered 8, the smallest setpoint that covers it
    t.site.plug(t.c1, 1, 8, 40, 16.0);  // offered 16
    auto s = make("uncontrolled");
    const Observation obs = t.site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    // 24 kW offered under 20: 6.67 and 13.33, rounded down to 6 and 8.
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c0], 6.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c1], 8.0);
    t.site.plug(t.c2, 2, 8, 40, 16.0);
    const Observation three = t.site.observation();
    const Decision e = decide(*s, three);
    EXPECT_EQ(decision_problems(three, e), "");
    // 40 kW offered under 20: 4, 8 and 8, rounded down to 0, 8 and 8.
    EXPECT_EQ(e.connector_kw, (std::vector<double>{0.0, 8.0, 8.0}));
}

TEST(Uncontrolled, AShareBelowTheMinimumPowerPausesTheCharger) {
    for (const double grid_kw : {25.0, 20.0}) {
        SiteFixture site{grid_kw};
        for (int i = 0; i < 4; ++i) site.plug(site.add_charger(site.grid(), 11.0, 6.0), 0, 8, 40, 11);
        auto s = make("uncontrolled");
        const Observation obs = site.observation();
        const Decision d = decide(*s, obs);
        EXPECT_EQ(decision_problems(obs, d), "") << grid_kw;
        // 25 kW: shares of 6.25 kW hold; 20 kW: shares of 5 kW are below the 6 kW minimum, and a
        // load manager that only scales down pauses them all (fcfs and round_robin would not).
        for (double kw : d.connector_kw) EXPECT_NEAR(kw, grid_kw == 25.0 ? 6.25 : 0.0, 1e-9) << grid_kw;
    }
}

TEST(Alap, IsBuiltInAndTakesNoOptions) {
    const evtwin_plugin_descriptor* d = find_static_strategy("alap");
    ASSERT_NE(d, nullptr);
    EXPECT_STREQ(d->name, "alap");
    EXPECT_STREQ(d->version, "1.0.0");
    EXPECT_THROW(load_static_strategy("alap", {{"horizon", "4h"}}), PluginError);
}

TEST(Alap, WaitsWhileOnePeriodMoreStillLetsItFinish) {
    SiteFixture site;
    const ConnectorIndex c = site.add_charger(site.grid(), 11.0);
    site.plug(c, 0.0, 2.0, 17.6, 11.0);  // 1.6 h at 11 kW; 15-minute control period
    auto s = make("alap");
    site.set_now_h(0.1);  // slack 0.3 h: waiting a period still leaves 0.05 h
    EXPECT_DOUBLE_EQ(decide(*s, site.observation()).connector_kw[c], 0.0);
    site.set_now_h(0.2);  // slack 0.2 h: the next decision may come too late
    EXPECT_DOUBLE_EQ(decide(*s, site.observation()).connector_kw[c], 11.0);
}

TEST(Alap, TheInletRateSetsTheTimeNeeded) {
    SiteFixture site;
    const ConnectorIndex c = site.add_charger(site.grid(), 11.0);
    site.plug(c, 0.0, 3.0, 19.8, 11.0).charge_efficiency = 0.9;  // 2 h at 9.9 kW at the inlet
    auto s = make("alap");
    site.set_now_h(0.7);  // slack 0.3 h
    EXPECT_DOUBLE_EQ(decide(*s, site.observation()).connector_kw[c], 0.0);
    site.set_now_h(0.8);  // slack 0.2 h
    EXPECT_DOUBLE_EQ(decide(*s, site.observation()).connector_kw[c], 11.0);
}

// Stepped decision by decision: each vehicle starts in the last period that lets it finish at its
// full rate, and every one of them has its request at its declared departure.
TEST(Alap, EveryVehicleStartsLateAndFinishesByItsDeparture) {
    SiteFixture site;
    struct Want {
        double departure_h, kwh, kw, efficiency;
    };
    const std::vector<Want> wants = {{8.0, 22.0, 11.0, 1.0},
                                     {5.3, 7.4, 7.4, 0.95},
                                     {9.9, 40.0, 11.0, 0.9},
                                     {3.1, 3.0, 3.7, 1.0},
                                     {6.0, 0.0, 11.0, 1.0}};
    std::vector<ConnectorIndex> cs;
    for (const Want& w : wants) {
        cs.push_back(site.add_charger(site.grid(), 22.0));
        site.plug(cs.back(), 0.0, w.departure_h, w.kwh, w.kw).charge_efficiency = w.efficiency;
    }
    auto s = make("alap");
    const double period_h = 0.25;
    std::vector<double> first_h(wants.size(), -1.0);
    for (double now = 0.0; now < 10.0; now += period_h) {
        site.set_now_h(now);
        const Observation obs = site.observation();
        const Decision d = decide(*s, obs);
        ASSERT_EQ(decision_problems(obs, d), "");
        for (std::size_t i = 0; i < wants.size(); ++i) {
            SessionView& v = site.sessions()[i];
            const double kw = d.connector_kw[cs[i]];
            if (now >= wants[i].departure_h) {
                EXPECT_EQ(kw, 0.0);
                continue;
            }
            if (kw > 0.0 && first_h[i] < 0.0) first_h[i] = now;
            const double h = std::min(period_h, wants[i].departure_h - now);
            const double got = std::min(v.remaining_kwh, kw * v.charge_efficiency * h);
            v.remaining_kwh -= got;
            v.delivered_kwh += got;
        }
    }
    for (std::size_t i = 0; i < wants.size(); ++i) {
        const SessionView& v = site.sessions()[i];
        EXPECT_NEAR(v.remaining_kwh, 0.0, 1e-9) << "vehicle " << i;
        if (wants[i].kwh == 0.0) {
            EXPECT_LT(first_h[i], 0.0);
            continue;
        }
        const double latest_start_h =
            wants[i].departure_h - wants[i].kwh / (wants[i].kw * wants[i].efficiency);
        EXPECT_LE(first_h[i], latest_start_h + 1e-9) << "vehicle " << i;
        EXPECT_GT(first_h[i], latest_start_h - period_h - 1e-9) << "vehicle " << i;
    }
}

TEST(Alap, UnderALimitTheLatestVehicleIsServedFirst) {
    TransformerSite t;  // 20 kW over three 11 kW chargers
    t.site.set_now_h(4.0);
    t.site.plug(t.c0, 0.0, 5.0, 11.0, 11.0);  // slack 0
    t.site.plug(t.c1, 0.0, 5.1, 11.0, 11.0);  // slack 0.1 h
    t.site.plug(t.c2, 0.0, 5.0, 8.8, 11.0);   // slack 0.2 h
    auto s = make("alap");
    const Observation obs = t.site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c0], 11.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c1], 9.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c2], 0.0);
}

TEST(Alap, AVehicleWithoutDeclaredDepartureChargesAtOnceServedLast) {
    TransformerSite t;
    t.site.plug(t.c0, 0.0, 9.0, 30.0, 11.0).declared_departure = Time::max();
    t.site.plug(t.c1, 0.0, 1.0, 11.0, 11.0);   // due now
    t.site.plug(t.c2, 0.0, 20.0, 11.0, 11.0);  // not due
    auto s = make("alap");
    const Decision d = decide(*s, t.site.observation());
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c1], 11.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c0], 9.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c2], 0.0);
}

// Random sites: every strategy keeps every rule, and with continuous chargers and no minimum it
// leaves no vehicle short unless a node on its path is full.

}  // namespace
}  // namespace evtwin
