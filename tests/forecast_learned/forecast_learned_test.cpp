// The learned forecasters (lstm, tft): what they learn, and that training and forecasting are
// repeatable and read no future.
#include "learned_models.hpp"

#include <gtest/gtest.h>

namespace evtwin::forecast_learned {
namespace {

using namespace fixtures;

// ctest runs this first (the fixture forecast_learned_models in CMakeLists.txt): the tests that
// share a model would otherwise train it side by side.
TEST(ModelCache, TrainsEachKindOnceForTheOtherTests) {
    for (const std::string kind : {"lstm", "tft"}) {
        const Trained& t = trained(kind);
        EXPECT_TRUE(std::filesystem::is_regular_file(t.file)) << t.file;
        EXPECT_GE(t.result.epochs, 1) << kind;
    }
}

class LearnedKinds : public ::testing::TestWithParam<std::string> {};

TEST_P(LearnedKinds, LearnsTheSyntheticSeriesClearlyBetterThanSeasonalNaive) {
    const Trained& t = trained(GetParam());
    EXPECT_LT(t.result.best_validation, t.result.first_validation);
    LearnedForecaster f = load(t.file);
    const Scores sc = held_out_scores(f, synthetic_series());
    std::printf(
        "%s: held-out MAE %.3f; seasonal naive (a day earlier) %.3f, (a week earlier) %.3f; "
        "%d epochs, best %d, %.1f s\n",
        GetParam().c_str(), sc.model, sc.day_naive, sc.week_naive, t.result.epochs, t.result.best_epoch,
        t.result.wall_s);
    EXPECT_LT(sc.model, 0.8 * sc.day_naive);
    EXPECT_LT(sc.model, sc.week_naive);
}

TEST_P(LearnedKinds, SavedAndReloadedForecastsAreIdentical) {
    const Trained& t = trained(GetParam());
    const ModelFile m = read_model_file(t.file);
    const auto copy = test::temp_dir("forecast_learned_copy") / "copy.pt";
    ModelFile again = m;
    Network net(m.header, std::nullopt);
    net.load_weights(m.weights, t.file);
    again.weights = net.save_weights();  // weights through a network and back
    write_model_file(copy, again);
    LearnedForecaster a = load(t.file), b = load(copy);
    const ForecastSeries s = synthetic_series();
    ForecastInputBuffers buffers;
    ForecastOutput oa, ob;
    for (std::size_t origin : {kTrainUntil, kTrainUntil + 13, kSteps - kHorizon}) {
        const ForecastInput in = input_at(s, origin, kLookback, kHorizon, buffers);
        a.forecast(in, oa);
        b.forecast(in, ob);
        EXPECT_EQ(oa.p10, ob.p10);
        EXPECT_EQ(oa.p50, ob.p50);
        EXPECT_EQ(oa.p90, ob.p90);
    }
}

TEST_P(LearnedKinds, OneWindowGivesWhatABatchGives) {
    const ModelFile m = read_model_file(trained(GetParam()).file);
    Network net(m.header, std::nullopt);
    net.load_weights(m.weights, "model");
    const ForecastSeries s = synthetic_series();
    const FeatureLayout& l = m.header.layout;
    const std::size_t ps = kHistory * l.past.size(), fs = kHorizon * l.future.size(), qs = kHorizon * 3;
    std::vector<float> past(2 * ps), future(2 * fs), one(qs), batch(2 * qs), level(1);
    ForecastInputBuffers buffers;
    for (std::size_t n = 0; n < 2; ++n)
        build_features(l, m.header.scaling, input_at(s, kTrainUntil + 7 * n, kLookback, kHorizon, buffers),
                       &past[n * ps], &future[n * fs], level.data());
    net.predict_batch(past.data(), future.data(), 2, batch.data());
    for (std::size_t n = 0; n < 2; ++n) {
        net.predict(&past[n * ps], &future[n * fs], one.data());
        for (std::size_t i = 0; i < qs; ++i) EXPECT_NEAR(one[i], batch[n * qs + i], 1e-5) << "window " << n;
    }
}

TEST_P(LearnedKinds, QuantilesAreOrderedEverywhere) {
    LearnedForecaster f = load(trained(GetParam()).file);
    const ForecastSeries s = synthetic_series();
    ForecastInputBuffers buffers;
    ForecastOutput out;
    for (std::size_t origin = kHistory; origin + kHorizon <= s.steps; origin += 5) {
        f.forecast(input_at(s, origin, kLookback, kHorizon, buffers), out);
        for (std::size_t k = 0; k < kHorizon; ++k) {
            EXPECT_LE(out.p10[k], out.p50[k]) << "origin " << origin << " step " << k;
            EXPECT_LE(out.p50[k], out.p90[k]) << "origin " << origin << " step " << k;
            EXPECT_GE(out.p10[k], 0.0);
        }
    }
}

TEST_P(LearnedKinds, AForecastDoesNotReadTheFuture) {
    LearnedForecaster f = load(trained(GetParam()).file);
    const ForecastSeries s = synthetic_series();
    const std::size_t origin = kTrainUntil + 5;
    ForecastSeries changed = s;
    for (std::size_t i = origin; i < s.steps; ++i) changed.values[i] = 3.0 * s.values[i] + 100.0;
    ForecastInputBuffers ba, bb;
    ForecastOutput oa, ob;
    const ForecastInput in = input_at(s, origin, kLookback, kHorizon, ba);
    EXPECT_EQ(in.history.size(), kLookback);
    EXPECT_EQ(in.calendar.size(), kLookback + kHorizon);
    f.forecast(in, oa);
    f.forecast(input_at(changed, origin, kLookback, kHorizon, bb), ob);
    EXPECT_EQ(oa.p50, ob.p50);
    EXPECT_EQ(oa.p90, ob.p90);
    // Nor what lies before known_from (unobserved: the input holds whatever, the model sees nothing).
    ForecastInput partial = input_at(s, origin, kLookback, kHorizon, ba);
    partial.known_from = partial.origin - Duration::hours(30);
    f.forecast(partial, oa);
    for (std::size_t i = 0; i < kLookback - 30; ++i) ba.history[i] = 1000.0 + i;
    f.forecast(partial, ob);
    EXPECT_EQ(oa.p50, ob.p50);
}

TEST_P(LearnedKinds, ALongerHorizonRepeatsTheLastDayAndAShorterOneIsCut) {
    LearnedForecaster f = load(trained(GetParam()).file);
    const ForecastSeries s = synthetic_series();
    ForecastInputBuffers buffers;
    ForecastOutput day, two_days, hours;
    const std::size_t origin = kTrainUntil;
    f.forecast(input_at(s, origin, kLookback, kHorizon, buffers), day);
    f.forecast(input_at(s, origin, kLookback, 2 * kHorizon, buffers), two_days);
    f.forecast(input_at(s, origin, kLookback, 6, buffers), hours);
    ASSERT_EQ(two_days.p50.size(), 2 * kHorizon);
    ASSERT_EQ(hours.p50.size(), 6u);
    for (std::size_t k = 0; k < kHorizon; ++k) {
        EXPECT_EQ(two_days.p50[k], day.p50[k]);
        EXPECT_EQ(two_days.p50[kHorizon + k], day.p50[k]);
    }
    for (std::size_t k = 0; k < 6; ++k) EXPECT_EQ(hours.p50[k], day.p50[k]);
}

INSTANTIATE_TEST_SUITE_P(Kinds, LearnedKinds, ::testing::Values("lstm", "tft"));

TEST(LearnedTraining, IsDeterministicForASeed) {
    const auto dir = test::temp_dir("forecast_learned_determinism");
    std::atomic<bool> stop{false};
    TrainRequest rq = quick_request("lstm", dir / "a.pt");
    const TrainResult a = train_model(synthetic_series(), rq, stop);
    rq.out = dir / "b.pt";
    const TrainResult b = train_model(synthetic_series(), rq, stop);
    EXPECT_EQ(a.best_validation, b.best_validation);
    EXPECT_EQ(read_model_file(dir / "a.pt").weights, read_model_file(dir / "b.pt").weights);
}

}  // namespace
}  // namespace evtwin::forecast_learned
