// The roll-out cost of a strategy from one observation, against hand-computed plans.
#include "host/baseline_rollout.hpp"
#include "host/plugin_loader.hpp"
#include "plugins/site_fixture.hpp"
#include "support/test_site.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

using test::SiteFixture;

class Constant : public Strategy {
public:
    explicit Constant(double kw, double ess_kw = 0.0) : kw_(kw), ess_kw_(ess_kw) {}
    void decide(const Observation& obs, Decision& out) override {
        ++calls;
        for (const SessionView& s : obs.sessions) out.connector_kw[s.connector] = kw_;
        out.ess_kw.assign(obs.ess.size(), ess_kw_);
    }
    int calls = 0;

private:
    double kw_, ess_kw_;
};

// A flat forecast of `periods` quarter hours from time 0.
Forecast flat_forecast(double import_price, double export_price = 0.0, int periods = 96) {
    Forecast f;
    f.start = Time(0);
    f.step = Duration::minutes(15);
    f.import_price.assign(periods, import_price);
    f.export_price.assign(periods, export_price);
    f.pv_kw.assign(periods, 0.0);
    f.base_load_kw.assign(periods, 0.0);
    return f;
}

TEST(BaselineRollout, ChargingAtFullPowerCostsTheEnergyAtItsPrice) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    site.plug(c, 0.0, 2.0, 10.0, 7.0);
    const Forecast f = flat_forecast(0.2);
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant full(7.0);
    const RolloutCost cost = rollout_cost(obs, full);
    EXPECT_EQ(cost.periods, 8);                   // up to the declared departure, 2 h
    EXPECT_NEAR(cost.delivered_kwh, 10.0, 1e-9);  // stops at the request
    EXPECT_NEAR(cost.import_kwh, 10.0, 1e-9);
    EXPECT_NEAR(cost.energy, 2.0, 1e-9);
    EXPECT_NEAR(cost.unmet_kwh, 0.0, 1e-9);
    EXPECT_NEAR(cost.total, 2.0, 1e-9);
    EXPECT_EQ(full.calls, 8);
}

// Made 9 minutes into a control period, the roll-out's first period ends at the next boundary, where
// the engine decides again and the price changes: 7 kW for 6 minutes at 0.1, then 9 minutes at 0.3
// until the vehicle is expected to leave, 24 minutes in. The meter counts its charging to the
// period's end, as the MILP planners do: a vehicle still here draws it until the next decision.
TEST(BaselineRollout, APlanWithinAPeriodFollowsTheRunsControlPeriods) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    site.plug(c, 0.0, 0.4, 100.0, 7.0);
    site.set_now_h(0.15);
    Forecast f = flat_forecast(0.3);
    f.import_price[0] = 0.1;
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant full(7.0);
    const RolloutCost cost = rollout_cost(obs, full);
    EXPECT_EQ(cost.periods, 2);
    EXPECT_NEAR(cost.delivered_kwh, 7.0 * 0.25, 1e-9);
    EXPECT_NEAR(cost.import_kwh, 7.0 * (0.1 + 0.25), 1e-9);
    EXPECT_NEAR(cost.energy, 7.0 * 0.1 * 0.1 + 7.0 * 0.25 * 0.3, 1e-9);
}

// Discharge, unlike charging, is metered only until the vehicle is expected to leave: the same plan
// as above, giving 7 kW, exports for 6 and then 9 minutes, not to the period's end.
TEST(BaselineRollout, ADischargeIsMeteredUntilTheVehicleLeaves) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    SessionView& gives = site.plug(c, 0.0, 0.4, 0.0, 7.0);
    gives.v2g_allowed = true;
    gives.max_discharge_kw = 7.0;
    site.connectors()[c].v2g_capable = true;
    site.set_now_h(0.15);
    const Forecast f = flat_forecast(0.3, 0.3);
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant discharge(-7.0);
    const RolloutCost cost = rollout_cost(obs, discharge);
    EXPECT_EQ(cost.periods, 2);
    EXPECT_NEAR(cost.import_kwh, 0.0, 1e-9);
    EXPECT_NEAR(cost.export_kwh, 7.0 * (0.1 + 0.15), 1e-9);
    EXPECT_NEAR(cost.energy, -7.0 * 0.25 * 0.3, 1e-9);
}

TEST(BaselineRollout, WhatCannotBeDeliveredIsPenalisedPerKwh) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    site.plug(c, 0.0, 1.0, 10.0, 7.0);
    const Forecast f = flat_forecast(0.2);
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant full(7.0);
    const RolloutCost cost = rollout_cost(obs, full, RolloutOptions{12.0});
    EXPECT_NEAR(cost.delivered_kwh, 7.0, 1e-9);
    EXPECT_NEAR(cost.unmet_kwh, 3.0, 1e-9);
    EXPECT_NEAR(cost.total, 7.0 * 0.2 + 3.0 * 12.0, 1e-9);
}

// A driver's minimum power is priced where it is not held, as the MILP planners price it: 10 kWh asked
// over 2 h with a 2 kW minimum. Given 1 kW, it lacks 1 kWh of the minimum in each hour (2 kWh) and 8
// kWh of its request; given nothing, 4 and 10. At a penalty of 12: 0.2 · 2 + 12 · (8 + 2) = 120.40.
TEST(BaselineRollout, AMinimumPowerNotHeldIsPenalisedPerKwh) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    site.plug(c, 0.0, 2.0, 10.0, 7.0).needs.min_charge_kw = 2.0;
    const Forecast f = flat_forecast(0.2);
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant slow(1.0);
    const RolloutCost cost = rollout_cost(obs, slow, RolloutOptions{12.0});
    EXPECT_NEAR(cost.needs_kwh, 2.0, 1e-9);
    EXPECT_NEAR(cost.unmet_kwh, 8.0, 1e-9);
    EXPECT_NEAR(cost.total, 120.40, 1e-9);
    Constant nothing(0.0);
    EXPECT_NEAR(rollout_cost(obs, nothing, RolloutOptions{12.0}).needs_kwh, 4.0, 1e-9);
    Constant full(7.0);
    EXPECT_NEAR(rollout_cost(obs, full, RolloutOptions{12.0}).needs_kwh, 0.0, 1e-9);
}

// A goal counts by its time, and the energy asked for beyond it is not unmet: 10 kWh asked over 2 h,
// 4 kWh of them by 1 h. At 2 kW the vehicle has 2 kWh by then (2 short) and 4 by its departure, its
// goal's whole energy: 4 · 0.2 + 12 · 2 = 24.80. At 4 kW it has the goal by its time and 8 kWh in
// all: nothing lacks.
TEST(BaselineRollout, AGoalIsCountedByItsTimeAndTheRestIsNotUnmet) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    SessionView& v = site.plug(c, 0.0, 2.0, 10.0, 7.0);
    v.needs.goal_by = Time(0) + Duration::hours(1);
    v.needs.goal_kwh = 4.0;
    const Forecast f = flat_forecast(0.2);
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant slow(2.0);
    const RolloutCost cost = rollout_cost(obs, slow, RolloutOptions{12.0});
    EXPECT_NEAR(cost.needs_kwh, 2.0, 1e-9);
    EXPECT_NEAR(cost.unmet_kwh, 0.0, 1e-9);
    EXPECT_NEAR(cost.total, 24.80, 1e-9);
    Constant faster(4.0);
    const RolloutCost met = rollout_cost(obs, faster, RolloutOptions{12.0});
    EXPECT_NEAR(met.needs_kwh + met.unmet_kwh, 0.0, 1e-9);
    EXPECT_NEAR(met.total, 8.0 * 0.2, 1e-9);
}

// A vehicle the demand forecaster expects to leave before it said (expected_departure, as the MILP
// planners plan it) takes nothing after it, and what it lacks then is unmet; one still here after
// it stays one more period.
TEST(BaselineRollout, StaysEndWhenTheVehiclesAreExpectedToLeave) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    site.plug(c, 0.0, 2.0, 10.0, 7.0).expected_departure = Time(0) + Duration::hours(1);
    const Forecast f = flat_forecast(0.2);
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant full(7.0);
    const RolloutCost cost = rollout_cost(obs, full, RolloutOptions{12.0});
    EXPECT_EQ(cost.periods, 4);
    EXPECT_NEAR(cost.delivered_kwh, 7.0, 1e-9);
    EXPECT_NEAR(cost.unmet_kwh, 3.0, 1e-9);
    EXPECT_NEAR(cost.total, 7.0 * 0.2 + 3.0 * 12.0, 1e-9);

    obs.now = Time(0) + Duration::minutes(90);
    const RolloutCost late = rollout_cost(obs, full, RolloutOptions{12.0});
    EXPECT_EQ(late.periods, 1);
    EXPECT_NEAR(late.delivered_kwh, 7.0 * 0.25, 1e-9);
    EXPECT_NEAR(late.unmet_kwh, 10.0 - 7.0 * 0.25, 1e-9);
}

// With an ESS the MILP planners plan to the forecast's end, the ESS having a use after the last
// vehicle leaves; the roll-out covers the same span (within the run).
TEST(BaselineRollout, WithAnEssItCoversTheForecast) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    site.plug(c, 0.0, 1.0, 7.0, 7.0);
    Forecast f = flat_forecast(0.2);
    Observation obs = site.observation();
    obs.forecast = &f;
    EssView ess;
    ess.capacity_kwh = 100.0;
    obs.ess = std::span<const EssView>(&ess, 1);
    Constant full(7.0);
    EXPECT_EQ(rollout_cost(obs, full).periods, 96);
    obs.run_end = Time(0) + Duration::hours(6);
    EXPECT_EQ(rollout_cost(obs, full).periods, 24);
}

TEST(BaselineRollout, ChargerLossesAreBoughtOnTheGridSide) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    site.plug(c, 0.0, 4.0, 9.0, 7.0).charge_efficiency = 0.9;
    const Forecast f = flat_forecast(0.3);
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant full(7.0);
    const RolloutCost cost = rollout_cost(obs, full);
    EXPECT_NEAR(cost.delivered_kwh, 9.0, 1e-9);
    EXPECT_NEAR(cost.import_kwh, 10.0, 1e-9);
    EXPECT_NEAR(cost.total, 3.0, 1e-9);
}

TEST(BaselineRollout, FollowsTheForecastPrices) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    site.plug(c, 0.0, 4.0, 10.0, 7.0);
    Forecast f = flat_forecast(0.3);
    for (int i = 0; i < 4; ++i) f.import_price[i] = 0.1;  // the first hour is cheap
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant full(7.0);
    // 7 kWh in the first hour at 0.1, the last 3 kWh at 0.3.
    EXPECT_NEAR(rollout_cost(obs, full).total, 0.7 + 0.9, 1e-9);
}

TEST(BaselineRollout, DoingNothingPaysTheBaseLoadAndThePenalty) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    site.plug(c, 0.0, 2.0, 5.0, 7.0);
    site.add_fixed_flow(site.grid(), 2.0);
    Forecast f = flat_forecast(0.25);
    f.base_load_kw.assign(96, 2.0);
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant idle(0.0);
    const RolloutCost cost = rollout_cost(obs, idle);
    EXPECT_NEAR(cost.import_kwh, 4.0, 1e-9);  // 2 kW for 2 h
    EXPECT_NEAR(cost.total, 4.0 * 0.25 + 5.0 * 10.0, 1e-9);
}

TEST(BaselineRollout, PvSurplusIsSoldAtTheExportPrice) {
    SiteFixture site;
    site.add_fixed_flow(site.grid(), -4.0);
    Forecast f = flat_forecast(0.25, 0.05);
    f.pv_kw.assign(96, 4.0);
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant idle(0.0);
    const RolloutCost cost = rollout_cost(obs, idle);
    EXPECT_EQ(cost.periods, 1);  // no vehicle wants energy: one period
    EXPECT_NEAR(cost.export_kwh, 1.0, 1e-9);
    EXPECT_NEAR(cost.total, -0.05, 1e-9);

    // Where export pays more than import, at the import price, as the MILP planners value it.
    f.export_price.assign(96, 0.30);
    EXPECT_NEAR(rollout_cost(obs, idle).total, -0.25, 1e-9);
}

// At a 1 kW export limit, 1 of the 4 kW of PV is sold (0.25 kWh at 0.05) and the engine curtails
// the other 3, which cost 0.10 per kWh curtailed (0.075): 0.0625.
TEST(BaselineRollout, PvBeyondTheExportLimitIsCurtailedAtItsCost) {
    SiteFixture site;
    site.add_fixed_flow(site.grid(), -4.0);
    Forecast f = flat_forecast(0.25, 0.05);
    f.pv_kw.assign(96, 4.0);
    Observation obs = site.observation();
    std::vector<NodeView> nodes(obs.nodes.begin(), obs.nodes.end());
    nodes[0].export_limit_kw = 1.0;
    obs.nodes = nodes;
    obs.forecast = &f;
    obs.economics.pv_curtailment_cost_per_kwh = 0.10;
    Constant idle(0.0);
    const RolloutCost cost = rollout_cost(obs, idle);
    EXPECT_NEAR(cost.export_kwh, 0.25, 1e-9);
    EXPECT_NEAR(cost.curtailment, 0.075, 1e-9);
    EXPECT_NEAR(cost.total, -0.0125 + 0.075, 1e-9);
}

// An ESS of 10 kWh at half over the hour left of the run, wanted at 0.8 at its end, each kWh stored
// then worth 0.20 more than now: charged 4 kW for the hour at 0.20 per kWh it ends at 0.9, which
// costs 0.80 and gains as much; left alone, it ends 3 kWh short, at the penalty of 10 each.
TEST(BaselineRollout, TheEssEndsAsTheSiteWantsOrPaysForIt) {
    SiteFixture site;
    const Forecast f = flat_forecast(0.2, 0.0, 4);
    Observation obs = site.observation();
    obs.forecast = &f;
    obs.run_end = Time(0) + Duration::hours(1);
    EssView ess;
    ess.capacity_kwh = 10.0;
    ess.soc = 0.5;
    ess.max_charge_kw = ess.rated_charge_kw = 5.0;
    ess.end_value_per_kwh = 0.20;
    ess.end_soc = 0.8;
    obs.ess = std::span<const EssView>(&ess, 1);
    Constant charging(0.0, 4.0);
    const RolloutCost charged = rollout_cost(obs, charging);
    EXPECT_NEAR(charged.energy, 0.80, 1e-9);
    EXPECT_NEAR(charged.ess_end, -0.80, 1e-9);
    EXPECT_NEAR(charged.total, 0.0, 1e-9);
    Constant idle(0.0);
    EXPECT_NEAR(rollout_cost(obs, idle).ess_end, 3.0 * 10.0, 1e-9);
}

// A vehicle that takes 7 kW for an hour on a 7 kW charger, free energy, a demand rate of 5 per kW
// and a peak of 3 kW so far: only the demand charge costs anything.
struct SevenKwForAnHour {
    SiteFixture site;
    Forecast forecast = flat_forecast(0.0);
    Observation obs;
    SevenKwForAnHour() {
        site.plug(site.add_charger(site.grid(), 7.0), 0.0, 1.0, 7.0, 7.0);
        obs = site.observation();
        obs.forecast = &forecast;
        obs.demand.rate_per_kw = 5.0;
        obs.demand.peak_kw = 3.0;
    }
};

TEST(BaselineRollout, DemandChargeCountsOnlyTheRiseOverThePeakSoFar) {
    SevenKwForAnHour f;
    Observation& obs = f.obs;
    Constant full(7.0);
    EXPECT_NEAR(rollout_cost(obs, full).demand_rise, 5.0 * (7.0 - 3.0), 1e-9);
    obs.demand.peak_kw = 9.0;
    EXPECT_NEAR(rollout_cost(obs, full).total, 0.0, 1e-9);
}

// By demand interval, as the MILP planners count it: 7 kW for an hour from 10 minutes into a
// 15-minute interval that has imported 0.5 kWh fill it with 7 x 5/60 more, then three whole
// intervals, then 10 minutes of the next: the peak is the whole intervals' 7 kW, and the interval
// in progress averages (0.5 + 7/12) x 4 = 4.33 kW.
TEST(BaselineRollout, DemandByIntervalFromTheOneInProgress) {
    SevenKwForAnHour f;
    Observation& obs = f.obs;
    obs.demand.interval = Duration::minutes(15);
    obs.demand.interval_start = Time(0) - Duration::minutes(10);
    obs.demand.interval_kwh = 0.5;
    obs.demand.period_end = Time::max();
    Constant full(7.0);
    EXPECT_NEAR(rollout_cost(obs, full).demand_rise, 5.0 * (7.0 - 3.0), 1e-9);
    obs.demand.peak_kw = 0.0;
    obs.demand.interval_kwh = 2.0;  // the interval in progress: (2 + 7/12) x 4 = 10.33 kW
    EXPECT_NEAR(rollout_cost(obs, full).demand_rise, 5.0 * (2.0 + 7.0 / 12.0) * 4.0, 1e-9);
}

TEST(BaselineRollout, SetpointsAreHeldToTheVehicleAndChargerBounds) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    site.plug(c, 0.0, 1.0, 20.0, 5.0);  // the vehicle takes 5 kW at most
    const Forecast f = flat_forecast(1.0);
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant too_much(50.0);
    EXPECT_NEAR(rollout_cost(obs, too_much).delivered_kwh, 5.0, 1e-9);
    Constant discharge(-5.0);  // V2G not allowed: nothing flows
    EXPECT_NEAR(rollout_cost(obs, discharge).delivered_kwh, 0.0, 1e-9);
}

TEST(BaselineRollout, DepartedVehiclesLeaveTheObservation) {
    SiteFixture site;
    const auto a = site.add_charger(site.grid(), 7.0);
    const auto b = site.add_charger(site.grid(), 7.0);
    site.plug(a, 0.0, 0.5, 10.0, 7.0);
    site.plug(b, 0.0, 2.0, 10.0, 7.0);
    const Forecast f = flat_forecast(0.2);
    Observation obs = site.observation();
    obs.forecast = &f;
    std::vector<std::size_t> seen;
    test::FunctionStrategy count([&](const Observation& o, Decision& out) {
        seen.push_back(o.sessions.size());
        for (const SessionView& s : o.sessions) {
            EXPECT_EQ(o.connectors[s.connector].session, static_cast<std::uint32_t>(&s - o.sessions.data()));
            out.connector_kw[s.connector] = 7.0;
        }
    });
    const RolloutCost cost = rollout_cost(obs, count);
    ASSERT_EQ(seen.size(), 8u);
    EXPECT_EQ(seen[1], 2u);
    EXPECT_EQ(seen[2], 1u);  // a left at 0.5 h
    EXPECT_NEAR(cost.delivered_kwh, 3.5 + 10.0, 1e-9);
    EXPECT_NEAR(cost.unmet_kwh, 6.5, 1e-9);
}

TEST(BaselineRollout, EdfPlansWithinTheNodeLimits) {
    SiteFixture site(10.0);
    const auto a = site.add_charger(site.grid(), 7.0);
    const auto b = site.add_charger(site.grid(), 7.0);
    site.plug(a, 0.0, 1.0, 5.0, 7.0);
    site.plug(b, 0.0, 3.0, 10.0, 7.0);
    const Forecast f = flat_forecast(0.2);
    Observation obs = site.observation();
    obs.forecast = &f;
    StrategyHandle edf = load_static_strategy("edf");
    const RolloutCost cost = rollout_cost(obs, *edf);
    EXPECT_NEAR(cost.delivered_kwh, 15.0, 1e-6);
    EXPECT_NEAR(cost.unmet_kwh, 0.0, 1e-6);
    EXPECT_NEAR(cost.total, 3.0, 1e-6);
    EXPECT_LE(cost.import_kwh / 3.0, 10.0);
}

}  // namespace
}  // namespace evtwin

namespace evtwin {
namespace {

// A vehicle arriving `arrival_h` hours after the epoch, declared to leave at 2 h, asking for 7 kWh.
UpcomingSession vehicle_to_come(SessionId id, double arrival_h) {
    UpcomingSession u;
    u.id = id;
    u.arrival = Time(static_cast<std::int64_t>(arrival_h * 3'600'000.0));
    u.declared_departure = Time(0) + Duration::hours(2);
    u.requested_kwh = 7.0;
    u.capacity_kwh = 60.0;
    u.max_ac_kw = 11.0;
    return u;
}

TEST(BaselineRollout, VehiclesToComeArriveOnAFreeConnector) {
    SiteFixture site;
    site.add_charger(site.grid(), 7.0);
    const Forecast f = flat_forecast(0.2);
    Observation obs = site.observation();
    obs.forecast = &f;
    const UpcomingSession first = vehicle_to_come(1, 0.5);
    const UpcomingSession second = vehicle_to_come(2, 1.0);  // finds the only connector taken: rejected
    const std::vector<UpcomingSession> upcoming{first, second};
    obs.upcoming = upcoming;
    Constant full(7.0);
    const RolloutCost cost = rollout_cost(obs, full);
    EXPECT_EQ(cost.periods, 8);                  // to the declared departure of the first
    EXPECT_NEAR(cost.delivered_kwh, 7.0, 1e-9);  // 7 kW from 0:30 for an hour
    EXPECT_NEAR(cost.energy, 7.0 * 0.2, 1e-9);
    EXPECT_NEAR(cost.unmet_kwh, 0.0, 1e-9);
}

// The modelled wear at the engine's prices, as the MILP planners price it: 10 kWh through the battery
// at 0.01, and from 20 kWh (SoC 0.5 of 40) to 30 at 7 kW, the energy above the reference SoC at each
// quarter hour's end (1.75, 3.5, 5.25, 7, 8.75, 10 kWh) for a quarter hour each at 0.02 per kWh·h.
TEST(BaselineRollout, TheBatteriesWearAtTheEnginesPrices) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    SessionView& s = site.plug(c, 0.0, 2.0, 10.0, 7.0);
    s.capacity_kwh = 40.0;
    s.soc = 0.5;
    s.wear = BatteryWear{0.01, 0.02};
    const Forecast f = flat_forecast(0.2);
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant full(7.0);
    const RolloutCost cost = rollout_cost(obs, full);
    const double above_kwh_h = 0.25 * (1.75 + 3.5 + 5.25 + 7.0 + 8.75 + 10.0 + 10.0 + 10.0);
    EXPECT_NEAR(cost.wear, 10.0 * 0.01 + above_kwh_h * 0.02, 1e-9);
    EXPECT_NEAR(cost.total, 2.0 + cost.wear, 1e-9);
}

// As the MILP planners plan them: a vehicle that wants nothing and cannot give sets no span and its
// wear is left out (no strategy changes it); one that can give (V2G) keeps the span to its departure.
TEST(BaselineRollout, VehiclesTheMilpDoesNotPlanAreLeftOut) {
    SiteFixture site;
    const auto c = site.add_charger(site.grid(), 7.0);
    SessionView& full = site.plug(c, 0.0, 2.0, 0.0, 7.0);
    full.soc = 0.9;
    full.wear = BatteryWear{0.01, 0.02};
    const Forecast f = flat_forecast(0.2);
    Observation obs = site.observation();
    obs.forecast = &f;
    Constant idle(0.0);
    const RolloutCost parked = rollout_cost(obs, idle);
    EXPECT_EQ(parked.periods, 1);
    EXPECT_EQ(parked.wear, 0.0);

    site.connectors()[c].v2g_capable = true;
    site.sessions()[0].v2g_allowed = true;
    site.sessions()[0].max_discharge_kw = 7.0;
    obs = site.observation();
    obs.forecast = &f;
    const RolloutCost can_give = rollout_cost(obs, idle);
    EXPECT_EQ(can_give.periods, 8);
    EXPECT_NEAR(can_give.wear, 8 * 0.25 * 0.4 * 60.0 * 0.02, 1e-9);  // 24 kWh above 50 % of 60 for 2 h
}

// A vehicle to come charges through its connector's losses, as the MILP planners plan it: its 7 kWh
// through a 90 % charger are 7.78 kWh bought, even with no vehicle plugged in to show them.
TEST(BaselineRollout, VehiclesToComePayTheirConnectorsLosses) {
    SiteFixture site;
    site.add_charger(site.grid(), 10.0);
    site.connectors()[0].efficiency = 0.9;
    const Forecast f = flat_forecast(0.2);
    Observation obs = site.observation();
    obs.forecast = &f;
    const std::vector<UpcomingSession> upcoming{vehicle_to_come(1, 0.5)};
    obs.upcoming = upcoming;
    Constant full(10.0);
    const RolloutCost cost = rollout_cost(obs, full);
    EXPECT_NEAR(cost.delivered_kwh, 7.0, 1e-9);
    EXPECT_NEAR(cost.import_kwh, 7.0 / 0.9, 1e-9);
    EXPECT_NEAR(cost.energy, 7.0 / 0.9 * 0.2, 1e-9);
}

// A vehicle to come whose departure the observation tells (foresight) stays until then, and frees
// its connector for the next one.
TEST(BaselineRollout, VehiclesToComeLeaveWhenTheObservationSays) {
    SiteFixture site;
    site.add_charger(site.grid(), 7.0);
    const Forecast f = flat_forecast(0.2);
    Observation obs = site.observation();
    obs.forecast = &f;
    UpcomingSession first = vehicle_to_come(1, 0.5);
    first.departure = Time(0) + Duration::hours(1);
    UpcomingSession second = vehicle_to_come(2, 1.0);  // finds the connector free again
    second.departure = second.declared_departure;
    const std::vector<UpcomingSession> upcoming{first, second};
    obs.upcoming = upcoming;
    Constant full(7.0);
    const RolloutCost cost = rollout_cost(obs, full, RolloutOptions{12.0});
    EXPECT_EQ(cost.periods, 8);
    EXPECT_NEAR(cost.delivered_kwh, 3.5 + 7.0, 1e-9);
    EXPECT_NEAR(cost.unmet_kwh, 3.5, 1e-9);
}

}  // namespace
}  // namespace evtwin
