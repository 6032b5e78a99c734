// The formulation bounds the ESS by its own ratings, each direction apart: a battery that charges
// at 5 kW and gives less (or nothing) is never planned to give 5 kW. Worked out by hand on one
// site: three one-hour periods at 0.10, 0.30, 0.30 per kWh, exports paid nothing, an ESS of 10 kWh
// empty now (SoC bounds 0 and 1, both efficiencies 1), and one vehicle to come at hour 1 that
// wants 5 kWh before it leaves at hour 2 (a 7 kW charger, efficiency 1).
#include "hourly_site.hpp"
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"

#include <gtest/gtest.h>

#include <span>

#include <vector>

namespace evtwin::milp {
namespace {

constexpr double kTol = 1e-6;

struct EssSite {
    std::vector<NodeView> nodes{test::grid_connection(), {0, NodeKind::charger}, {1, NodeKind::connector}};
    std::vector<ConnectorView> connectors{{2, 1, 7.0, 0.0, {}, false, PilotState::A, kNone}};
    std::vector<UpcomingSession> upcoming;
    Forecast forecast = test::hourly_forecast({0.10, 0.30, 0.30});
    EssView ess;

    explicit EssSite(double rated_discharge_kw)
        : ess(test::battery(10.0, 0.0, 0.0, 1.0, 5.0, rated_discharge_kw)) {
        UpcomingSession u;
        u.id = 1;
        u.arrival = Time(0) + Duration::hours(1);
        u.declared_departure = u.departure = Time(0) + Duration::hours(2);
        u.requested_kwh = 5.0;
        u.capacity_kwh = 60.0;
        u.initial_soc = 0.2;
        u.max_ac_kw = 11.0;
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

// Rated 5 kW charge, 0 kW discharge: whatever it stores it never gives back, so it stays idle and
// the vehicle's 5 kWh are bought in hour 1: 5 · 0.30 = 1.50 (as edf pays). Bounded by the larger
// rating in both directions, the plan stored 5 kWh at 0.10 for the vehicle and expected 0.50.
TEST(EssRatings, ABatteryThatCannotDischargeIsNotCharged) {
    const EssSite site(0.0);
    const ChargingModel cm = build_charging_model(site.observe(), {});
    ASSERT_EQ(cm.ess_charge[0].size(), 3u);
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    for (int t = 0; t < 3; ++t) EXPECT_NEAR(cm.ess_kw(s, 0, t), 0.0, kTol) << "period " << t;
    EXPECT_NEAR(cm.expected_cost(s), 1.50, kTol);
    EXPECT_NEAR(s.value(cm.slack[0]), 0.0, kTol);
}

// Rated 5 kW charge, 2.5 kW discharge: store c kWh in hour 0 (c <= 5), give d <= min(c, 2.5) of
// the vehicle's 5 kWh in hour 1 and buy the rest; nothing to do in hour 2 (exports earn nothing). Cost
// 0.10·c + 0.30·(5 − d), least at c = d = 2.5: 0.25 + 0.75 = 1.00. Bounded by the larger rating,
// the plan stored 5 kWh to give them all in hour 1 (0.50), of which the battery gives only 2.5.
TEST(EssRatings, DischargeIsBoundedByItsOwnRating) {
    const EssSite site(2.5);
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.ess_kw(s, 0, 0), 2.5, kTol);
    EXPECT_NEAR(cm.ess_kw(s, 0, 1), -2.5, kTol);
    EXPECT_NEAR(cm.ess_kw(s, 0, 2), 0.0, kTol);
    EXPECT_NEAR(cm.expected_cost(s), 1.00, kTol);
}

// Full now, it takes nothing in the first period, and its charge rating once it has given energy.
// Prices 0.30, 0.10, 0.30; 2.5 kWh stored, its most (soc_max 0.25); the vehicle is here all three
// hours on a 5 kW charger and wants 10 kWh. Hours 0 and 2 cost nothing if the battery gives the
// vehicle 2.5 kWh in each (its discharge rating, the rest at 5 kW in hour 1), which needs 2.5 kWh
// stored back in hour 1: 0.10 · (5 + 2.5) = 0.75, the least, since 7.5 kWh must be bought (10 less
// the 2.5 stored) and hour 1 is the only cheap one.
TEST(EssRatings, FullNowItChargesAtItsRatingLater) {
    EssSite site(2.5);
    site.forecast.import_price = {0.30, 0.10, 0.30};
    site.connectors[0].max_kw = 5.0;
    site.ess.soc = site.ess.soc_max = 0.25;
    site.ess.max_charge_kw = 0.0;
    site.ess.max_discharge_kw = 2.5;
    UpcomingSession& u = site.upcoming[0];
    u.arrival = Time(0);
    u.declared_departure = u.departure = Time(0) + Duration::hours(3);
    u.requested_kwh = 10.0;
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.ess_kw(s, 0, 0), -2.5, kTol);
    EXPECT_NEAR(cm.ess_kw(s, 0, 1), 2.5, kTol);
    EXPECT_NEAR(cm.ess_kw(s, 0, 2), -2.5, kTol);
    EXPECT_NEAR(cm.expected_cost(s), 0.75, kTol);
}

}  // namespace
}  // namespace evtwin::milp
