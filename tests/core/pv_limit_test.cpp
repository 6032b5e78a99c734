// A decision's PV limit (Decision::pv_limit_kw): an inverter's active power limit on the site's
// arrays together, each giving its share in proportion, held until the next decision while the PV
// changes; an invalid one is recorded and not applied.
#include "core/simulator.hpp"

#include "support/memory_sink.hpp"
#include "support/test_site.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace evtwin {
namespace {

using test::at_hour;
using test::MemorySink;

// Two arrays of 30 and 10 kWp under the transformer, at full output until 10:00, then at 40 %.
ScenarioSpec two_arrays() {
    ScenarioSpec spec = test::small_site(1, 11.0, 100.0);
    for (const double kwp : {30.0, 10.0}) {
        PvSpec pv;
        pv.name = kwp > 20 ? "roof" : "carport";
        pv.node = 1;
        pv.kwp = kwp;
        pv.profile.push(spec.start, 1.0);
        pv.profile.push(at_hour(10.0), 0.4);
        spec.pv.push_back(pv);
    }
    return spec;
}

const SiteSample& at(const MemorySink& sink, Time t) {
    const SiteSample* found = &sink.site.front().second;
    for (const auto& [when, s] : sink.site)
        if (when <= t) found = &s;
    return *found;
}

TEST(PvLimit, TheArraysShareTheLimitAndTheRestIsCurtailed) {
    const ScenarioSpec spec = two_arrays();
    test::FunctionStrategy strategy([](const Observation&, Decision& d) { d.pv_limit_kw = 20.0; });
    const MemorySink sink = test::simulate(spec, strategy);
    EXPECT_TRUE(sink.violations.empty());
    // 40 kW available: 20 used (15 + 5), 20 curtailed, exported through the grid connection.
    const SiteSample& morning = at(sink, at_hour(9.0));
    EXPECT_NEAR(morning.pv_kw, 20.0, 1e-9);
    EXPECT_NEAR(morning.pv_curtailed_kw, 20.0, 1e-9);
    EXPECT_NEAR(morning.grid_kw, -20.0, 1e-9);
    // From 10:00 the arrays give 16 kW, under the limit: nothing is curtailed.
    const SiteSample& later = at(sink, at_hour(11.0));
    EXPECT_NEAR(later.pv_kw, 16.0, 1e-9);
    EXPECT_NEAR(later.pv_curtailed_kw, 0.0, 1e-9);
}

TEST(PvLimit, WithoutALimitThePvGivesAllItCan) {
    const ScenarioSpec spec = two_arrays();
    test::FunctionStrategy strategy([](const Observation&, Decision&) {});
    const MemorySink sink = test::simulate(spec, strategy);
    EXPECT_NEAR(at(sink, at_hour(9.0)).pv_kw, 40.0, 1e-9);
    EXPECT_NEAR(at(sink, at_hour(9.0)).pv_curtailed_kw, 0.0, 1e-9);
}

TEST(PvLimit, ALimitThatIsNotANumberOrNegativeIsRecordedAndNotApplied) {
    for (const double limit : {std::nan(""), -5.0}) {
        const ScenarioSpec spec = two_arrays();
        test::FunctionStrategy strategy([limit](const Observation&, Decision& d) { d.pv_limit_kw = limit; });
        const MemorySink sink = test::simulate(spec, strategy);
        ASSERT_FALSE(sink.violations.empty()) << limit;
        EXPECT_EQ(sink.violations.front().second.kind, "invalid_pv_limit") << limit;
        EXPECT_NEAR(at(sink, at_hour(9.0)).pv_kw, 40.0, 1e-9) << limit;
    }
}

}  // namespace
}  // namespace evtwin
