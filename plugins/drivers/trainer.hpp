#pragma once
// Fits the next-charge model (engine/drivers/model.hpp) with LibTorch: the probability network on
// the slot samples by binary cross-entropy, the energy map on the energy samples by absolute error
// (the score is the energy MAE). Only trainer.cpp includes LibTorch.
#include "drivers/evaluation.hpp"
#include "drivers/model.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace evtwin::drivers {

struct TrainOptions {
    int hidden = 32;
    int epochs = 20;
    int batch = 4096;
    double learning_rate = 3e-3;
    std::uint64_t seed = 1;
    int threads = 1;  // same seed and threads: the same model
    const std::atomic<bool>* stop = nullptr;
    std::function<void(int epoch, double loss)> progress;
};

// Throws DataError when the set holds no sample of a session (nothing to learn).
DriverModelParams train_model(const TrainingSet& set, const TrainOptions& options);

}  // namespace evtwin::drivers
