// The charging formulation and the day_ahead strategy on tiny sites whose optimum is worked out by
// hand: two vehicles and two price periods, an impossible request, efficiency, a demand charge and
// a charger's minimum power; when the offline oracle makes its plan again.
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"
#include "plugins/milp/planners.hpp"

#include <evtwin/plugin.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <numeric>

namespace evtwin::milp {
namespace {

constexpr double kObjectiveTol = 1e-4;  // the early-charging preference adds at most ~1e-5 to an objective

// Grid (import limit `site_kw`) -> two chargers -> one connector each; two periods of one hour
// with the given import prices. Vehicles are added with add_vehicle.
struct TwoPeriodSite {
    std::vector<NodeView> nodes;
    std::vector<ConnectorView> connectors;
    std::vector<SessionView> sessions;
    Forecast forecast;
    std::vector<double> setpoints;

    TwoPeriodSite(double site_kw, std::vector<double> prices, double min_kw = 0.0) {
        nodes = {{kNone, NodeKind::grid, site_kw, site_kw, 0.0},
                 {0, NodeKind::charger},
                 {1, NodeKind::connector},
                 {0, NodeKind::charger},
                 {3, NodeKind::connector}};
        connectors = {{2, 1, 7.0, min_kw, {}, false, PilotState::A, kNone},
                      {4, 3, 7.0, min_kw, {}, false, PilotState::A, kNone}};
        forecast.start = Time(0);
        forecast.step = Duration::hours(1);
        forecast.import_price = std::move(prices);
        forecast.export_price.assign(forecast.import_price.size(), 0.0);
    }

    void add_vehicle(ConnectorIndex c, double remaining_kwh, double efficiency = 1.0,
                     Duration stay = Duration::hours(2)) {
        SessionView s;
        s.id = static_cast<SessionId>(sessions.size() + 1);
        s.connector = c;
        s.arrival = Time(0);
        s.declared_departure = Time(0) + stay;
        s.requested_kwh = s.remaining_kwh = remaining_kwh;
        s.capacity_kwh = 60.0;
        s.soc = 0.2;
        s.max_charge_kw = s.recharge_kw = 7.0;
        s.charge_efficiency = efficiency;
        connectors[c].state = PilotState::C;
        connectors[c].session = static_cast<std::uint32_t>(sessions.size());
        sessions.push_back(s);
    }

    Observation observe(Time now = Time(0)) const {
        Observation obs;
        obs.now = now;
        obs.control_period = Duration::hours(1);
        obs.nodes = nodes;
        obs.connectors = connectors;
        obs.sessions = sessions;
        obs.forecast = &forecast;
        return obs;
    }
};

double energy_cost(const ChargingModel& cm, const Solution& s) {
    double cost = 0.0;
    for (int t = 0; t < cm.periods; ++t)
        cost += cm.import_price[t] * s.value(cm.grid_import[t]) * cm.hours[t];
    return cost;
}

double period_total(const ChargingModel& cm, const Solution& s, int t) {
    const std::vector<double> kw = cm.planned_kw(s, t, 2);
    return std::accumulate(kw.begin(), kw.end(), 0.0);
}

// A wants 10 kWh, B 6 kWh, both leave after 2 h; 7 kW each, 10 kW for the site; 0.10 then 0.30
// per kWh. The cheap hour takes all the site carries: 10 kWh at 0.10 = 1.00; the 6 kWh left go in
// the dear hour: 6 × 0.30 = 1.80. Total 2.80. (A needs >= 3 kWh of the first hour, since it can
// take at most 7 in the second.)
TEST(ChargingModel, TwoVehiclesFillTheCheapPeriodFirst) {
    TwoPeriodSite site(10.0, {0.10, 0.30});
    site.add_vehicle(0, 10.0);
    site.add_vehicle(1, 6.0);
    const ChargingModel cm = build_charging_model(site.observe(), {});
    ASSERT_EQ(cm.periods, 2);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(period_total(cm, s, 0), 10.0, kObjectiveTol);
    EXPECT_NEAR(period_total(cm, s, 1), 6.0, kObjectiveTol);
    EXPECT_NEAR(energy_cost(cm, s), 2.80, kObjectiveTol);
    EXPECT_NEAR(s.objective, 2.80, kObjectiveTol);
    EXPECT_GE(s.value(cm.power[0][0]), 3.0 - kObjectiveTol);
    for (const Var slack : cm.slack) EXPECT_NEAR(s.value(slack), 0.0, kObjectiveTol);
}

// A alone asks 20 kWh but 7 kW for 2 h gives 14: the slack takes the 6 kWh short (a solution, not
// a solver failure). Cost 7 × 0.10 + 7 × 0.30 = 2.80, objective 2.80 + 10 × 6 = 62.80.
TEST(ChargingModel, ImpossibleRequestUsesTheSlack) {
    TwoPeriodSite site(10.0, {0.10, 0.30});
    site.add_vehicle(0, 20.0);
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(s.value(cm.slack[0]), 6.0, kObjectiveTol);
    EXPECT_NEAR(energy_cost(cm, s), 2.80, kObjectiveTol);
    EXPECT_NEAR(s.objective, 62.80, kObjectiveTol);
}

// With a penalty below the dear price it is cheaper to leave energy undelivered there: 7 kWh in the
// cheap hour, slack 3 at 0.2 each instead of 0.30 each. Objective 0.70 + 0.60 = 1.30.
TEST(ChargingModel, PenaltyIsTheSatisfactionWeight) {
    TwoPeriodSite site(10.0, {0.10, 0.30});
    site.add_vehicle(0, 10.0);
    ChargingOptions o;
    o.unmet_penalty_per_kwh = 0.2;
    const ChargingModel cm = build_charging_model(site.observe(), o);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(s.value(cm.slack[0]), 3.0, kObjectiveTol);
    EXPECT_NEAR(s.objective, 1.30, kObjectiveTol);
}

// 9 kWh at the inlet with 90 % efficiency is 10 kWh from the grid: all in the cheap hour, 1.00.
TEST(ChargingModel, EfficiencyScalesGridEnergy) {
    TwoPeriodSite site(10.0, {0.10, 0.30});
    site.add_vehicle(0, 9.0, 0.9);
    site.add_vehicle(1, 0.0);  // wants nothing: no variables
    const ChargingModel cm = build_charging_model(site.observe(), {});
    ASSERT_EQ(cm.power.size(), 1u);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(period_total(cm, s, 0), 7.0, kObjectiveTol);  // the vehicle's 7 kW ...
    EXPECT_NEAR(period_total(cm, s, 1), 3.0, kObjectiveTol);  // ... so 3 kWh of grid energy wait
    EXPECT_NEAR(energy_cost(cm, s), 0.7 + 0.9, kObjectiveTol);
}

// Equal prices 0.20, a demand charge of 1 per kW: 10 kWh over two hours is cheapest flat, 5 kW
// and 5 kW, peak 5: 2.00 + 5.00 = 7.00 (7 + 3 would cost 2.00 + 7.00).
TEST(ChargingModel, DemandChargeFlattensThePeak) {
    TwoPeriodSite site(10.0, {0.20, 0.20});
    site.add_vehicle(0, 10.0);
    ChargingOptions o;
    o.demand_charge_per_kw = 1.0;
    const ChargingModel cm = build_charging_model(site.observe(), o);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(s.value(cm.peak), 5.0, kObjectiveTol);
    EXPECT_NEAR(s.objective, 7.0, kObjectiveTol);
}

// A charger that holds nothing below 4 kW, a vehicle wanting 2 kWh, prices 0.30 then 0.10. The
// MILP charges 4 kW in the cheap hour (0.40); the LP relaxation 2 kW there (0.20).
TEST(ChargingModel, MinimumPowerIsABinaryAndTheRelaxationUndercutsIt) {
    TwoPeriodSite site(10.0, {0.30, 0.10}, 4.0);
    site.add_vehicle(0, 2.0);
    const ChargingModel cm = build_charging_model(site.observe(), {});
    EXPECT_TRUE(cm.model.has_integers());
    const Solution mip = solve(cm.model);
    ASSERT_EQ(mip.status, SolveStatus::optimal);
    EXPECT_NEAR(mip.value(cm.power[0][0]), 0.0, kObjectiveTol);
    EXPECT_NEAR(mip.value(cm.power[0][1]), 4.0, kObjectiveTol);
    EXPECT_NEAR(energy_cost(cm, mip), 0.40, kObjectiveTol);
    const Solution lp = solve(cm.model, {.relax_integrality = true});
    ASSERT_EQ(lp.status, SolveStatus::optimal);
    EXPECT_NEAR(energy_cost(cm, lp), 0.20, kObjectiveTol);
}

struct StrategyDeleter {
    const evtwin_plugin_descriptor* d;
    void operator()(Strategy* s) const { d->destroy(s); }
};

std::unique_ptr<Strategy, StrategyDeleter> make_day_ahead(const StrategyOptions& options = {}) {
    const evtwin_plugin_descriptor* d = find_static_strategy("day_ahead");
    EXPECT_NE(d, nullptr);
    return {d->create(options), StrategyDeleter{d}};
}

// The strategy follows the plan above: 10 kW in the cheap hour, then the 6 kWh left.
TEST(DayAhead, FollowsThePlanHourByHour) {
    TwoPeriodSite site(10.0, {0.10, 0.30});
    site.add_vehicle(0, 10.0);
    site.add_vehicle(1, 6.0);
    auto strategy = make_day_ahead();
    Decision d;
    d.connector_kw.assign(2, 0.0);
    strategy->decide(site.observe(), d);
    EXPECT_NEAR(d.connector_kw[0] + d.connector_kw[1], 10.0, kObjectiveTol);
    EXPECT_LE(d.connector_kw[0], 7.0 + kObjectiveTol);
    EXPECT_LE(d.connector_kw[1], 7.0 + kObjectiveTol);
    // One hour later, with what the first hour delivered.
    for (auto& s : site.sessions) {
        s.delivered_kwh = d.connector_kw[s.connector];
        s.remaining_kwh = s.requested_kwh - s.delivered_kwh;
    }
    Decision d2;
    d2.connector_kw.assign(2, 0.0);
    strategy->decide(site.observe(Time(0) + Duration::hours(1)), d2);
    EXPECT_NEAR(d2.connector_kw[0], 10.0 - d.connector_kw[0], kObjectiveTol);
    EXPECT_NEAR(d2.connector_kw[1], 6.0 - d.connector_kw[1], kObjectiveTol);
}

TEST(DayAhead, RefusesUnknownAndBadOptions) {
    const evtwin_plugin_descriptor* d = find_static_strategy("day_ahead");
    ASSERT_NE(d, nullptr);
    EXPECT_THROW(d->create({{"colour", "red"}}), OptionError);
    EXPECT_THROW(d->create({{"unmet_penalty", "-1"}}), OptionError);
    EXPECT_THROW(d->create({{"time_limit_s", "fast"}}), OptionError);
    EXPECT_THROW(d->create({{"relax", "maybe"}}), OptionError);
    EXPECT_THROW(d->create({{"replan", "hourly"}}), OptionError);
    d->destroy(d->create({{"replan", "period"}, {"relax", "true"}, {"unmet_penalty", "2.5"}}));
}

// Numbers past what an option can mean are refused by name with their range, before they reach a
// cast or a model: an hour count or seed of 1e300 (was an overflow), 10^9 sides of the phase polygon
// (was a model of 10^9 rows), a fraction of a node.
TEST(Mpc, RefusesOptionsOutOfTheirRange) {
    const evtwin_plugin_descriptor* d = find_static_strategy("mpc");
    ASSERT_NE(d, nullptr);
    const auto refusal = [&](const std::string& key, const std::string& value) {
        try {
            d->destroy(d->create({{key, value}}));
        } catch (const OptionError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(refusal("horizon_h", "1e300"), "option horizon_h='1e300' must be a number from 0.25 to 8784");
    EXPECT_EQ(refusal("seed", "1e300"),
              "option seed='1e300' must be a whole number from 0 to 9007199254740992");
    EXPECT_EQ(refusal("seed", "1.5"), "option seed='1.5' must be a whole number from 0 to 9007199254740992");
    EXPECT_EQ(refusal("phase_sides", "1e9"), "option phase_sides='1e9' must be a whole number from 3 to 360");
    EXPECT_EQ(refusal("max_nodes", "2.5"),
              "option max_nodes='2.5' must be a whole number from 0 to 2147483647");
    EXPECT_EQ(refusal("persistence_lag_h", "-1"),
              "option persistence_lag_h='-1' must be a number from 0.25 to 8784");
    EXPECT_EQ(refusal("gap", "nan"), "option gap='nan' must be a number from 0 to 1");
    EXPECT_EQ(refusal("unmet_penalty", "1e16"),
              "option unmet_penalty='1e16' must be a number from 0 to 1e+15");
    for (const auto& [key, value] :
         std::vector<std::pair<std::string, std::string>>{{"horizon_h", "8784"},
                                                          {"seed", "9007199254740992"},
                                                          {"phase_sides", "360"},
                                                          {"max_nodes", "0"},
                                                          {"gap", "1"},
                                                          {"unmet_penalty", "1e15"}})
        EXPECT_EQ(refusal(key, value), "accepted") << key;
}

// The oracle makes a plan that is a linear program again at every decision (replan=auto), one with
// integer decisions (a minimum power) only when reality leaves it, which it does not here: the
// vehicle waits for the cheap hour as planned.
TEST(OfflineOracle, ReplansEveryDecisionWhereThePlanIsALinearProgram) {
    struct Case {
        double min_kw;
        Replan replan;
        int solves;
    };
    for (const Case c : {Case{0.0, Replan::auto_, 2}, Case{4.0, Replan::auto_, 1},
                         Case{0.0, Replan::on_deviation, 1}, Case{4.0, Replan::every_decision, 2}}) {
        TwoPeriodSite site(10.0, {0.30, 0.10}, c.min_kw);
        site.add_vehicle(0, 6.0);
        OraclePlanner oracle(OptionReader::with_foresight(), {}, {.replan = c.replan});
        for (const Time now : {Time(0), Time(0) + Duration::hours(1)}) {
            Observation obs = site.observe(now);
            obs.run_end = Time(0) + Duration::hours(2);
            Decision d;
            oracle.decide(obs, d);
            EXPECT_NEAR(d.connector_kw[0], now == Time(0) ? 0.0 : 6.0, kObjectiveTol);
        }
        EXPECT_EQ(oracle.solves(), c.solves) << "min_kw " << c.min_kw;
    }
}

// auto re-plans every decision only while the whole run's re-solves stay bounded work.
TEST(OfflineOracle, AutoFollowsALargeLinearPlanBetweenDeviations) {
    ChargingModel plan;
    plan.model.add_continuous(0.0, 1.0, "p.t0");
    plan.periods = 1000;
    EXPECT_TRUE(replans_every_decision(Replan::auto_, plan));
    plan.periods = static_cast<int>(kEveryDecisionWork) + 1;
    EXPECT_FALSE(replans_every_decision(Replan::auto_, plan));
    EXPECT_TRUE(replans_every_decision(Replan::every_decision, plan));
    plan.periods = 1000;
    plan.model.add_binary("on.t0");
    EXPECT_FALSE(replans_every_decision(Replan::auto_, plan));
    EXPECT_FALSE(replans_every_decision(Replan::on_deviation, plan));
}

}  // namespace
}  // namespace evtwin::milp
