#pragma once
// A learned forecaster's network (LSTM encoder-decoder or TFT-style) behind a LibTorch-free
// interface, so the plugins and the command line never include LibTorch. It maps the features of
// one window (features.hpp) to scaled quantiles: horizon_steps × channels × 3 (P10, P50, P90).
#include "plugins/forecast/learned/model_file.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace evtwin::forecast_learned {

class Network {
public:
    // Fresh weights drawn from `seed` (LibTorch's global generator is seeded with it); without a
    // seed the generator is left alone (the weights are about to be loaded).
    Network(const ModelHeader& header, std::optional<std::uint64_t> seed);
    ~Network();
    Network(Network&&) noexcept;
    Network& operator=(Network&&) noexcept;

    std::string save_weights() const;
    // Throws ModelFileError naming `file` when the archive does not fit the network.
    void load_weights(const std::string& bytes, const std::filesystem::path& file);

    // past: history_steps × past features; future: horizon_steps × future features (row-major);
    // out: horizon_steps × channels × 3, ordered P10 <= P50 <= P90. No gradient, no allocation
    // after the first call.
    void predict(const float* past, const float* future, float* out);
    // The same for `count` windows one after the other, as one batch (LibTorch's own LSTM).
    void predict_batch(const float* past, const float* future, std::size_t count, float* out);

    struct Impl;
    Impl& impl() { return *impl_; }

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace evtwin::forecast_learned
