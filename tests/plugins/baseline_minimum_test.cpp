// The sorting baselines grant every driver's minimum power (SessionView::needs) before the rest of
// their order: on a 20 kW transformer over three 11 kW chargers, the vehicle that leaves last and
// would get nothing gets its 3 kW minimum, and the others share the 17 kW left in their order.
#include "plugins/baseline_sites.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

using test::decide;
using test::decision_problems;
using test::make;
using test::TransformerSite;

// Arrivals 0, 1 and 2 h (fcfs's order), departures 4, 5 and 9 h (edf's and llf's), 30 kWh each.
void plug_three(TransformerSite& t, double min_kw) {
    t.site.set_now_h(2.0);
    t.site.plug(t.c0, 0.0, 4.0, 30.0, 11.0);
    t.site.plug(t.c1, 1.0, 5.0, 30.0, 11.0);
    t.site.plug(t.c2, 2.0, 9.0, 30.0, 11.0);
    t.site.sessions()[2].needs.min_charge_kw = min_kw;
}

// Without the minimum: 11, 9 and 0 kW. With 3 kW for the last: 3 first, then 11 and 20 − 3 − 11 = 6.
TEST(BaselineMinimum, TheLastInOrderGetsItsDriversMinimumFirst) {
    for (const char* name : {"fcfs", "edf", "llf"}) {
        SCOPED_TRACE(name);
        {
            TransformerSite t;
            plug_three(t, 0.0);
            auto s = make(name);
            const Decision d = decide(*s, t.site.observation());
            EXPECT_DOUBLE_EQ(d.connector_kw[t.c0], 11.0);
            EXPECT_DOUBLE_EQ(d.connector_kw[t.c1], 9.0);
            EXPECT_DOUBLE_EQ(d.connector_kw[t.c2], 0.0);
        }
        TransformerSite t;
        plug_three(t, 3.0);
        auto s = make(name);
        const Observation obs = t.site.observation();
        const Decision d = decide(*s, obs);
        EXPECT_EQ(decision_problems(obs, d), "");
        EXPECT_DOUBLE_EQ(d.connector_kw[t.c0], 11.0);
        EXPECT_DOUBLE_EQ(d.connector_kw[t.c1], 6.0);
        EXPECT_DOUBLE_EQ(d.connector_kw[t.c2], 3.0);
    }
}

// round_robin with a minimum of 9 kW, above the fair share of 20/3 kW it gave the third without one:
// the minimum first, then the 11 kW it leaves shared and handed out in rotation, 20 kW in all.
TEST(BaselineMinimum, RoundRobinSharesWhatTheMinimumLeaves) {
    TransformerSite t;
    plug_three(t, 0.0);
    auto fair = make("round_robin");
    EXPECT_NEAR(decide(*fair, t.site.observation()).connector_kw[t.c2], 20.0 / 3.0, 1e-9);
    t.site.sessions()[2].needs.min_charge_kw = 9.0;
    auto s = make("round_robin");
    const Observation obs = t.site.observation();
    const Decision d = decide(*s, obs);
    EXPECT_EQ(decision_problems(obs, d), "");
    EXPECT_GE(d.connector_kw[t.c2], 9.0);
    EXPECT_NEAR(d.connector_kw[t.c0] + d.connector_kw[t.c1] + d.connector_kw[t.c2], 20.0, 1e-9);
}

// alap leaves a vehicle with time to spare waiting, but not below its minimum.
TEST(BaselineMinimum, AlapGivesAWaitingVehicleItsMinimum) {
    TransformerSite t;
    plug_three(t, 3.0);
    auto s = make("alap");
    const Decision d = decide(*s, t.site.observation());
    EXPECT_DOUBLE_EQ(d.connector_kw[t.c2], 3.0);
}

}  // namespace
}  // namespace evtwin
