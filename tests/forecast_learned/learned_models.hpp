#pragma once
// What the learned forecasters' tests share: synthetic series, training requests, the models trained
// once per build of the test program, and held-out scores.
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

namespace evtwin::forecast_learned::fixtures {

inline constexpr std::size_t kDay = 24, kWeek = 7 * kDay;
inline constexpr std::size_t kHistory = 48, kHorizon = 24, kLookback = 2 * kWeek;
inline constexpr std::size_t kTrainUntil = 6 * kWeek, kSteps = 8 * kWeek;

// Hourly base load from Monday 2024-01-01 00:00 UTC: a daily bump, lower at weekends, plus noise.
inline ForecastSeries synthetic_series(ForecastTarget target = ForecastTarget::load) {
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

inline TrainRequest small_request(const std::string& kind, const std::filesystem::path& out) {
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
inline TrainRequest quick_request(const std::string& kind, const std::filesystem::path& out) {
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
inline std::filesystem::path model_cache() {
    const auto program = std::filesystem::read_symlink("/proc/self/exe");
    const auto built = std::filesystem::last_write_time(program).time_since_epoch().count();
    return std::filesystem::path(EVTWIN_TEST_BINARY_DIR) / "test_cache" /
           ("forecast_learned-" + std::to_string(built));
}

inline Trained train_and_keep(const std::string& kind, const std::filesystem::path& dir) {
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

inline const Trained& trained(const std::string& kind) {
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
inline Scores held_out_scores(LearnedForecaster& f, const ForecastSeries& s) {
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

inline LearnedForecaster load(const std::filesystem::path& file,
                              ForecastTarget target = ForecastTarget::load) {
    return LearnedForecaster(target, read_model_file(file), file.string());
}

}  // namespace evtwin::forecast_learned::fixtures
