#include "plugins/forecast/learned/learned_forecaster.hpp"

#include <algorithm>

namespace evtwin::forecast_learned {

namespace {

std::string model_path(const ForecasterOptions& options, const std::string& kind) {
    for (const char* key : {"model", "arg"}) {
        auto it = options.find(key);
        if (it != options.end() && !it->second.empty()) return it->second;
    }
    throw ForecasterError(kind + ": which model file? (e.g. --forecast pv=" + kind +
                          ":model.pt, or option model=FILE)");
}

ModelFile read_for(const std::string& file) {
    try {
        return read_model_file(file);
    } catch (const ModelFileError& e) {
        throw ForecasterError(e.what());
    }
}

}  // namespace

LearnedForecaster::LearnedForecaster(ForecastTarget target, const ForecasterOptions& options,
                                     const std::string& kind) {
    for (const auto& [key, value] : options)
        if (key != "arg" && key != "model")
            throw ForecasterError(kind + ": unknown option '" + key +
                                  "' (known: model, or the argument after ':')");
    const std::string file = model_path(options, kind);
    const ModelFile m = read_for(file);
    if (m.header.hyper.kind != kind)
        throw ForecasterError(file + " is a " + m.header.hyper.kind + " model; load it with the forecaster " +
                              m.header.hyper.kind + ", not " + kind);
    init(target, m, file);
}

LearnedForecaster::LearnedForecaster(ForecastTarget target, const ModelFile& file, const std::string& name) {
    init(target, file, name);
}

void LearnedForecaster::init(ForecastTarget target, const ModelFile& m, const std::string& name) {
    if (m.header.layout.target != target)
        throw ForecasterError(name + " is a " + std::string(target_name(m.header.layout.target)) +
                              " model; this asks for " + std::string(target_name(target)));
    const FeatureLayout current = make_layout(target, m.header.layout.step, m.header.layout.history_steps,
                                              m.header.layout.horizon_steps, m.header.layout.lookback_steps);
    if (std::string diff = layout_difference(m.header.layout, current, name); !diff.empty())
        throw ForecasterError(diff);
    header_ = m.header;
    const std::vector<std::string>& future = header_.layout.future;
    envelope_column_ =
        static_cast<std::size_t>(std::find(future.begin(), future.end(), "pv_shape") - future.begin());
    network_ = std::make_unique<Network>(header_, std::nullopt);
    try {
        network_->load_weights(m.weights, name);
    } catch (const ModelFileError& e) {
        throw ForecasterError(e.what());
    }
    const FeatureLayout& l = header_.layout;
    past_.resize(l.history_steps * l.past.size());
    future_.resize(l.horizon_steps * l.future.size());
    quantiles_.resize(l.horizon_steps * l.channels() * 3);
    level_.resize(l.channels());
    history_.resize(l.lookback_steps * l.channels());
    calendar_.resize(l.lookback_steps + l.horizon_steps);
    prices_.resize(l.lookback_steps + l.horizon_steps);
}

// The whole lookback is asked for; the network's own history must have been observed.
ForecastNeeds LearnedForecaster::needs() const {
    return {header_.layout.step, header_.layout.lookback_steps, header_.layout.history_steps};
}

void LearnedForecaster::forecast(const ForecastInput& in, ForecastOutput& out) {
    const FeatureLayout& l = header_.layout;
    const std::size_t h = l.lookback_steps, f = l.horizon_steps, channels = l.channels();
    if (in.target != l.target || in.step != l.step || in.history_steps != h)
        throw ForecasterError("forecast input does not fit the model (" + std::string(target_name(l.target)) +
                              ", step " + std::to_string(l.step.ms() / 60'000) + " min, history " +
                              std::to_string(h) + " steps)");
    const std::size_t asked = in.horizon_steps;
    if (in.calendar.size() != h + asked || in.import_price.size() != h + asked ||
        in.history.size() != h * channels)
        throw ForecasterError("forecast input: history, calendar or prices not of the announced lengths");
    // The model's own horizon: calendar and prices beyond the input's repeat the last day given
    // (the weekday moved on).
    const std::size_t day = l.steps_per_day();
    for (std::size_t i = 0; i < h + f; ++i) {
        std::size_t src = i, days = 0;
        while (src >= h + asked && src >= day) src -= day, ++days;
        calendar_[i] = in.calendar[src];
        calendar_[i].weekday = static_cast<std::uint8_t>((calendar_[i].weekday + days) % 7);
        prices_[i] = in.import_price[src];
    }
    std::copy(in.history.begin(), in.history.end(), history_.begin());
    ForecastInput own = in;
    own.horizon_steps = f;
    own.history = history_;
    own.calendar = calendar_;
    own.import_price = prices_;
    build_features(l, header_.scaling, own, past_.data(), future_.data(), level_.data());
    network_->predict(past_.data(), future_.data(), quantiles_.data());

    out.p10.resize(asked * channels);
    out.p50.resize(asked * channels);
    out.p90.resize(asked * channels);
    const std::size_t period = std::min(day, f);
    for (std::size_t k = 0; k < asked; ++k) {
        const std::size_t src = k < f ? k : f - period + (k - f) % period;
        // PV: an envelope of 0 means nine in ten of its days gave none at this time of day (night).
        const bool dark =
            envelope_column_ < l.future.size() && future_[src * l.future.size() + envelope_column_] == 0.0f;
        for (std::size_t c = 0; c < channels; ++c) {
            const float* q = &quantiles_[(src * channels + c) * 3];
            const double scale = header_.scaling.channel[c] * level_[c];
            // every target is non-negative; clamping keeps the order
            out.p10[c * asked + k] = dark ? 0.0 : std::max(0.0, q[0] * scale);
            out.p50[c * asked + k] = dark ? 0.0 : std::max(0.0, q[1] * scale);
            out.p90[c * asked + k] = dark ? 0.0 : std::max(0.0, q[2] * scale);
        }
    }
}

}  // namespace evtwin::forecast_learned
