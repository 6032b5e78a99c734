// The learned forecasters as plugins: PV at night, refused models and headers, the shared object.
#include "learned_models.hpp"

#include <gtest/gtest.h>

namespace evtwin::forecast_learned {
namespace {

using namespace fixtures;

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
    EXPECT_EQ(refusal("step.pt", [](nlohmann::json& h) { h["step_min"] = 9'000'000'000'000'000; }),
              in + "step.pt: header /step_min: expected 1 to 1440 minutes");
    // A whole number is asked for where a count is: JSON's reader gives one with too many digits
    // for an integer as a floating-point number, which no integer type holds.
    EXPECT_EQ(refusal("digits.pt", [](nlohmann::json& h) { h["horizon_steps"] = 2.4e28; }),
              in + "digits.pt: header /horizon_steps: missing or of the wrong type");
    EXPECT_EQ(refusal("fraction.pt", [](nlohmann::json& h) { h["hyper"]["hidden"] = 16.5; }),
              in + "fraction.pt: header /hidden: missing or of the wrong type");
    EXPECT_EQ(refusal("negative.pt", [](nlohmann::json& h) { h["lookback_steps"] = -1; }),
              in + "negative.pt: header /lookback_steps: missing or of the wrong type");
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

}  // namespace
}  // namespace evtwin::forecast_learned
