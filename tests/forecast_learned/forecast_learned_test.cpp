#include "plugins/forecast/learned/dataset.hpp"
#include "plugins/forecast/learned/learned_forecaster.hpp"
#include "plugins/forecast/learned/trainer.hpp"

#include "support/test_support.hpp"

#include <evtwin/errors.hpp>
#include <evtwin/plugin.hpp>

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <random>

namespace evtwin::forecast_learned {
namespace {

constexpr std::size_t kDay = 24, kWeek = 7 * kDay;
constexpr std::size_t kHistory = 48, kHorizon = 24, kLookback = 2 * kWeek;
constexpr std::size_t kTrainUntil = 6 * kWeek, kSteps = 8 * kWeek;

// Hourly base load from Monday 2024-01-01 00:00 UTC: a daily bump, lower at weekends, plus noise.
ForecastSeries synthetic_series(ForecastTarget target = ForecastTarget::load) {
    ForecastSeries s;
    s.target = target;
    s.data = "synthetic";
    s.start = Time(1'704'067'200'000);
    s.step = Duration::hours(1);
    s.steps = kSteps;
    std::mt19937_64 rng(42);
    std::normal_distribution<double> noise(0.0, 0.5);
    for (std::size_t c = 0; c < s.channels(); ++c)
        for (std::size_t i = 0; i < kSteps; ++i) {
            const std::size_t hour = i % kDay, weekday = (i / kDay) % 7;
            const double daily =
                5.0 * std::sin(2.0 * std::numbers::pi * (static_cast<double>(hour) - 6.0) / 24.0);
            const double level = weekday < 5 ? 1.0 : 0.4;
            s.values.push_back(std::max(0.0, (10.0 + daily) * level * (1.0 + 0.5 * c) + noise(rng)));
        }
    for (std::size_t i = 0; i < kSteps; ++i)
        s.calendar.push_back(
            {static_cast<float>(i % kDay), static_cast<std::uint8_t>((i / kDay) % 7), false});
    s.import_price.assign(kSteps, 0.0);
    return s;
}

TrainRequest small_request(const std::string& kind, const std::filesystem::path& out) {
    TrainRequest rq;
    rq.kind = kind;
    rq.out = out;
    rq.train_until = kTrainUntil;
    rq.history_steps = kHistory;
    rq.horizon_steps = kHorizon;
    rq.lookback_steps = kLookback;
    rq.hidden = 16;
    rq.heads = 2;
    rq.epochs = 12;
    rq.batch = 32;
    rq.max_batches = 25;
    rq.learning_rate = 3e-3;
    rq.seed = 7;
    rq.progress = false;
    return rq;
}

// Two short epochs: enough for what a test checks beside the model's skill.
TrainRequest quick_request(const std::string& kind, const std::filesystem::path& out) {
    TrainRequest rq = small_request(kind, out);
    rq.epochs = 2;
    rq.max_batches = 5;
    return rq;
}

struct Trained {
    std::filesystem::path file;
    TrainResult result;
};

// ctest runs every test in a process of its own, so a model is trained once per build of this
// program and kept in the build tree with its TrainResult: the first test that needs it trains it,
// the others read it. A rebuilt program (a changed trainer) trains afresh.
std::filesystem::path model_cache() {
    const auto program = std::filesystem::read_symlink("/proc/self/exe");
    const auto built = std::filesystem::last_write_time(program).time_since_epoch().count();
    return std::filesystem::path(EVTWIN_TEST_BINARY_DIR) / "test_cache" /
           ("forecast_learned-" + std::to_string(built));
}

Trained train_and_keep(const std::string& kind, const std::filesystem::path& dir) {
    const auto scratch = dir / ("training-" + kind + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(scratch);
    for (const auto& kept : std::filesystem::directory_iterator(dir.parent_path()))  // earlier builds'
        if (kept.path() != dir && kept.path().filename().string().starts_with("forecast_learned-"))
            std::filesystem::remove_all(kept.path());
    Trained t;
    t.file = scratch / (kind + ".pt");
    std::atomic<bool> stop{false};
    t.result = train_model(synthetic_series(), small_request(kind, t.file), stop);
    {
        std::ofstream out(scratch / "result");
        out.precision(17);
        out << t.result.epochs << ' ' << t.result.best_epoch << ' ' << t.result.best_validation << ' '
            << t.result.first_validation << ' ' << t.result.wall_s << '\n';
    }
    // Renamed into place, the result last: a test running beside this one sees both files or none.
    std::filesystem::rename(t.file, dir / (kind + ".pt"));
    std::filesystem::rename(scratch / "result", dir / (kind + ".result"));
    std::filesystem::remove(scratch);
    t.file = dir / (kind + ".pt");
    return t;
}

const Trained& trained(const std::string& kind) {
    static std::map<std::string, Trained> models;
    if (auto it = models.find(kind); it != models.end()) return it->second;
    const auto dir = model_cache();
    Trained t;
    if (std::ifstream in(dir / (kind + ".result")); in) {
        t.file = dir / (kind + ".pt");
        in >> t.result.epochs >> t.result.best_epoch >> t.result.best_validation >>
            t.result.first_validation >> t.result.wall_s;
    } else {
        t = train_and_keep(kind, dir);
    }
    return models.emplace(kind, t).first->second;
}

struct Scores {
    double model = 0.0, day_naive = 0.0, week_naive = 0.0;
};

// Day-ahead forecasts from every held-out midnight: MAE of P50 against the truth and against the
// seasonal naive forecasts (the value one day, and one week, earlier).
Scores held_out_scores(LearnedForecaster& f, const ForecastSeries& s) {
    Scores sc;
    std::size_t n = 0;
    ForecastInputBuffers buffers;
    ForecastOutput out;
    for (std::size_t origin = kTrainUntil; origin + kHorizon <= s.steps; origin += kDay) {
        const ForecastInput in = input_at(s, origin, kLookback, kHorizon, buffers);
        f.forecast(in, out);
        for (std::size_t k = 0; k < kHorizon; ++k, ++n) {
            const double truth = s.at(0, origin + k);
            sc.model += std::abs(out.p50[k] - truth);
            sc.day_naive += std::abs(s.at(0, origin + k - kDay) - truth);
            sc.week_naive += std::abs(s.at(0, origin + k - kWeek) - truth);
        }
    }
    sc.model /= n;
    sc.day_naive /= n;
    sc.week_naive /= n;
    return sc;
}

LearnedForecaster load(const std::filesystem::path& file, ForecastTarget target = ForecastTarget::load) {
    return LearnedForecaster(target, read_model_file(file), file.string());
}

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

// Hourly PV from the same Monday: a half sine from 06:00 to 18:00, varying from day to day; none at night.
ForecastSeries pv_series() {
    ForecastSeries s = synthetic_series(ForecastTarget::pv);
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> clearness(0.4, 1.0);
    double today = 1.0;
    for (std::size_t i = 0; i < kSteps; ++i) {
        const double hour = static_cast<double>(i % kDay);
        if (i % kDay == 0) today = clearness(rng);
        s.values[i] =
            hour > 6.0 && hour < 18.0 ? 8.0 * today * std::sin(std::numbers::pi * (hour - 6.0) / 12.0) : 0.0;
    }
    return s;
}

TEST(LearnedForecasterPlugin, ForecastsNoPvWhereTheLastTwoWeeksHadNoneAtThatHour) {
    const auto dir = test::temp_dir("forecast_learned_pv_night");
    std::atomic<bool> stop{false};
    const ForecastSeries s = pv_series();
    train_model(s, quick_request("lstm", dir / "pv.pt"), stop);
    LearnedForecaster f = load(dir / "pv.pt", ForecastTarget::pv);
    // A reading at 03:00 on two nights (a meter's glitch) leaves that hour dark: 12 of 14 nights gave none.
    ForecastSeries glitch = s;
    const std::size_t origin = kTrainUntil;
    glitch.values[origin - kDay + 3] = 5.0;
    glitch.values[origin - 3 * kDay + 3] = 5.0;
    ForecastInputBuffers buffers;
    ForecastOutput out;
    f.forecast(input_at(glitch, origin, kLookback, kHorizon, buffers), out);
    for (std::size_t k = 0; k < kHorizon; ++k) {
        if (k > 6 && k < 18) {
            EXPECT_GT(out.p50[k], 0.0) << "hour " << k;
            continue;
        }
        EXPECT_EQ(out.p10[k], 0.0) << "hour " << k;
        EXPECT_EQ(out.p50[k], 0.0) << "hour " << k;
        EXPECT_EQ(out.p90[k], 0.0) << "hour " << k;
    }
}

TEST(LearnedTraining, FineTuningFromAnotherLayoutRefusesNamingTheDifference) {
    const Trained& t = trained("lstm");
    const auto dir = test::temp_dir("forecast_learned_init");
    std::atomic<bool> stop{false};
    TrainRequest rq = small_request("lstm", dir / "tuned.pt");
    rq.init = t.file;
    rq.epochs = 1;
    rq.history_steps = 72;
    EXPECT_EQ(test::error_of<ModelFileError>([&] { train_model(synthetic_series(), rq, stop); }),
              "--init: history of 48 steps in " + t.file.string() + ", 72 asked");
    rq.history_steps = kHistory;
    EXPECT_EQ(
        test::error_of<ModelFileError>([&] { train_model(synthetic_series(ForecastTarget::pv), rq, stop); }),
        "--init: " + t.file.string() + " is a load model; this asks for pv");
    rq.kind = "tft";
    EXPECT_EQ(test::error_of<ModelFileError>([&] { train_model(synthetic_series(), rq, stop); }),
              "--init: " + t.file.string() + " is a lstm model; this asks for tft");
    // The same layout fine-tunes.
    rq.kind = "lstm";
    const TrainResult r = train_model(synthetic_series(), rq, stop);
    EXPECT_EQ(r.epochs, 1);
    EXPECT_TRUE(std::filesystem::exists(dir / "tuned.pt"));
}

TEST(LearnedTraining, ASpanTooShortForTheWindowsIsRefused) {
    std::atomic<bool> stop{false};
    TrainRequest rq = small_request("lstm", test::temp_dir("forecast_learned_short") / "m.pt");
    rq.train_until = 80;
    const std::string message = test::error_of<DataError>([&] { train_model(synthetic_series(), rq, stop); });
    EXPECT_EQ(
        message,
        "synthetic: 80 steps of data to train on, too short for a history of 48 steps and a horizon of 24 "
        "(at least 96 steps: one window for training and one for validation)");
}

TEST(LearnedForecasterPlugin, RefusesAModelForAnotherTargetOrKind) {
    const Trained& t = trained("lstm");
    const std::string file = t.file.string();
    EXPECT_EQ(test::error_of<ForecasterError>([&] {
                  LearnedForecaster(ForecastTarget::pv, ForecasterOptions{{"arg", file}}, "lstm");
              }),
              file + " is a load model; this asks for pv");
    EXPECT_EQ(test::error_of<ForecasterError>([&] {
                  LearnedForecaster(ForecastTarget::load, ForecasterOptions{{"model", file}}, "tft");
              }),
              file + " is a lstm model; load it with the forecaster lstm, not tft");
    EXPECT_EQ(test::error_of<ForecasterError>(
                  [&] { LearnedForecaster(ForecastTarget::load, ForecasterOptions{}, "lstm"); }),
              "lstm: which model file? (e.g. --forecast pv=lstm:model.pt, or option model=FILE)");
    EXPECT_EQ(test::error_of<ForecasterError>([&] {
                  LearnedForecaster(ForecastTarget::load, ForecasterOptions{{"arg", "no/such.pt"}}, "lstm");
              }),
              "no/such.pt: cannot open the model file");
    const auto junk = test::write_file(test::temp_dir("forecast_learned_junk") / "junk.pt", "hello\n");
    EXPECT_EQ(test::error_of<ForecasterError>([&] {
                  LearnedForecaster(ForecastTarget::load, ForecasterOptions{{"arg", junk.string()}}, "lstm");
              }),
              junk.string() +
                  ":1: not an evtwin forecast model (expected the first line 'evtwin-forecast-model 1'; "
                  "write one with `evtwin forecast train`)");
}

// A trained file whose header was edited: each refused, naming the file and the key, before any
// memory is asked for its windows.
TEST(LearnedForecasterPlugin, RefusesAnEditedHeader) {
    const std::string bytes = test::read_file(trained("lstm").file);
    const std::size_t header_start = bytes.find('\n') + 1, header_end = bytes.find('\n', header_start);
    const nlohmann::json header =
        nlohmann::json::parse(bytes.substr(header_start, header_end - header_start));
    const auto dir = test::temp_dir("forecast_learned_edited");
    const auto refusal = [&](const std::string& name, const auto& edit) {
        nlohmann::json edited = header;
        edit(edited);
        const auto file = test::write_file(
            dir / name, bytes.substr(0, header_start) + edited.dump() + bytes.substr(header_end));
        return test::error_of<ForecasterError>([&] {
            LearnedForecaster(ForecastTarget::load, ForecasterOptions{{"arg", file.string()}}, "lstm");
        });
    };
    const std::string in = (dir / "").string();
    EXPECT_EQ(refusal("format.pt", [](nlohmann::json& h) { h["format"] = 2; }),
              in + "format.pt: header /format: 2, which this evtwin does not read (it reads 1)");
    EXPECT_EQ(refusal("hidden.pt", [](nlohmann::json& h) { h["hyper"].erase("hidden"); }),
              in + "hidden.pt: header /hidden: missing or of the wrong type");
    EXPECT_EQ(
        refusal("lookback.pt", [](nlohmann::json& h) { h["lookback_steps"] = 24 * 367; }),
        in + "lookback.pt: header: expected a history and lookback of at most 366 days and a horizon of at "
             "most 31 days");
    EXPECT_EQ(
        refusal("horizon.pt", [](nlohmann::json& h) { h["horizon_steps"] = 1'000'000'000'000; }),
        in + "horizon.pt: header: expected a history and lookback of at most 366 days and a horizon of at "
             "most 31 days");
    EXPECT_EQ(refusal("scale.pt", [](nlohmann::json& h) { h["scaling"]["channel"] = {0.0}; }),
              in + "scale.pt: header /scaling: scales must be positive");
}

TEST(LearnedForecasterPlugin, LoadsAsASharedObject) {
    const Trained& t = trained("lstm");
    const auto so = test::plugin_dir() / "libevtwin_forecast_lstm.so";
    void* handle = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle, nullptr) << dlerror();
    auto entry = reinterpret_cast<evtwin_forecaster_entry_fn>(dlsym(handle, kForecasterEntrySymbol));
    ASSERT_NE(entry, nullptr);
    const evtwin_forecaster_descriptor* d = entry();
    EXPECT_STREQ(d->name, "lstm");
    EXPECT_STREQ(d->build_fingerprint, EVTWIN_BUILD_FINGERPRINT);
    Forecaster* f = d->create(ForecastTarget::load, {{"arg", t.file.string()}});
    EXPECT_EQ(f->needs().history_steps, kLookback);
    EXPECT_EQ(f->needs().observed_steps_needed(), kHistory);
    EXPECT_EQ(f->needs().step, Duration::hours(1));
    const ForecastSeries s = synthetic_series();
    ForecastInputBuffers buffers;
    ForecastOutput out, direct;
    f->forecast(input_at(s, kTrainUntil, kLookback, kHorizon, buffers), out);
    load(t.file).forecast(input_at(s, kTrainUntil, kLookback, kHorizon, buffers), direct);
    EXPECT_EQ(out.p50, direct.p50);
    d->destroy(f);
    dlclose(handle);
}

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
