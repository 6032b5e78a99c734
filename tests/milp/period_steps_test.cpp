// A plan's own periods (ChargingOptions::period_steps, as a planning request's steps): whole control
// periods from the run's start, priced at the forecast's mean over each. Worked out by hand on one
// site: 15-minute control periods and forecast steps, periods of 15, 15, 60 and 60 minutes, import
// prices per quarter hour 0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.4, 0.4, 0.4, 0.4.
#include "plugins/milp/formulation/charging_model.hpp"
#include "plugins/milp/formulation/model_builder.hpp"
#include "plugins/milp/model/solver.hpp"
#include "plugins/milp/planning.hpp"

#include "one_vehicle_site.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace evtwin::milp {
namespace {

// One vehicle that wants 2 kWh on a 10 kW charger over the ten quarter hours.
struct StepSite : OneVehicleSite {
    StepSite()
        : OneVehicleSite(10.0, Duration::minutes(15), {0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.4, 0.4, 0.4, 0.4},
                         2.0) {}
};

ChargingOptions quarter_quarter_hour_hour() {
    ChargingOptions options;
    options.period_steps = {Duration::minutes(15), Duration::minutes(15), Duration::minutes(60),
                            Duration::minutes(60)};
    return options;
}

TEST(PeriodSteps, PeriodsFollowTheStepsAndArePricedAtTheirMean) {
    const StepSite site;
    const ChargingModel cm = build_charging_model(site.observe(Time(0)), quarter_quarter_hour_hour());
    ASSERT_EQ(cm.periods, 4);
    EXPECT_EQ(cm.hours, (std::vector<double>{0.25, 0.25, 1.0, 1.0}));
    ASSERT_EQ(cm.import_price.size(), 4u);
    EXPECT_NEAR(cm.import_price[0], 0.1, 1e-12);
    EXPECT_NEAR(cm.import_price[1], 0.1, 1e-12);
    EXPECT_NEAR(cm.import_price[2], 0.25, 1e-12);  // (0.2 + 0.2 + 0.3 + 0.3) / 4
    EXPECT_NEAR(cm.import_price[3], 0.4, 1e-12);
    // The 2 kWh in the two cheap quarter hours (4 kW each), 0.20.
    const Solution s = solve(cm.model);
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_NEAR(cm.row_kw(s, 0, 0) + cm.row_kw(s, 0, 1), 8.0, 1e-6);
    EXPECT_NEAR(cm.expected_cost(s), 0.20, 1e-6);
}

TEST(PeriodSteps, APlanMadeWithinAStepKeepsItsEnd) {
    // At 45 minutes, within the step from 30 to 90: the rest of it, then the last hour.
    const StepSite site;
    const ChargingModel cm =
        build_charging_model(site.observe(Time(0) + Duration::minutes(45)), quarter_quarter_hour_hour());
    ASSERT_EQ(cm.periods, 2);
    EXPECT_EQ(cm.bounds, (std::vector<Time>{Time(0) + Duration::minutes(45), Time(0) + Duration::minutes(90),
                                            Time(0) + Duration::minutes(150)}));
}

TEST(PeriodSteps, AMeanReachesBeforeAndBeyondTheForecast) {
    Forecast f;
    f.start = Time(0);
    f.step = Duration::minutes(15);
    f.import_price = {1.0, 2.0, 3.0};
    // Before its start the first step's value holds, beyond its end the last one's.
    EXPECT_NEAR(forecast_mean(&f, f.import_price, Time(0) - Duration::minutes(30),
                              Time(0) + Duration::minutes(30), 0.0),
                (1.0 * 30 + 1.0 * 15 + 2.0 * 15) / 60.0, 1e-12);
    EXPECT_NEAR(forecast_mean(&f, f.import_price, Time(0), Time(0) + Duration::minutes(60), 0.0), 2.25,
                1e-12);
    EXPECT_NEAR(forecast_mean(&f, f.import_price, Time(0) + Duration::minutes(20),
                              Time(0) + Duration::minutes(25), 0.0),
                2.0, 1e-12);
}

TEST(PeriodSteps, TheOptionReadsRunsOfMinutesAndRefusesAnythingElse) {
    const StrategyOptions good{{"period_steps", "15x24,60x42"}};
    const ChargingOptions read = OptionReader(good, OptionReader::common_keys()).charging();
    ASSERT_EQ(read.period_steps.size(), 66u);
    EXPECT_EQ(read.period_steps.front(), Duration::minutes(15));
    EXPECT_EQ(read.period_steps.back(), Duration::minutes(60));
    for (const char* bad : {"15", "15x", "x3", "15x0", "0x4", "7.5x2", "15x24;60x2", "15x24,"}) {
        const StrategyOptions options{{"period_steps", bad}};
        EXPECT_THROW(OptionReader(options, OptionReader::common_keys()).charging(), OptionError) << bad;
    }
}

}  // namespace
}  // namespace evtwin::milp
