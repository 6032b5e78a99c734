// Periods cut at the vehicles' arrivals and departures (ChargingOptions::event_periods): the meter
// nets import against export only within a period, so a period a vehicle leaves halfway through
// nets what the site imports before against what it exports after. Worked out by hand on one site:
// two one-hour periods at 0.30 per kWh, exports paid nothing, PV 6 kW from hour 1, an ESS holding
// 2 kWh it may give at 6 kW (efficiencies 1), and one vehicle to come at hour 1 that wants 4 kWh by
// 1:20 on a 12 kW charger (so it charges at 12 kW all its stay).
#include "hourly_site.hpp"
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"

#include <gtest/gtest.h>

#include <span>

#include <vector>

namespace evtwin::milp {
namespace {

constexpr double kExactTol = 1e-6;
const Time kHour1 = Time(0) + Duration::hours(1);
const Time kDeparture = kHour1 + Duration::minutes(20);

struct LeavingSite {
    std::vector<NodeView> nodes{test::grid_connection(), {0, NodeKind::charger}, {1, NodeKind::connector}};
    std::vector<ConnectorView> connectors{{2, 1, 12.0, 0.0, {}, false, PilotState::A, kNone}};
    std::vector<UpcomingSession> upcoming;
    Forecast forecast = test::hourly_forecast({0.30, 0.30});
    EssView ess = test::battery(2.0, 1.0, 0.0, 1.0, 6.0, 6.0);  // full now

    LeavingSite() {
        forecast.pv_kw = {0.0, 6.0};
        UpcomingSession u;
        u.id = 1;
        u.arrival = kHour1;
        u.declared_departure = u.departure = kDeparture;
        u.requested_kwh = 4.0;
        u.capacity_kwh = 60.0;
        u.initial_soc = 0.2;
        u.max_ac_kw = 12.0;
        upcoming.push_back(u);
    }

    Observation observe() const {
        Observation obs = test::hourly_observation(nodes, forecast);
        obs.connectors = connectors;
        obs.upcoming = upcoming;
        obs.ess = std::span<const EssView>(&ess, 1);  // the site's one battery
        return obs;
    }
};

ChargingOptions with_event_periods(bool on) {
    ChargingOptions o;
    o.event_periods = on;
    return o;
}

// Cut at 1:20, the vehicle's 12 kW against the PV's 6 kW import 6 kW for its stay unless the ESS
// gives them: its 2 kWh cover the 20 minutes exactly, and nothing is bought (cost 0, against 0.60
// without the ESS). After the departure the PV exports (or refills the ESS).
TEST(EventPeriods, AVehicleLeavingMidPeriodHasAPeriodOfItsOwn) {
    const LeavingSite site;
    const ChargingModel cm = build_charging_model(site.observe(), with_event_periods(true));
    ASSERT_EQ(cm.bounds, (std::vector<Time>{Time(0), kHour1, kDeparture, Time(0) + Duration::hours(2)}));
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.ess_kw(s, 0, 1), -6.0, kExactTol);
    const std::vector<double> net = cm.metered_net_kwh(s);
    ASSERT_EQ(net.size(), 3u);
    EXPECT_NEAR(net[0], 0.0, kExactTol);
    EXPECT_NEAR(net[1], 0.0, kExactTol);
    EXPECT_LT(net[2], 0.0);
    EXPECT_NEAR(cm.expected_cost(s), 0.0, kExactTol);
}

// On whole hours, the plan counts a vehicle's power from its arrival to the period's end (one that
// stayed would draw it until the next decision): 12 kWh in hour 1 against the PV's 6, of which the
// ESS's 2 kWh leave 4 bought, 1.20, where 0 is possible.
TEST(EventPeriods, OnWholeControlPeriodsAVehicleLeavingMidPeriodIsCountedToThePeriodsEnd) {
    const LeavingSite site;
    const ChargingModel cm = build_charging_model(site.observe(), with_event_periods(false));
    ASSERT_EQ(cm.periods, 2);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.ess_kw(s, 0, 1), -2.0, kExactTol);
    EXPECT_NEAR(cm.metered_net_kwh(s)[1], 4.0, kExactTol);
    EXPECT_NEAR(cm.expected_cost(s), 1.20, kExactTol);
}

// A departure within a second of a control period's boundary moves no boundary and adds no period.
TEST(EventPeriods, AnEventAtABoundaryAddsNoPeriod) {
    LeavingSite site;
    site.upcoming[0].declared_departure = site.upcoming[0].departure =
        Time(0) + Duration::hours(2) - Duration(400);
    const ChargingModel cm = build_charging_model(site.observe(), with_event_periods(true));
    EXPECT_EQ(cm.bounds, (std::vector<Time>{Time(0), kHour1, Time(0) + Duration::hours(2)}));
}

}  // namespace
}  // namespace evtwin::milp
