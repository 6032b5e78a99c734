#pragma once
// Training a learned forecaster (what `evtwin forecast train` runs): windows from a series, Adam on
// the pinball loss, early stopping on a validation span, the best model written atomically to the
// output after every improvement. Deterministic for a seed and a thread count.
#include "forecast/series.hpp"
#include "plugins/forecast/learned/model_file.hpp"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>

namespace evtwin::forecast_learned {

struct TrainRequest {
    std::string kind = "lstm";  // lstm | tft
    std::filesystem::path out;
    std::optional<std::filesystem::path> init;  // fine-tune from this model (same layout)
    std::size_t train_until = 0;                // steps [0, train_until) of the series; 0: all
    std::string train_until_text;               // as given, for the header
    std::size_t history_steps = 168, horizon_steps = 24;
    std::size_t lookback_steps = 672;  // the history a forecast is given, for the same-time features
    int epochs = 30;
    int patience = 5;
    std::size_t batch = 64;
    std::size_t max_batches = 100;  // per epoch (a random subset of the windows when there are more)
    // Adam's step size; <= 0: 1e-3, and 1e-4 with `init` (fine-tuning moves a trained network a little).
    double learning_rate = 0.0;
    int hidden = 32;
    int heads = 4;
    double dropout = 0.0;
    double validation_fraction = 0.15;
    std::size_t origin_every = 1;  // steps between window origins
    std::uint64_t seed = 1;
    int threads = 1;
    bool progress = true;  // lines on stderr per epoch (and a bar within one on a terminal)
};

struct TrainResult {
    int epochs = 0;
    int best_epoch = 0;
    double best_validation = 0.0;   // mean pinball loss, scaled units
    double first_validation = 0.0;  // before any update
    std::size_t train_windows = 0, validation_windows = 0;
    double wall_s = 0.0;
    bool interrupted = false;
};

// Throws DataError (span too short), ModelFileError (--init of another layout; the message names
// the difference) or std::invalid_argument (a bad setting).
TrainResult train_model(const ForecastSeries& series, const TrainRequest& rq, const std::atomic<bool>& stop);

// LibTorch's and OpenBLAS's threads (one by default: the sums, and so a seed's model, depend on it).
void set_threads(int threads);

}  // namespace evtwin::forecast_learned
