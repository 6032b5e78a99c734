// Batteries through a run: state of health carried from session to session, fade split between the
// site and the time away, usage statistics against the energy the engine integrated.
#include "core/simulator.hpp"
#include "model/battery_life.hpp"

#include "support/memory_sink.hpp"
#include "support/test_site.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

using test::MemorySink;

// One vehicle, three visits on one day: 20 kWh each at 10 kW.
ScenarioSpec returning_vehicle() {
    ScenarioSpec spec = test::small_site(1, 10.0, 100.0);
    spec.battery.ev_cost_per_kwh = 150.0;
    for (int i = 0; i < 3; ++i) {
        SessionSpec s = test::session(static_cast<SessionId>(i), 1.0 + 7.0 * i, 5.0 + 7.0 * i, 20.0);
        s.vehicle_id = "car-1";
        s.vehicle.model_year = 2018;
        spec.sessions.push_back(s);
    }
    return spec;
}

TEST(BatteryHealth, AReturningVehicleCarriesItsStateOfHealth) {
    const ScenarioSpec spec = returning_vehicle();
    auto strategy = test::offer_all();
    const MemorySink sink = test::simulate(spec, strategy);

    ASSERT_EQ(sink.sessions.size(), 3u);
    ASSERT_EQ(sink.batteries.size(), 1u);
    const BatteryUsage& b = sink.batteries[0];
    EXPECT_EQ(b.battery, "ev:car-1");
    EXPECT_EQ(b.sessions, 3);
    // Six years old: it arrives where the reference use leaves an NMC battery.
    EXPECT_NEAR(b.soh_start, expected_soh(Chemistry::nmc, age_years(2018, test::at_hour(1.0))), 1e-12);
    EXPECT_LT(b.soh_start, 1.0);
    EXPECT_LT(b.soh_end, b.soh_start);
    // Each session starts at what the last one (and the time away) left.
    for (std::size_t i = 1; i < 3; ++i) {
        const SessionRecord& last = sink.sessions[i - 1];
        const double left_with = last.soh - last.fade_calendar - last.fade_cycling;
        EXPECT_LT(sink.sessions[i].soh, left_with);         // it also aged away from the site ...
        EXPECT_GT(sink.sessions[i].soh, left_with - 1e-4);  // ... a little, in three hours
    }
    // The site's fade is the sessions' fade; the battery also aged while away.
    double calendar = 0.0, cycling = 0.0;
    for (const SessionRecord& r : sink.sessions) {
        EXPECT_GT(r.fade_calendar, 0.0);
        EXPECT_GT(r.fade_cycling, 0.0);
        EXPECT_DOUBLE_EQ(r.value_per_fade, 60.0 * 150.0 / 0.2);
        calendar += r.fade_calendar;
        cycling += r.fade_cycling;
    }
    EXPECT_NEAR(b.calendar_fade, calendar, 1e-15);
    EXPECT_NEAR(b.cycling_fade, cycling, 1e-15);
    EXPECT_GT(b.soh_start - b.soh_end, calendar + cycling);
}

TEST(BatteryHealth, AnAgedBatteryHoldsLess) {
    ScenarioSpec spec = test::small_site(1, 10.0, 100.0);
    SessionSpec s = test::session(0, 1.0, 20.0, 100.0, 60.0, 0.5);  // asks for more than it holds
    s.vehicle.soh = 0.8;
    spec.sessions = {s};
    auto strategy = test::offer_all();
    const MemorySink sink = test::simulate(spec, strategy);
    ASSERT_EQ(sink.sessions.size(), 1u);
    EXPECT_DOUBLE_EQ(sink.sessions[0].capacity_kwh, 48.0);
    EXPECT_NEAR(sink.sessions[0].delivered_kwh, 24.0, 1e-6);  // half of 48 kWh, not of 60
    EXPECT_NEAR(sink.sessions[0].final_soc, 1.0, 1e-9);
}

TEST(BatteryHealth, UsageMatchesTheEnergyTheEngineIntegrated) {
    const ScenarioSpec spec = returning_vehicle();
    auto strategy = test::offer_all();
    const MemorySink sink = test::simulate(spec, strategy);
    const BatteryUsage& b = sink.batteries[0];
    double charged = 0.0;
    for (const SessionRecord& r : sink.sessions) charged += r.charged_kwh;  // efficiency 1: battery side
    // Equivalent full cycles: throughput over twice the nominal capacity.
    EXPECT_NEAR(b.efc, charged / (2.0 * 60.0), 1e-9);
    EXPECT_NEAR(b.hours_seen, 3 * 4.0, 1e-9);
    EXPECT_DOUBLE_EQ(b.v2g_kwh, 0.0);
    EXPECT_DOUBLE_EQ(b.dc_share, 0.0);
    // 10 kW into a battery of 60 kWh nominal.
    EXPECT_NEAR(b.mean_c_rate, 10.0 / 60.0, 1e-9);
    EXPECT_GT(b.mean_depth, 0.3);
}

TEST(BatteryHealth, VehiclesWithoutAnIdOrAgeAreTypicalUsedOnesOfTheirOwn) {
    ScenarioSpec spec = test::small_site(2, 10.0, 100.0);
    spec.sessions = {test::session(0, 1.0, 5.0, 20.0), test::session(1, 2.0, 6.0, 20.0)};
    auto strategy = test::offer_all();
    const MemorySink sink = test::simulate(spec, strategy);
    EXPECT_TRUE(sink.batteries.empty());
    for (const SessionRecord& r : sink.sessions) {
        // Of unknown age: a typical three-year-old battery whose capacity is the session's.
        EXPECT_DOUBLE_EQ(r.soh, expected_soh(Chemistry::nmc, 3.0));
        EXPECT_DOUBLE_EQ(r.capacity_kwh, 60.0);
        EXPECT_GT(r.fade_calendar + r.fade_cycling, 0.0);
        EXPECT_DOUBLE_EQ(r.value_per_fade, 0.0);  // no battery value given
    }
}

TEST(BatteryHealth, TheEssAgesAlongItsTraceAndIsReported) {
    ScenarioSpec spec = test::small_site(1, 10.0, 100.0);
    EssSpec e;
    e.node = 1;
    e.capacity_kwh = 100.0;
    e.max_charge_kw = 50.0;
    e.max_discharge_kw = 50.0;
    e.charge_efficiency = e.discharge_efficiency = 1.0;
    e.soc_min = 0.0;
    e.soc_max = 1.0;
    e.soc_initial = 0.5;
    e.soh = 0.9;
    spec.ess = {e};
    spec.battery.ess_cost_per_kwh = 200.0;
    // Charge for the first hour, discharge for the next two, then hold.
    test::FunctionStrategy strategy([&](const Observation& obs, Decision& d) {
        const double h = (obs.now - spec.start).hours_f();
        d.ess_kw = {h < 1.0 ? 45.0 : h < 3.0 ? -45.0 : 0.0};
    });
    const MemorySink sink = test::simulate(spec, strategy);
    ASSERT_EQ(sink.batteries.size(), 1u);
    const BatteryUsage& b = sink.batteries[0];
    EXPECT_EQ(b.battery, ess_battery_name(e.name));
    EXPECT_EQ(b.chemistry, "lfp");
    EXPECT_DOUBLE_EQ(b.soh_start, 0.9);
    EXPECT_LT(b.soh_end, 0.9);
    EXPECT_NEAR(b.hours_seen, 24.0, 1e-9);
    // 45 kWh in, 90 kWh out of a 90 kWh battery: 135 kWh of throughput.
    EXPECT_NEAR(b.efc, 135.0 / (2.0 * 100.0), 1e-9);
    EXPECT_NEAR(b.v2g_kwh, 90.0, 1e-9);
    EXPECT_NEAR(b.max_depth, 1.0, 1e-9);  // from full to empty
    EXPECT_DOUBLE_EQ(b.value_per_fade, 100.0 * 200.0 / 0.2);
}

TEST(BatteryHealth, SameScenarioSameHealth) {
    const ScenarioSpec spec = returning_vehicle();
    auto a = test::offer_all();
    auto b = test::offer_all();
    const MemorySink one = test::simulate(spec, a);
    const MemorySink two = test::simulate(spec, b);
    ASSERT_EQ(one.batteries.size(), two.batteries.size());
    EXPECT_EQ(one.batteries[0].soh_end, two.batteries[0].soh_end);
    EXPECT_EQ(one.batteries[0].cycling_fade, two.batteries[0].cycling_fade);
}

}  // namespace
}  // namespace evtwin
