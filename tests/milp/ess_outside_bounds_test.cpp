// An ESS that starts outside its SoC bounds is planned back within them first. Worked out by hand on
// one site: three one-hour periods, exports paid nothing, no vehicle, an ESS of 10 kWh with SoC
// bounds 0.2 and 0.8, rated 2 kW each way, both efficiencies 1.
#include "hourly_site.hpp"
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/model/solver.hpp"

#include <gtest/gtest.h>

#include <span>

#include <vector>

namespace evtwin::milp {
namespace {

constexpr double kEssTol = 1e-6;

struct BoundsSite {
    std::vector<NodeView> nodes{test::grid_connection()};
    Forecast forecast;
    EssView ess;

    BoundsSite(double soc, std::vector<double> prices)
        : forecast(test::hourly_forecast(std::move(prices))),
          ess(test::battery(10.0, soc, 0.2, 0.8, 2.0, 2.0)) {}

    Observation observe() const {
        Observation obs = test::hourly_observation(nodes, forecast);
        obs.ess = std::span<const EssView>(&ess, 1);  // the site's one battery
        return obs;
    }
};

std::vector<double> ess_kw(const ChargingModel& cm, const Solution& s) {
    std::vector<double> kw;
    for (int t = 0; t < cm.periods; ++t) kw.push_back(cm.ess_kw(s, 0, t));
    return kw;
}

// At 5 % (0.5 kWh), 1.5 kWh below its floor: it charges at its 2 kW rating in hour 0 though hour 0
// is the dearest (0.30 against 0.10), and not more (nothing pays for stored energy here): 1.5 kW.
TEST(EssOutsideBounds, BelowItsFloorItChargesBackFirstWhateverThePrice) {
    const BoundsSite site(0.05, {0.30, 0.10, 0.10});
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    const std::vector<double> kw = ess_kw(cm, s);
    EXPECT_NEAR(kw[0], 1.5, kEssTol);
    for (const double p : kw) EXPECT_GE(p, -kEssTol) << "discharged below its floor";
}

// At 95 % (9.5 kWh), 1.5 kWh above its ceiling: it discharges 1.5 kW in hour 0, although exports pay
// nothing and no load takes it (the energy is curtailed, exported for nothing).
TEST(EssOutsideBounds, AboveItsCeilingItDischargesBackFirst) {
    const BoundsSite site(0.95, {0.10, 0.10, 0.10});
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    const std::vector<double> kw = ess_kw(cm, s);
    EXPECT_NEAR(kw[0], -1.5, kEssTol);
    for (const double p : kw) EXPECT_LE(p, kEssTol) << "charged above its ceiling";
}

// With a floor of 35 % (3.5 kWh) and nothing stored, 3.5 kWh below it at 2 kW: 2 kW in hour 0 and
// 1.5 in hour 1 (the dear one), as fast as its rating allows, then nothing.
TEST(EssOutsideBounds, FarBelowItsFloorItChargesAtItsRatingUntilBack) {
    BoundsSite site(0.0, {0.10, 0.30, 0.30});
    site.ess.soc_min = 0.35;
    const ChargingModel cm = build_charging_model(site.observe(), {});
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    const std::vector<double> kw = ess_kw(cm, s);
    EXPECT_NEAR(kw[0], 2.0, kEssTol);
    EXPECT_NEAR(kw[1], 1.5, kEssTol);
    EXPECT_NEAR(kw[2], 0.0, kEssTol);
}

}  // namespace
}  // namespace evtwin::milp
