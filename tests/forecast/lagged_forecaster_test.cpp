// The naive forecasters against hand-computed values; quantiles ordered; they read only the past.
#include "forecast/series.hpp"
#include "host/forecaster_loader.hpp"

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace evtwin {
namespace {

// A PV-like series on an hourly grid: value(i) for i in [0, steps).
ForecastSeries series(std::size_t steps, double (*value)(std::size_t)) {
    ForecastSeries s;
    s.target = ForecastTarget::pv;
    s.data = "synthetic";
    s.start = Time(0);
    s.step = Duration::hours(1);
    s.steps = steps;
    for (std::size_t i = 0; i < steps; ++i) s.values.push_back(value(i));
    s.calendar.resize(steps);
    s.import_price.assign(steps, 0.0);
    return s;
}

double ramp(std::size_t i) {
    return double(i);
}

ForecastOutput forecast_with(Forecaster& f, const ForecastSeries& s, std::size_t origin,
                             std::size_t horizon) {
    ForecastInputBuffers buffers;
    const ForecastInput in = input_at(s, origin, f.needs().history_steps, horizon, buffers);
    ForecastOutput out;
    for (auto* q : {&out.p10, &out.p50, &out.p90}) q->assign(horizon, 0.0);
    f.forecast(in, out);
    return out;
}

TEST(Persistence, RepeatsTheSameHourYesterday) {
    ForecasterHandle f = load_forecaster("persistence", ForecastTarget::pv);
    EXPECT_EQ(f->needs().step, Duration::hours(1));
    EXPECT_EQ(f->needs().history_steps, 7u * 24u);
    const ForecastSeries s = series(400, ramp);
    const ForecastOutput out = forecast_with(*f.get(), s, 200, 30);
    // Step k (k < 24) repeats origin + k - 24; steps 24..29 repeat the same hour of that day again.
    for (std::size_t k = 0; k < 24; ++k) EXPECT_DOUBLE_EQ(out.p50[k], 200.0 + double(k) - 24.0) << k;
    for (std::size_t k = 24; k < 30; ++k) EXPECT_DOUBLE_EQ(out.p50[k], 200.0 + double(k) - 48.0) << k;
    // The ramp rises exactly 24 per day: the rule's error is always 24, so both quantiles sit at +24.
    for (std::size_t k = 0; k < 30; ++k) {
        EXPECT_DOUBLE_EQ(out.p10[k], out.p50[k]);
        EXPECT_DOUBLE_EQ(out.p90[k], out.p50[k] + 24.0);
    }
}

TEST(SeasonalNaive, RepeatsTheSameHourLastWeek) {
    ForecasterHandle f = load_forecaster("seasonal_naive", ForecastTarget::pv, {{"history_days", "8"}});
    const ForecastSeries s = series(400, ramp);
    const ForecastOutput out = forecast_with(*f.get(), s, 300, 24);
    for (std::size_t k = 0; k < 24; ++k) EXPECT_DOUBLE_EQ(out.p50[k], 300.0 + double(k) - 168.0) << k;
}

TEST(LaggedForecasters, QuantilesOrderedAndNonNegativeOnNoisyData) {
    const ForecastSeries s = series(24 * 30, [](std::size_t i) {
        return std::max(0.0, std::sin(double(i % 24) / 24.0 * 6.283) * 5.0 + double((i * 7919) % 13) - 6.0);
    });
    for (const char* name : {"persistence", "seasonal_naive"}) {
        ForecasterHandle f = load_forecaster(name, ForecastTarget::pv);
        for (std::size_t origin = 24 * 14; origin + 48 <= s.steps; origin += 5) {
            const ForecastOutput out = forecast_with(*f.get(), s, origin, 48);
            for (std::size_t k = 0; k < 48; ++k) {
                EXPECT_GE(out.p10[k], 0.0);
                EXPECT_LE(out.p10[k], out.p50[k]) << name << " " << origin << " " << k;
                EXPECT_LE(out.p50[k], out.p90[k]) << name << " " << origin << " " << k;
            }
        }
    }
}

TEST(LaggedForecasters, NeverReadTheFuture) {
    ForecastSeries s = series(24 * 30, ramp);
    for (const char* name : {"persistence", "seasonal_naive"}) {
        ForecasterHandle f = load_forecaster(name, ForecastTarget::pv);
        const std::size_t origin = 24 * 20;
        const ForecastOutput before = forecast_with(*f.get(), s, origin, 24);
        ForecastSeries changed = s;
        for (std::size_t i = origin; i < changed.steps; ++i) changed.values[i] = 1e6;
        const ForecastOutput after = forecast_with(*f.get(), changed, origin, 24);
        EXPECT_EQ(before.p10, after.p10) << name;
        EXPECT_EQ(before.p50, after.p50) << name;
        EXPECT_EQ(before.p90, after.p90) << name;
    }
}

TEST(LaggedForecasters, DemandChannelsEachRepeatTheirOwnPast) {
    ForecastSeries s;
    s.target = ForecastTarget::demand;
    s.start = Time(0);
    s.step = Duration::hours(1);
    s.steps = 24 * 10;
    s.values.assign(3 * s.steps, 0.0);
    for (std::size_t i = 0; i < s.steps; ++i) {
        s.values[i] = double(i % 24 == 8);                  // one arrival at 08:00
        s.values[s.steps + i] = i % 24 == 8 ? 12.0 : 0.0;   // of 12 kWh
        s.values[2 * s.steps + i] = i % 24 == 8 ? 9.0 : 0;  // staying 9 h
    }
    s.calendar.resize(s.steps);
    s.import_price.assign(s.steps, 0.0);
    ForecasterHandle f = load_forecaster("persistence", ForecastTarget::demand);
    ForecastInputBuffers buffers;
    const ForecastInput in = input_at(s, 24 * 8, f->needs().history_steps, 24, buffers);
    ForecastOutput out;
    for (auto* q : {&out.p10, &out.p50, &out.p90}) q->assign(3 * 24, 0.0);
    f->forecast(in, out);
    EXPECT_DOUBLE_EQ(out.p50[8], 1.0);
    EXPECT_DOUBLE_EQ(out.p50[24 + 8], 12.0);
    EXPECT_DOUBLE_EQ(out.p50[48 + 8], 9.0);
    EXPECT_DOUBLE_EQ(out.p50[9], 0.0);
}

TEST(LaggedForecasters, RefuseBadOptions) {
    EXPECT_THROW(load_forecaster("persistence", ForecastTarget::pv, {{"step_min", "7"}}), PluginError);
    EXPECT_THROW(load_forecaster("seasonal_naive", ForecastTarget::pv, {{"history_days", "3"}}), PluginError);
    EXPECT_THROW(load_forecaster("persistence", ForecastTarget::pv, {{"step_min", "x"}}), PluginError);
    EXPECT_THROW(load_forecaster("no_such_forecaster", ForecastTarget::pv), PluginError);
    const auto refusal = [](const ForecasterOptions& options) {
        const std::string e =
            test::error_of<PluginError>([&] { load_forecaster("persistence", ForecastTarget::pv, options); });
        return e.substr(e.find(" for pv: ") + 9);  // after the forecaster's name and file
    };
    // A history of 1e300 days was a vector past max_size, reported as the run's strategy failing.
    EXPECT_EQ(refusal({{"history_days", "1e300"}}),
              "option history_days='1e300' must be a number from 0 to 366");
    EXPECT_EQ(refusal({{"step_min", "0"}}), "option step_min='0' must be a number from 1 to 1440");
    // An option or argument the forecaster does not take was ignored.
    EXPECT_EQ(refusal({{"lag", "2"}}), "unknown option 'lag'; known options: step_min, history_days");
    EXPECT_EQ(refusal({{"arg", "x"}}),  // --forecast pv=persistence:x
              "takes no argument after ':', only the options step_min and history_days");
}

}  // namespace
}  // namespace evtwin
