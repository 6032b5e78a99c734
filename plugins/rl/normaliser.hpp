#pragma once
// A running mean and variance per observation feature (parallel Welford), so a network sees inputs
// of unit scale whatever the site; its state is stored in the policy file and restored exactly.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <span>
#include <vector>

namespace evtwin::rl {

class Normaliser {
public:
    explicit Normaliser(std::size_t size = 0) : mean_(size, 0.0), var_(size, 1.0) {}

    std::size_t size() const { return mean_.size(); }
    double count() const { return count_; }
    // Adds `rows` rows of size() values (row-major).
    void update(std::span<const float> rows);
    // (x - mean) / sqrt(var + eps), clipped to [-clip, clip]; `in` and `out` may alias.
    void apply(std::span<const float> in, std::span<float> out) const;

    nlohmann::json to_json() const;
    // Throws std::invalid_argument naming what is wrong (sizes, types).
    static Normaliser from_json(const nlohmann::json& j, std::size_t size);

    static constexpr double kClip = 5.0;

private:
    double count_ = 0.0;
    std::vector<double> mean_;
    std::vector<double> var_;
};

}  // namespace evtwin::rl
