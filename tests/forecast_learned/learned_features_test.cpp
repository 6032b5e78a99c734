// The learned forecasters' input features, against values worked out by hand.
#include "learned_models.hpp"

#include <gtest/gtest.h>

namespace evtwin::forecast_learned {
namespace {

using namespace fixtures;

TEST(LearnedFeatures, LayoutNamesEveryInputInOrder) {
    const FeatureLayout pv = make_layout(ForecastTarget::pv, Duration::hours(1), 168, 24, 672);
    EXPECT_EQ(pv.past, (std::vector<std::string>{"y:pv_kw", "observed", "hour_sin", "hour_cos", "weekday_sin",
                                                 "weekday_cos", "holiday", "import_price", "pv_shape"}));
    EXPECT_EQ(pv.future,
              (std::vector<std::string>{"hour_sin", "hour_cos", "weekday_sin", "weekday_cos", "holiday",
                                        "import_price", "day_ago:pv_kw", "days3_mean:pv_kw",
                                        "days7_median:pv_kw", "pv_shape", "level:pv_kw"}));
    const FeatureLayout demand = make_layout(ForecastTarget::demand, Duration::minutes(30), 336, 48, 336);
    EXPECT_EQ(demand.past.size(), 3u + 7u);
    EXPECT_EQ(demand.future[6], "day_ago:arrivals");
    EXPECT_EQ(demand.future[11], "days3_mean:stay_h");
    EXPECT_EQ(demand.future[15], "week_ago:arrivals");
    EXPECT_EQ(demand.future[23], "fortnights_mean:stay_h");
    EXPECT_EQ(demand.steps_per_day(), 48u);
    EXPECT_THROW(make_layout(ForecastTarget::pv, Duration::minutes(7), 10, 10, 10), std::invalid_argument);
    EXPECT_THROW(make_layout(ForecastTarget::pv, Duration::hours(1), 168, 24, 167), std::invalid_argument);
}

// The same-time features against values worked out by hand: a four-week lookback of a series whose
// value at lookback step i is i, so each feature names the steps it read.
TEST(LearnedFeatures, SameTimeFeaturesReadTheRightDaysAndWeeks) {
    const std::size_t lookback = 4 * kWeek, horizon = 30;
    const FeatureLayout l = make_layout(ForecastTarget::load, Duration::hours(1), kDay, horizon, lookback);
    Scaling scaling;
    scaling.channel = {1.0};
    std::vector<double> history(lookback);
    for (std::size_t i = 0; i < lookback; ++i) history[i] = static_cast<double>(i);
    std::vector<CalendarStep> calendar(lookback + horizon);
    std::vector<double> prices(lookback + horizon, 0.0);
    ForecastInput in;
    in.target = ForecastTarget::load;
    in.origin = Time(1'704'067'200'000) + Duration::hours(static_cast<std::int64_t>(lookback));
    in.step = Duration::hours(1);
    in.history_steps = lookback;
    in.horizon_steps = horizon;
    in.history = history;
    in.known_from = Time(0);
    in.calendar = calendar;
    in.import_price = prices;
    std::vector<float> past(kDay * l.past.size()), future(horizon * l.future.size());
    float level = 0.0f;
    build_features(l, scaling, in, past.data(), future.data(), &level);
    // the level: the mean of the network's history, the lookback's last day (steps 648..671)
    const double mean = (648.0 + 671.0) / 2.0;
    EXPECT_FLOAT_EQ(level, static_cast<float>(mean));
    EXPECT_FLOAT_EQ(past[0], static_cast<float>(648.0 / mean));  // the past starts at the last day
    const auto feature = [&](std::size_t k, const std::string& name) {
        const auto at = std::find(l.future.begin(), l.future.end(), name + ":load_kw") - l.future.begin();
        return future[k * l.future.size() + static_cast<std::size_t>(at)] * mean;
    };
    const double n = static_cast<double>(lookback);
    // horizon step 2 (time n + 2): a day ago n + 2 - 24; a week ago n + 2 - 168
    EXPECT_NEAR(feature(2, "day_ago"), n - 22, 1e-3);
    EXPECT_NEAR(feature(2, "week_ago"), n - 166, 1e-3);
    EXPECT_NEAR(feature(2, "days3_mean"), n + 2 - 48, 1e-3);            // mean of -24, -48, -72
    EXPECT_NEAR(feature(2, "days7_median"), n + 2 - 96, 1e-3);          // median of -24 .. -168
    EXPECT_NEAR(feature(2, "weeks4_median"), n + 2 - 2.5 * 168, 1e-3);  // of -168 .. -672
    EXPECT_NEAR(feature(2, "fortnights_mean"), n + 2 - 3 * 168, 1e-3);  // of -336 and -672
    // horizon step 26 lies a day and two hours ahead: its day ago is two days before it
    EXPECT_NEAR(feature(26, "day_ago"), n + 26 - 48, 1e-3);

    // Only the last ten days observed: the weeks not seen drop out, and with none seen a lag falls
    // back to the nearest shorter one.
    in.known_from = in.origin - Duration::hours(240);
    for (std::size_t i = 0; i < lookback - 240; ++i) history[i] = 1e6;  // unobserved: never read
    build_features(l, scaling, in, past.data(), future.data(), &level);
    EXPECT_NEAR(feature(2, "weeks4_median"), n + 2 - 168, 1e-3);    // only a week ago was seen
    EXPECT_NEAR(feature(2, "fortnights_mean"), n + 2 - 168, 1e-3);  // none: a week ago
    EXPECT_NEAR(feature(2, "days7_median"), n + 2 - 96, 1e-3);
}

TEST(LearnedFeatures, DemandModelsForecastEveryChannel) {
    const auto dir = test::temp_dir("forecast_learned_demand");
    std::atomic<bool> stop{false};
    TrainRequest rq = small_request("tft", dir / "demand.pt");
    rq.epochs = 1;
    rq.max_batches = 3;
    train_model(synthetic_series(ForecastTarget::demand), rq, stop);
    LearnedForecaster f = load(dir / "demand.pt", ForecastTarget::demand);
    ForecastInputBuffers buffers;
    ForecastOutput out;
    f.forecast(input_at(synthetic_series(ForecastTarget::demand), kTrainUntil, kLookback, kHorizon, buffers),
               out);
    ASSERT_EQ(out.p50.size(), 3 * kHorizon);
    for (std::size_t i = 0; i < out.p50.size(); ++i) {
        EXPECT_LE(out.p10[i], out.p50[i]);
        EXPECT_LE(out.p50[i], out.p90[i]);
    }
}

}  // namespace
}  // namespace evtwin::forecast_learned
