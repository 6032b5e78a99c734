#pragma once
// The learned next-charge model as plain C++: a small network over the slot features giving the
// probability of a session per slot, and a linear map of the energy features giving the next
// session's energy. The trainer (plugins/drivers, LibTorch) fits it and writes its file; everything
// else (evtwin drivers eval|predict, evtwin serve) reads the file and runs it here, without LibTorch.
#include "drivers/predictor.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin::drivers {

inline constexpr const char* kModelFormat = "evtwin-drivers-model";
inline constexpr int kModelVersion = 1;

struct DriverModelParams {
    // Slot features are standardised by the training samples' mean and standard deviation.
    std::vector<double> mean, scale;  // kSlotFeatures each
    int hidden = 0;
    std::vector<double> w1;  // hidden x kSlotFeatures, row-major
    std::vector<double> b1;  // hidden
    std::vector<double> w2;  // hidden
    double b2 = 0.0;
    std::vector<double> energy_w;  // kEnergyFeatures
    double energy_b = 0.0;
    // How it was trained, kept in the file for the record (source, train_until, seed, samples, ...).
    std::vector<std::pair<std::string, std::string>> trained;
};

class DriverModel final : public Predictor {
public:
    explicit DriverModel(DriverModelParams params);  // throws DataError when the sizes disagree
    std::string name() const override { return "model"; }
    void predict(const DriverView& view, const PopulationView& population,
                 DriverPrediction& out) const override;
    // The probability of the network for one feature vector (kSlotFeatures values).
    double probability(const float* features) const;
    const DriverModelParams& params() const { return params_; }

private:
    DriverModelParams params_;
};

// The model file is JSON: format, version, feature lists, parameters. Reading refuses another
// format or version, and a feature list other than this build's, naming the file and the field.
DriverModel read_model(const std::filesystem::path& file);
// The same from the file's text (`name` names it in messages).
DriverModel parse_model(std::string_view text, const std::string& name);
// The widest network a file may hold: far above any the trainer makes, and a bound on the work of
// a prediction.
inline constexpr int kMostHidden = 4096;
inline constexpr double kMostWeight = 1e6;  // |any parameter|
void write_model(const std::filesystem::path& file, const DriverModelParams& params);

}  // namespace evtwin::drivers
