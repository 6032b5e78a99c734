// A plan followed between solves (mpc with replan=deviation, offline_optimal) counts a vehicle's
// energy from its arrival: one that plugs in within a period is planned, and measured, over the part
// of the period it is there. Worked out by hand on one 10 kW connector with one-hour periods at 0.10
// then 0.30 per kWh, and a vehicle to come at 0:20 that leaves at 2:00.
#include "milp/extension_site.hpp"
#include "plugins/milp/planning.hpp"

#include <gtest/gtest.h>

namespace evtwin::milp {
namespace {

using hand_sites::ExtensionSite;
using hand_sites::kExtensionTol;

const Duration kArrives = Duration::minutes(20);
const Duration kStay = Duration::minutes(100);

struct MidPeriodArrival {
    ExtensionSite site{{0.10, 0.30}, {0.0, 0.0}};
    Solver solver;
    Decision decision;
    Plan plan;

    explicit MidPeriodArrival(double requested_kwh) {
        site.to_come(requested_kwh, kArrives, kStay);
        plan = make_plan(site.observe(), {}, solver, decision);
        decision.connector_kw.assign(1, 0.0);
    }

    // The vehicle plugged in at `now`, having taken `delivered_kwh` since its arrival.
    Observation plugged_in(Time now, double delivered_kwh) {
        const UpcomingSession& u = site.upcoming.front();
        SessionView s;
        s.id = u.id;
        s.connector = 0;
        s.arrival = u.arrival;
        s.declared_departure = u.declared_departure;
        s.requested_kwh = u.requested_kwh;
        s.delivered_kwh = delivered_kwh;
        s.remaining_kwh = u.requested_kwh - delivered_kwh;
        s.capacity_kwh = u.capacity_kwh;
        s.soc = u.initial_soc + delivered_kwh / u.capacity_kwh;
        s.max_charge_kw = s.recharge_kw = 10.0;
        site.sessions = {s};
        site.connectors[0].state = PilotState::C;
        site.connectors[0].session = 0;
        Observation obs = site.observe();
        obs.now = now;
        return obs;
    }
};

// 8 kWh: 10 kW for the 40 cheap minutes gives 6.67 kWh, the 1.33 kWh left come at 0.30. A vehicle
// that took exactly that by 1:00 is on plan; counted over the whole first hour, the plan would have
// given it 10 kWh and it would look 1.33 kWh behind, past the tolerance (0.5 kWh + 2 % of 8).
TEST(PlanDeviation, AVehicleArrivingWithinAPeriodIsOnPlanWhenItTookWhatThePlanGave) {
    MidPeriodArrival run(8.0);
    ASSERT_TRUE(run.plan.solution.has_values());
    ASSERT_NEAR(run.plan.model.row_kw(run.plan.solution, 0, 0), 10.0, kExtensionTol);
    ASSERT_NEAR(run.plan.model.row_kw(run.plan.solution, 0, 1), 8.0 - 20.0 / 3.0, kExtensionTol);
    EXPECT_NEAR(run.plan.model.planned_need(run.plan.solution, 0, 1), 8.0 - 20.0 / 3.0, kExtensionTol);

    const Observation at_one = run.plugged_in(Time(0) + Duration::hours(1), 20.0 / 3.0);
    EXPECT_EQ(departure_reason(at_one, run.plan, 0.5), "");
    const Observation short_of_it = run.plugged_in(Time(0) + Duration::hours(1), 20.0 / 3.0 - 0.7);
    EXPECT_EQ(departure_reason(short_of_it, run.plan, 0.5), "session 2 behind plan");
}

// 4 kWh all in the cheap hour: 6 kW over its 40 minutes. Ten minutes after its arrival it has taken
// 1 kWh, what the plan gave it: following the plan asks 6 kW, with nothing to catch up (counted
// from the hour's start, it would be 2 kWh behind and asked 1.33 kW more).
TEST(PlanDeviation, FollowingAPlanCountsAVehicleFromItsArrival) {
    MidPeriodArrival run(4.0);
    ASSERT_TRUE(run.plan.solution.has_values());
    ASSERT_NEAR(run.plan.model.row_kw(run.plan.solution, 0, 0), 6.0, kExtensionTol);
    ASSERT_NEAR(run.plan.model.row_kw(run.plan.solution, 0, 1), 0.0, kExtensionTol);

    follow_plan(run.plugged_in(Time(0) + Duration::minutes(30), 1.0), run.plan, run.decision);
    EXPECT_NEAR(run.decision.connector_kw[0], 6.0, kExtensionTol);
}

}  // namespace
}  // namespace evtwin::milp
