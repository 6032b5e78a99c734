#pragma once
// The learned forecasters' model file: a first line naming the format, one line of JSON (the
// header: target, model kind, step, windows, feature names, scaling, hyperparameters, training data
// and train-until date), then the network's weights as a LibTorch archive. The header is what a
// reader checks before it trusts the weights (docs/forecasting.md).
#include "plugins/forecast/learned/features.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <istream>
#include <stdexcept>
#include <string>

namespace evtwin::forecast_learned {

inline const std::string kModelMagic = "evtwin-forecast-model 1";

struct ModelFileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Hyper {
    std::string kind = "lstm";  // lstm | tft
    int hidden = 32;
    int heads = 4;         // tft only
    double dropout = 0.0;  // tft only
};

struct ModelHeader {
    Hyper hyper;
    FeatureLayout layout;
    Scaling scaling;
    nlohmann::json training = nlohmann::json::object();  // data, train_until, seed, epochs, losses
};

struct ModelFile {
    ModelHeader header;
    std::string weights;  // a torch::serialize::OutputArchive's bytes
};

nlohmann::json header_to_json(const ModelHeader& h);
// Throws ModelFileError naming the file and the field.
ModelHeader header_from_json(const nlohmann::json& j, const std::filesystem::path& file);

// Written to a temporary file beside `file`, then renamed over it, so a reader never sees half a model.
void write_model_file(const std::filesystem::path& file, const ModelFile& content);
ModelFile read_model_file(const std::filesystem::path& file);
// The same from a model file's bytes in `in`; `file` names it in the errors.
ModelFile parse_model_file(std::istream& in, const std::filesystem::path& file);

// "" when the file's layout is `want`'s; else what differs, naming the file, e.g.
// "model.pt is a pv model; this asks for demand" or "history of 168 steps in model.pt, 336 asked".
std::string layout_difference(const FeatureLayout& in_file, const FeatureLayout& want,
                              const std::string& file);

}  // namespace evtwin::forecast_learned
