// The batteries' grid permissions (docs/engine.md, "Grid permissions"), worked out by hand on a site
// whose PV gives 6 kW, 2 kW from 0:30 and 6 kW again from 1:30, with one decision an hour: a battery
// without grid charge follows the surplus between decisions, a cut of what a decision asks is a
// violation, and the site never imports for it.
#include "support/memory_sink.hpp"
#include "support/test_site.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace evtwin {
namespace {

ScenarioSpec pv_site() {
    ScenarioSpec spec = test::small_site(1, 11.0, 100.0);
    spec.control_period = Duration::hours(1);
    PvSpec pv;
    pv.name = "roof";
    pv.kwp = 10.0;
    pv.profile.push(test::at_hour(0.0), 0.6);
    pv.profile.push(test::at_hour(0.5), 0.2);
    pv.profile.push(test::at_hour(1.5), 0.6);
    spec.pv = {pv};
    return spec;
}

EssSpec battery(const std::string& name, double capacity_kwh) {
    EssSpec e;
    e.name = name;
    e.node = 0;
    e.capacity_kwh = capacity_kwh;
    e.max_charge_kw = e.max_discharge_kw = 10.0;
    e.charge_efficiency = e.discharge_efficiency = 1.0;
    e.soc_min = 0.0;
    e.soc_max = 1.0;
    e.soc_initial = 0.5;
    return e;
}

using PowerAt = std::tuple<std::uint32_t, std::int64_t, double>;  // battery, minute, kW

std::vector<PowerAt> powers(const test::MemorySink& sink, Time start) {
    std::vector<PowerAt> out;
    for (const auto& e : sink.ess_samples) out.emplace_back(e.ess, (e.t - start).ms() / 60'000, e.kw);
    return out;
}

// Asked for 10 kW all along, a 20 kWh battery half full without grid charge takes 6 kW, then 2 kW
// from 0:30 (PV dropped, no decision: no record), 2 kW at the decision of 1:00 (recorded), 6 kW from
// 1:30: 8 kWh by 2:00, and the last 2 kWh at 6 kW, full at 2:20. The decisions of 0:00, 1:00 and 2:00
// are cut (10 to 6, 2 and 6 kW); the site imports nothing at any instant.
TEST(EssGridPermissions, ABatteryWithoutGridChargeFollowsThePvSurplus) {
    ScenarioSpec spec = pv_site();
    EssSpec a = battery("A", 20.0);
    a.grid_charge = false;
    spec.ess = {a};
    test::FunctionStrategy strategy([](const Observation& o, Decision& d) {
        ASSERT_EQ(o.ess.size(), 1u);
        EXPECT_FALSE(o.ess[0].grid_charge);
        EXPECT_TRUE(o.ess[0].grid_discharge);
        d.ess_kw = {10.0};
    });
    const test::MemorySink sink = test::simulate(spec, strategy);
    const std::vector<PowerAt> expected = {
        {0, 0, 0.0}, {0, 0, 6.0}, {0, 30, 2.0}, {0, 90, 6.0}, {0, 140, 0.0}};
    EXPECT_EQ(powers(sink, spec.start), expected);
    EXPECT_NEAR(sink.ess_samples.back().soc, 1.0, 1e-9);
    std::vector<std::tuple<std::int64_t, std::string, double, double>> cuts;
    for (const auto& [t, v] : sink.violations) {
        EXPECT_EQ(v.ess, 0u);
        cuts.emplace_back((t - spec.start).ms() / 60'000, v.kind, v.requested_kw, v.applied_kw);
    }
    const std::vector<std::tuple<std::int64_t, std::string, double, double>> expected_cuts = {
        {0, "ess_grid_charge", 10.0, 6.0},
        {60, "ess_grid_charge", 10.0, 2.0},
        {120, "ess_grid_charge", 10.0, 6.0}};
    EXPECT_EQ(cuts, expected_cuts);
    for (const auto& [t, s] : sink.site)
        EXPECT_LE(s.grid_kw, 1e-9) << "at " << (t - spec.start).ms() / 60'000;
}

// Without grid discharge, a battery asked for 10 kW back gives only the 4 kW the site's load draws
// (and less where the PV covers part of it): the site never exports for it. Here no PV, 4 kW of load.
TEST(EssGridPermissions, ABatteryWithoutGridDischargeGivesOnlyWhatTheSiteDraws) {
    ScenarioSpec spec = pv_site();
    spec.pv.clear();
    LoadSpec load;
    load.name = "building";
    load.kw.push(test::at_hour(0.0), 4.0);
    spec.loads = {load};
    EssSpec b = battery("B", 20.0);
    b.grid_discharge = false;
    spec.ess = {b};
    test::FunctionStrategy strategy([](const Observation&, Decision& d) { d.ess_kw = {-10.0}; });
    const test::MemorySink sink = test::simulate(spec, strategy);
    ASSERT_GE(sink.ess_samples.size(), 2u);
    EXPECT_DOUBLE_EQ(sink.ess_samples[1].kw, -4.0);
    ASSERT_FALSE(sink.violations.empty());
    const Violation& first = sink.violations.front().second;
    EXPECT_EQ(first.kind, "ess_grid_discharge");
    EXPECT_DOUBLE_EQ(first.requested_kw, -10.0);
    EXPECT_DOUBLE_EQ(first.applied_kw, -4.0);
    // 10 kWh at 4 kW: empty at 2:30, after which the site imports the load.
    EXPECT_EQ(std::get<1>(powers(sink, spec.start).back()), 150);
    for (const auto& [t, s] : sink.site) EXPECT_GE(s.grid_kw, -1e-9);
}

// Two batteries without grid charge share the 6 kW surplus in priority order: C (priority 5, after A
// in the scenario) takes the 5 kW it asks, A (priority 0) the 1 kW left.
TEST(EssGridPermissions, ASurplusGoesToTheHigherPriorityFirst) {
    ScenarioSpec spec = pv_site();
    EssSpec a = battery("A", 20.0);
    a.grid_charge = false;
    EssSpec c = battery("C", 20.0);
    c.grid_charge = false;
    c.priority = 5;
    spec.ess = {a, c};
    test::FunctionStrategy strategy([](const Observation&, Decision& d) { d.ess_kw = {5.0, 5.0}; });
    const test::MemorySink sink = test::simulate(spec, strategy);
    std::vector<PowerAt> at_start = powers(sink, spec.start);
    ASSERT_GE(at_start.size(), 4u);
    at_start.resize(4);
    const std::vector<PowerAt> expected = {{0, 0, 0.0}, {1, 0, 0.0}, {0, 0, 1.0}, {1, 0, 5.0}};
    EXPECT_EQ(at_start, expected);
}

}  // namespace
}  // namespace evtwin
