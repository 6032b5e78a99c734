#pragma once
// The forecaster the plugins lstm and tft serve: it loads a model file (option "arg" or "model",
// relative to the working directory), checks that the file is of its kind and for its target, and
// forecasts from the ForecastInput the engine gives it. Torch-free: the network is behind Network.
#include "plugins/forecast/learned/network.hpp"

#include <evtwin/forecaster.hpp>

#include <string>
#include <vector>

namespace evtwin::forecast_learned {

class LearnedForecaster : public Forecaster {
public:
    // Throws ForecasterError naming the file and what is wrong.
    LearnedForecaster(ForecastTarget target, const ForecasterOptions& options, const std::string& kind);
    // The same from a file already read (tests, the trainer).
    LearnedForecaster(ForecastTarget target, const ModelFile& file, const std::string& name);

    ForecastNeeds needs() const override;
    // The model predicts its own horizon; a longer one asked repeats the last day predicted (or the
    // whole horizon when shorter than a day), a shorter one is truncated.
    void forecast(const ForecastInput& in, ForecastOutput& out) override;

    const ModelHeader& header() const { return header_; }

private:
    void init(ForecastTarget target, const ModelFile& file, const std::string& name);

    ModelHeader header_;
    std::unique_ptr<Network> network_;
    std::size_t envelope_column_ = 0;  // PV: the known-future input pv_shape; layout.future.size() if none
    std::vector<float> past_, future_, quantiles_, level_;
    std::vector<double> history_, prices_;
    std::vector<CalendarStep> calendar_;
};

}  // namespace evtwin::forecast_learned
