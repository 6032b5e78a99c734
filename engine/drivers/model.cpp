// The learned next-charge model's forward pass and file.
#include "drivers/model.hpp"

#include <evtwin/errors.hpp>
#include "data/json_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

namespace evtwin::drivers {
namespace {

void check_size(const std::vector<double>& v, std::size_t n, const char* field) {
    if (v.size() != n)
        throw DataError(std::string("driver model: field '") + field + "' holds " + std::to_string(v.size()) +
                        " numbers, expected " + std::to_string(n));
}

std::vector<double> numbers(const nlohmann::json& doc, const std::filesystem::path& file, const char* field) {
    const auto it = doc.find(field);
    if (it == doc.end() || !it->is_array())
        throw DataError(file.string() + ": field '" + field + "': expected an array of numbers");
    std::vector<double> out;
    for (const auto& x : *it) {
        if (!x.is_number() || !std::isfinite(x.get<double>()))
            throw DataError(file.string() + ": field '" + field + "': expected finite numbers");
        out.push_back(x.get<double>());
    }
    return out;
}

double number(const nlohmann::json& doc, const std::filesystem::path& file, const char* field) {
    const auto it = doc.find(field);
    if (it == doc.end() || !it->is_number() || !std::isfinite(it->get<double>()))
        throw DataError(file.string() + ": field '" + field + "': expected a finite number");
    return it->get<double>();
}

void check_names(const nlohmann::json& doc, const std::filesystem::path& file, const char* field,
                 const std::vector<std::string>& expected) {
    const auto it = doc.find(field);
    std::vector<std::string> got;
    if (it != doc.end() && it->is_array())
        for (const auto& x : *it) got.push_back(x.is_string() ? x.get<std::string>() : x.dump());
    if (got == expected) return;
    std::string text = file.string() + ": field '" + field + "' lists [";
    for (std::size_t i = 0; i < got.size(); ++i) text.append(i ? ", " : "").append(got[i]);
    text.append("], this build's model reads [");
    for (std::size_t i = 0; i < expected.size(); ++i) text.append(i ? ", " : "").append(expected[i]);
    text.append("]: train the model again");
    throw DataError(text);
}

}  // namespace

DriverModel::DriverModel(DriverModelParams params) : params_(std::move(params)) {
    const auto h = static_cast<std::size_t>(params_.hidden);
    if (params_.hidden < 1 || params_.hidden > kMostHidden)
        throw DataError("driver model: field 'hidden' must be from 1 to " + std::to_string(kMostHidden));
    check_size(params_.mean, kSlotFeatures, "mean");
    check_size(params_.scale, kSlotFeatures, "scale");
    check_size(params_.w1, h * kSlotFeatures, "w1");
    check_size(params_.b1, h, "b1");
    check_size(params_.w2, h, "w2");
    check_size(params_.energy_w, kEnergyFeatures, "energy_w");
    for (const double s : params_.scale)
        if (!(s >= 1e-9)) throw DataError("driver model: field 'scale' must hold numbers >= 1e-9");
    // Bounded parameters keep every sum of the forward pass finite (a probability never NaN); a
    // trained model's are far inside.
    const auto bounded = [](const std::vector<double>& v, const char* field) {
        for (const double x : v)
            if (!(std::abs(x) <= kMostWeight))
                throw DataError(std::string("driver model: field '") + field +
                                "' must hold numbers within ±1e6");
    };
    bounded(params_.mean, "mean");
    bounded(params_.scale, "scale");
    bounded(params_.w1, "w1");
    bounded(params_.b1, "b1");
    bounded(params_.w2, "w2");
    bounded({params_.b2}, "b2");
    bounded(params_.energy_w, "energy_w");
    bounded({params_.energy_b}, "energy_b");
}

double DriverModel::probability(const float* features) const {
    const auto& p = params_;
    double x[kSlotFeatures];
    for (int i = 0; i < kSlotFeatures; ++i) x[i] = (features[i] - p.mean[i]) / p.scale[i];
    double logit = p.b2;
    for (int j = 0; j < p.hidden; ++j) {
        double a = p.b1[j];
        const double* row = &p.w1[static_cast<std::size_t>(j) * kSlotFeatures];
        for (int i = 0; i < kSlotFeatures; ++i) a += row[i] * x[i];
        logit += p.w2[j] * std::max(0.0, a);
    }
    return 1.0 / (1.0 + std::exp(-logit));
}

void DriverModel::predict(const DriverView& view, const PopulationView& population,
                          DriverPrediction& out) const {
    float f[kSlotFeatures];
    for (int s = 0; s < kSlots; ++s) {
        slot_features(view, population, s, f);
        out.probability[s] = probability(f);
    }
    float e[kEnergyFeatures];
    energy_features(view, population, e);
    double kwh = params_.energy_b;
    for (int i = 0; i < kEnergyFeatures; ++i) kwh += params_.energy_w[i] * e[i];
    out.next_kwh = std::max(0.0, kwh * kEnergyScale);
}

namespace {

// The model of a parsed document; `file` names it in messages.
DriverModel model_of(const nlohmann::json& doc, const std::filesystem::path& file) {
    const auto format = doc.is_object() ? doc.find("format") : doc.end();
    if (!doc.is_object() || format == doc.end() || !format->is_string() || *format != kModelFormat)
        throw DataError(file.string() + ": field 'format': expected \"" + kModelFormat +
                        "\" (a driver model)");
    const auto version = doc.find("version");
    if (version == doc.end() || !version->is_number_integer() || *version != kModelVersion)
        throw DataError(file.string() + ": field 'version': expected " + std::to_string(kModelVersion));
    check_names(doc, file, "features", slot_feature_names());
    check_names(doc, file, "energy_features", energy_feature_names());
    DriverModelParams p;
    p.mean = numbers(doc, file, "mean");
    p.scale = numbers(doc, file, "scale");
    const double hidden = number(doc, file, "hidden");
    if (hidden != std::floor(hidden) || hidden < 1 || hidden > kMostHidden)
        throw DataError(file.string() + ": field 'hidden': expected a whole number from 1 to " +
                        std::to_string(kMostHidden));
    p.hidden = static_cast<int>(hidden);
    p.w1 = numbers(doc, file, "w1");
    p.b1 = numbers(doc, file, "b1");
    p.w2 = numbers(doc, file, "w2");
    p.b2 = number(doc, file, "b2");
    p.energy_w = numbers(doc, file, "energy_w");
    p.energy_b = number(doc, file, "energy_b");
    if (const auto t = doc.find("trained"); t != doc.end() && t->is_object())
        for (const auto& [k, v] : t->items())
            p.trained.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
    try {
        return DriverModel(std::move(p));
    } catch (const DataError& e) {
        throw DataError(file.string() + ": " + e.what());
    }
}

}  // namespace

DriverModel read_model(const std::filesystem::path& file) {
    return model_of(read_json_file(file), file);
}

DriverModel parse_model(std::string_view text, const std::string& name) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw DataError(name + ": invalid JSON: " + e.what());
    }
    return model_of(doc, name);
}

void write_model(const std::filesystem::path& file, const DriverModelParams& p) {
    DriverModel check(p);  // refuses inconsistent sizes before anything is written
    nlohmann::ordered_json doc;
    doc["format"] = kModelFormat;
    doc["version"] = kModelVersion;
    doc["features"] = slot_feature_names();
    doc["energy_features"] = energy_feature_names();
    doc["energy_scale_kwh"] = kEnergyScale;
    nlohmann::ordered_json trained = nlohmann::ordered_json::object();
    for (const auto& [k, v] : p.trained) trained[k] = v;
    doc["trained"] = trained;
    doc["mean"] = p.mean;
    doc["scale"] = p.scale;
    doc["hidden"] = p.hidden;
    doc["w1"] = p.w1;
    doc["b1"] = p.b1;
    doc["w2"] = p.w2;
    doc["b2"] = p.b2;
    doc["energy_w"] = p.energy_w;
    doc["energy_b"] = p.energy_b;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw DataError(file.string() + ": cannot open the file for writing");
    out << doc.dump(1) << '\n';
    if (!out) throw DataError(file.string() + ": cannot write the model");
}

}  // namespace evtwin::drivers
