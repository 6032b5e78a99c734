// The baselines on chargers that hold only some setpoints, or need a minimum power to charge.
#include "baseline_names.hpp"
#include "plugins/baseline_sites.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace evtwin {
namespace {

using test::decide;
using test::decision_problems;
using test::make;
using test::SiteFixture;

using test::kBaselines;

struct SetpointSite {
    SiteFixture site{kUnlimited};
    NodeIndex transformer = site.add_node(site.grid(), NodeKind::transformer, 20.0);
    ConnectorIndex c0 = site.add_charger(transformer, 16.0, 0.0, {0, 6, 8, 16});
    ConnectorIndex c1 = site.add_charger(transformer, 16.0, 0.0, {0, 6, 8, 16});
    ConnectorIndex c2 = site.add_charger(transformer, 16.0, 0.0, {0, 6, 8, 16});
};

TEST(Edf, FiniteSetpointsAreNeverRoundedUpPastALimit) {
    SetpointSite t;
    t.site.plug(t.c0, 0, 2, 40, 16);
    t.site.plug(t.c1, 0, 3, 40, 16);
    t.site.plug(t.c2, 0, 4, 40, 16);
    auto s = make("edf");
    const Observation obs = t.site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c0], 16.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c1], 0.0);  // 4 kW left: no setpoint fits
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c2], 0.0);
}

TEST(Edf, FiniteSetpointCoveringASlowVehicleWhenThereIsRoom) {
    SetpointSite t;
    t.site.plug(t.c0, 0, 2, 40, 7.0);   // draws 7 kW at most: 8 covers it
    t.site.plug(t.c1, 0, 3, 40, 16.0);  // 12 kW left: 8 fits, 16 does not
    auto s = make("edf");
    const Observation obs = t.site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c0], 8.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c1], 8.0);
}

TEST(RoundRobin, FiniteSetpointStepsRotateBetweenDecisions) {
    SetpointSite t;
    t.site.plug(t.c0, 0, 8, 40, 16);
    t.site.plug(t.c1, 0, 8, 40, 16);
    t.site.plug(t.c2, 0, 8, 40, 16);
    auto s = make("round_robin");
    const Observation obs = t.site.observation();
    std::vector<ConnectorIndex> got_the_extra_step;
    for (int round = 0; round < 3; ++round) {
        const Decision d = decide(*s, obs);
        EXPECT_EQ(decision_problems(obs, d), "");
        // Shares of 6.67 round down to 6; the 2 kW left lift one charger to 8.
        std::vector<double> sorted = d.connector_kw;
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(sorted, (std::vector<double>{6, 6, 8}));
        got_the_extra_step.push_back(static_cast<ConnectorIndex>(
            std::max_element(d.connector_kw.begin(), d.connector_kw.end()) - d.connector_kw.begin()));
    }
    std::sort(got_the_extra_step.begin(), got_the_extra_step.end());
    EXPECT_EQ(got_the_extra_step, (std::vector<ConnectorIndex>{t.c0, t.c1, t.c2}));
}

TEST(Edf, MinimumPowerSkipsAChargerThatCannotHoldIt) {
    SiteFixture site{25.0};
    const ConnectorIndex a = site.add_charger(site.grid(), 11.0, 6.0);
    const ConnectorIndex b = site.add_charger(site.grid(), 11.0, 6.0);
    const ConnectorIndex c = site.add_charger(site.grid(), 11.0, 6.0);
    const ConnectorIndex d1 = site.add_charger(site.grid(), 3.7, 1.4);
    site.plug(a, 0, 1, 40, 11);
    site.plug(b, 0, 2, 40, 11);
    site.plug(c, 0, 3, 40, 11);    // 3 kW left: below its 6 kW minimum
    site.plug(d1, 0, 4, 40, 3.7);  // gets the 3 kW that c could not use
    auto s = make("edf");
    const Observation obs = site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    EXPECT_DOUBLE_EQ(d.connector_kw[a], 11.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[b], 11.0);
    EXPECT_DOUBLE_EQ(d.connector_kw[c], 0.0);
    EXPECT_NEAR(d.connector_kw[d1], 3.0, 1e-9);
}

TEST(AllBaselines, AVehicleBelowTheMinimumGetsTheMinimumAsItsCap) {
    for (const char* name : kBaselines) {
        SiteFixture site{20.0};
        const ConnectorIndex c = site.add_charger(site.grid(), 11.0, 4.2);
        site.plug(c, 0, 8, 2.0, 1.5);  // tapering near full: takes 1.5 kW
        auto s = make(name);
        const Observation obs = site.observation();
        const Decision d = decide(*s, obs);
        EXPECT_EQ(decision_problems(obs, d), "") << name;
        EXPECT_NEAR(d.connector_kw[c], 4.2, 1e-9) << name;
    }
}

TEST(RoundRobin, MinimumPowerDropsTheLastInRotationAndSharesTheRest) {
    SiteFixture site{20.0};
    std::vector<ConnectorIndex> cs;
    for (int i = 0; i < 4; ++i) {
        cs.push_back(site.add_charger(site.grid(), 11.0, 6.0));
        site.plug(cs.back(), 0, 8, 40, 11);
    }
    auto s = make("round_robin");
    const Observation obs = site.observation();
    std::vector<int> served(4, 0);
    for (int round = 0; round < 4; ++round) {
        const Decision d = decide(*s, obs);
        EXPECT_EQ(decision_problems(obs, d), "");
        int zeros = 0;
        for (std::size_t i = 0; i < cs.size(); ++i) {
            const double kw = d.connector_kw[cs[i]];
            if (kw == 0.0) {
                ++zeros;
            } else {
                EXPECT_NEAR(kw, 20.0 / 3.0, 1e-9);
                ++served[i];
            }
        }
        EXPECT_EQ(zeros, 1);  // 5 kW shares are below the 6 kW minimum: three share 20 kW
    }
    EXPECT_EQ(served, (std::vector<int>{3, 3, 3, 3}));  // the rotation turns who waits
}

}  // namespace
}  // namespace evtwin
