// A vehicle's charge curve in the plan (formulation/charge_taper.hpp), worked out by hand. A
// battery on a line f(s) = a + b·s of its curve, charged as fast as it takes, follows
// ds/dt = k·f(s), so f decays as e^{b·k·t} and h hours take f(s0)·(e^{b·k·h} − 1)/(b·k) inlet kWh.
#include "plugins/milp/formulation/charge_taper.hpp"
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"
#include "plugins/milp/planning.hpp"

#include "one_vehicle_site.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace evtwin::milp {
namespace {

constexpr double kTaperTol = 1e-6;

TEST(ChargeTaper, AFlatThenFallingCurveIsItsFallingLine) {
    // 11 kW, full to 90 % SoC, then down to 30 % of it at 100 %: 11·(1 − 7·(s − 0.9)).
    const std::vector<ChargeCurvePoint> curve{{0.0, 1.0}, {0.9, 1.0}, {1.0, 0.3}};
    const std::vector<TaperLine> lines = taper_lines(curve, 11.0);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NEAR(lines[0].a_kw, 11.0 * 7.3, kTaperTol);
    EXPECT_NEAR(lines[0].b_kw_per_soc, -77.0, kTaperTol);
}

TEST(ChargeTaper, APointUnderTheHullGivesNoLine) {
    // (0.6, 0.6) lies under the chord from (0.5, 1) to (0.7, 0.7), which is 0.85 there: the lines are
    // those of the hull, from (0.5, 1) to (0.7, 0.7) and from there to (1, 0).
    const std::vector<ChargeCurvePoint> curve{{0.5, 1.0}, {0.6, 0.6}, {0.7, 0.7}, {1.0, 0.0}};
    const std::vector<TaperLine> lines = taper_lines(curve, 1.0);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_NEAR(lines[0].b_kw_per_soc, -1.5, kTaperTol);
    EXPECT_NEAR(lines[0].a_kw, 1.75, kTaperTol);
    EXPECT_NEAR(lines[1].b_kw_per_soc, -7.0 / 3.0, kTaperTol);
    EXPECT_NEAR(lines[1].a_kw, 0.7 + 0.7 * 7.0 / 3.0, kTaperTol);
}

TEST(ChargeTaper, ACurveThatNeverFallsGivesNoLine) {
    EXPECT_TRUE(taper_lines(std::vector<ChargeCurvePoint>{}, 11.0).empty());
    EXPECT_TRUE(taper_lines(std::vector<ChargeCurvePoint>{{0.0, 0.5}, {0.3, 1.0}, {1.0, 1.0}}, 11.0).empty());
}

TEST(ChargeTaper, AnHourOnALineTakesWhatTheBatteryTakes) {
    // f(s) = 10·(1 − s) kW on a 10 kWh battery without losses: ds/dt = 1 − s, from s0 = 0.5 an hour
    // reaches 1 − 0.5·e^{-1}: 10·0.5·(1 − e^{-1}) = 3.1606 kWh, which is f(0.5) = 5 kW times the factor.
    const TaperLine line{10.0, -10.0};
    EXPECT_NEAR(5.0 * taper_hours(line, 0.1, 1.0), 5.0 * (1.0 - std::exp(-1.0)), 1e-12);
    EXPECT_NEAR(taper_hours({10.0, 0.0}, 0.1, 0.25), 0.25, 1e-12);
}

// The charger's 10 kW until the line 20·(1 − s) falls under it at 50 %, on a 10 kWh battery
// without losses (k = 0.1 per kWh), for an hour from 30 %: 0.2 h on the charger (2 kWh), then
// s(t) = 1 − 0.5·e^{−2t} for 0.8 h, 5·(1 − e^{−1.6}) kWh: 5.9905 kWh in all. The line's row alone
// lets 14·(1 − e^{−2})/2 = 6.0527 and the charger's 10: each is looser than the two together.
// Started higher by ds, it ends higher by ds·r(end)/r(start): dG/ds = (e^{−1.6} − 1) / 0.1 kWh per
// unit of SoC.
TEST(ChargeTaper, TheChargerThenTheLineTakeWhatTheBatteryTakes) {
    const std::vector<TaperLine> lines{{20.0, -20.0}};
    const TaperEnergy from_30 = taper_energy(lines, 10.0, 0.1, 0.3, 1.0);
    EXPECT_NEAR(from_30.kwh, 2.0 + 5.0 * (1.0 - std::exp(-1.6)), 1e-9);
    EXPECT_NEAR(from_30.per_soc, (std::exp(-1.6) - 1.0) / 0.1, 1e-9);
    // From the line on (50 %) it is the line's row; below the line all hour, the charger's.
    EXPECT_NEAR(taper_energy(lines, 10.0, 0.1, 0.5, 1.0).kwh, 5.0 * (1.0 - std::exp(-2.0)), 1e-9);
    EXPECT_NEAR(taper_energy(lines, 10.0, 0.1, 0.2, 0.25).kwh, 2.5, 1e-9);
    EXPECT_NEAR(taper_energy(lines, 10.0, 0.1, 0.2, 0.25).per_soc, 0.0, 1e-9);
}

// One vehicle on a 10 kW charger from 50 % of a 10 kWh battery (no losses), wanting the 5 kWh to
// full over three one-hour periods; its curve is flat to 50 % and then falls to zero at 100 %:
// f(s) = 20·(1 − s) kW, so ds/dt = 2·(1 − s) and s(t) = 1 − 0.5·e^{-2t}. Charged as fast as it
// takes, it gets 5·(1 − e^{-2}) = 4.3233 kWh in the first hour and 5·(1 − e^{-6}) = 4.98761 kWh in
// three; a plan blind to the curve promised all 5 in the first hour.
struct TaperSite : OneVehicleSite {
    std::vector<ChargeCurvePoint> curve{{0.0, 1.0}, {0.5, 1.0}, {1.0, 0.0}};

    TaperSite() : OneVehicleSite(10.0, Duration::hours(1), {0.10, 0.10, 0.10}, 5.0) {
        vehicle().capacity_kwh = 10.0;
        vehicle().soc = 0.5;
        vehicle().charge_curve = curve;
        vehicle().curve_rated_kw = 10.0;
    }
};

TEST(ChargeTaper, ThePlanDeliversWhatTheFallingCurveLets) {
    const TaperSite site;
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0), 5.0 * (1.0 - std::exp(-2.0)), kTaperTol);
    EXPECT_NEAR(5.0 - s.value(cm.slack[0]), 5.0 * (1.0 - std::exp(-6.0)), kTaperTol);
}

// The plan's first hour is all the curve lets (4.32 kWh): at its average, 4.32 kW held all hour,
// the battery would take less than that, since it takes 10 kW at first and ever less. Following the
// plan asks it all it takes now, 10 kW, which its curve brings down to the plan's 4.32 kWh.
TEST(ChargeTaper, AVehicleTheCurveLimitsIsAskedAllItTakes) {
    const TaperSite site;
    Solver solver;
    Decision d;
    d.connector_kw.assign(1, 0.0);
    const Plan plan = make_plan(site.observe(), {}, solver, d);
    ASSERT_TRUE(plan.solution.has_values());
    EXPECT_NEAR(plan.model.row_kw(plan.solution, 0, 0), 5.0 * (1.0 - std::exp(-2.0)), kTaperTol);
    follow_plan(site.observe(), plan, d);
    EXPECT_NEAR(d.connector_kw[0], 10.0, kTaperTol);

    // A plan that asks well below what the curve lets (the vehicle wants 1 kWh, and not before
    // the cheapest hour) is followed at its own power.
    TaperSite cheap_later;
    cheap_later.forecast.import_price = {0.30, 0.10, 0.30};
    cheap_later.vehicle().requested_kwh = cheap_later.vehicle().remaining_kwh = 1.0;
    const Plan later = make_plan(cheap_later.observe(), {}, solver, d);
    follow_plan(cheap_later.observe(), later, d);
    EXPECT_NEAR(d.connector_kw[0], 0.0, kTaperTol);
    follow_plan(cheap_later.observe(Time(0) + Duration::hours(1)), later, d);
    EXPECT_NEAR(d.connector_kw[0], 1.0, 1e-3);
}

// The same battery from 30 %, wanting 6 kWh over two hours at 0.30 and then 0.10 per kWh. The line's
// row lets 6.05 kWh in the cheap hour, so on it alone the plan buys all 6 there, which the battery
// cannot take (5.9905 at most). With the battery's energy held exactly, x kWh bought first at 0.30
// leave x + G(0.3 + 0.1·x) >= 6, G from above: 7 − 5·e^{−1.6 − 0.2·x} >= 6, so x = (ln 5 − 1.6) / 0.2
// = 0.0472 kWh, the least that serves the vehicle.
TEST(ChargeTaper, ThePlanBuysEarlyWhatTheCheapHourCannotTake) {
    TaperSite site;
    site.forecast.import_price = {0.30, 0.10};
    site.vehicle().soc = 0.3;
    site.vehicle().requested_kwh = site.vehicle().remaining_kwh = 6.0;
    site.vehicle().declared_departure = site.vehicle().expected_departure = site.end();
    Solver solver;
    Decision d;
    const Plan plan = make_plan(site.observe(), {}, solver, d);
    ASSERT_TRUE(plan.solution.has_values());
    const double first = plan.model.row_kw(plan.solution, 0, 0);
    EXPECT_NEAR(first, (std::log(5.0) - 1.6) / 0.2, 1e-4);
    EXPECT_NEAR(plan.solution.value(plan.model.slack[0]), 0.0, 1e-4);
    EXPECT_NEAR(plan.model.row_kw(plan.solution, 0, 1), 6.0 - first, 1e-4);
}

// Wanting 0.4 kWh on a 4 kW charger it ends at 54 %, where its curve still takes 9.2 kW: the model
// is the one of a vehicle without a curve.
TEST(ChargeTaper, AVehicleThatNeverReachesItsFallingCurveAddsNoRow) {
    TaperSite site;
    site.connectors[0].max_kw = site.vehicle().max_charge_kw = site.vehicle().recharge_kw = 4.0;
    site.vehicle().requested_kwh = site.vehicle().remaining_kwh = 0.4;
    const ChargingModel with_curve = build_charging_model(site.observe(), {});
    site.vehicle().charge_curve = {};
    const ChargingModel without = build_charging_model(site.observe(), {});
    EXPECT_EQ(with_curve.model.rows().size(), without.model.rows().size());
    EXPECT_EQ(with_curve.model.num_vars(), without.model.num_vars());
    const Solution s = solve(with_curve.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(with_curve.row_kw(s, 0, 0), 0.4, kTaperTol);
}

}  // namespace
}  // namespace evtwin::milp
