// The departure forecast of the vehicles plugged in, on stays worked out by hand: twenty vehicles
// left after 0.50, 0.55, ..., 1.45 of their declared 10 h; the forecast plans with the 10 %
// quantile of the ratio among those that stayed at least as long as the vehicle has so far.
#include "forecast/departure_forecast.hpp"

#include "support/test_site.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

using test::at_hour;

// Vehicle i arrives at hour i, declares 10 h and stays 10 × (0.5 + 0.05 i) h.
std::vector<SessionSpec> twenty_left() {
    std::vector<SessionSpec> out;
    for (int i = 0; i < 20; ++i) {
        SessionSpec s = test::session(static_cast<SessionId>(i), i, i + 10.0 * (0.5 + 0.05 * i), 10.0);
        s.declared_departure = at_hour(i + 10.0);
        out.push_back(s);
    }
    return out;
}

// Arrived at `arrive_h`, declares 10 h.
SessionSpec plugged_in(double arrive_h) {
    SessionSpec s = test::session(100, arrive_h, arrive_h + 3.0, 10.0);
    s.declared_departure = at_hour(arrive_h + 10.0);
    return s;
}

constexpr double kAllLeft = 40.0;  // hour by which all twenty left (the last at 19 + 14.5)

double hour_of(Time t) {
    return (t - test::kDay0).hours_f();
}

TEST(DepartureForecast, PlansWithTheEarlyQuantileOfTheStaysThatLasted) {
    const std::vector<SessionSpec> history = twenty_left();
    DepartureForecast forecast(history, {});
    // 1 h in: all twenty stayed as long; rank round(0.1 × 19) = 2, ratio 0.60: 6 h after arrival.
    EXPECT_NEAR(hour_of(forecast.expected(plugged_in(kAllLeft - 1.0), at_hour(kAllLeft))), kAllLeft + 5.0,
                1e-6);
    // 7.9 h in: the fourteen with ratio >= 0.80 stayed as long; rank round(0.1 × 13) = 1, ratio 0.85.
    EXPECT_NEAR(hour_of(forecast.expected(plugged_in(kAllLeft - 7.9), at_hour(kAllLeft))),
                kAllLeft - 7.9 + 8.5, 1e-6);
    // 15 h in: none stayed as long; its declared departure.
    EXPECT_NEAR(hour_of(forecast.expected(plugged_in(kAllLeft - 15.0), at_hour(kAllLeft))), kAllLeft - 5.0,
                1e-6);
}

TEST(DepartureForecast, DeclaredUntilEnoughVehiclesLeft) {
    std::vector<SessionSpec> history = twenty_left();
    history.pop_back();
    DepartureForecast forecast(history, {});
    EXPECT_NEAR(hour_of(forecast.expected(plugged_in(kAllLeft - 1.0), at_hour(kAllLeft))), kAllLeft + 9.0,
                1e-6);
}

// A vehicle of the run that leaves after now (very early on its declared stay) changes nothing.
TEST(DepartureForecast, SeesOnlyTheVehiclesThatLeft) {
    const std::vector<SessionSpec> history = twenty_left();
    std::vector<SessionSpec> run{plugged_in(kAllLeft - 2.0)};
    run[0].departure = at_hour(kAllLeft + 0.5);
    DepartureForecast without(history, {}), with(history, run);
    const SessionSpec now_plugged = plugged_in(kAllLeft - 1.0);
    EXPECT_EQ(with.expected(now_plugged, at_hour(kAllLeft)),
              without.expected(now_plugged, at_hour(kAllLeft)));
    // Once it left, it counts: 21 ratios, the new smallest 0.25 < 0.1; rank round(0.1 × 20) = 2, ratio 0.55.
    EXPECT_NEAR(hour_of(with.expected(plugged_in(kAllLeft), at_hour(kAllLeft + 1.0))), kAllLeft + 5.5, 1e-6);
}

}  // namespace
}  // namespace evtwin
