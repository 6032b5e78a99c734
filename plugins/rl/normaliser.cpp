#include "plugins/rl/normaliser.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace evtwin::rl {

void Normaliser::update(std::span<const float> rows) {
    const std::size_t d = size();
    if (d == 0 || rows.size() % d != 0)
        throw std::invalid_argument("Normaliser::update: rows of the wrong size");
    const double n = static_cast<double>(rows.size() / d);
    if (n == 0) return;
    for (std::size_t k = 0; k < d; ++k) {
        double sum = 0.0;
        for (std::size_t r = k; r < rows.size(); r += d) sum += rows[r];
        const double batch_mean = sum / n;
        double sq = 0.0;
        for (std::size_t r = k; r < rows.size(); r += d)
            sq += (rows[r] - batch_mean) * (rows[r] - batch_mean);
        const double batch_var = sq / n;
        const double total = count_ + n;
        const double delta = batch_mean - mean_[k];
        const double m2 =
            (count_ > 0 ? var_[k] * count_ : 0.0) + batch_var * n + delta * delta * count_ * n / total;
        mean_[k] += delta * n / total;
        var_[k] = m2 / total;
    }
    count_ += n;
}

void Normaliser::apply(std::span<const float> in, std::span<float> out) const {
    const std::size_t d = size();
    if (in.size() != out.size() || d == 0 || in.size() % d != 0)
        throw std::invalid_argument("Normaliser::apply: rows of the wrong size");
    for (std::size_t i = 0; i < in.size(); ++i) {
        const std::size_t k = i % d;
        const double z = (in[i] - mean_[k]) / std::sqrt(var_[k] + 1e-8);
        out[i] = static_cast<float>(std::clamp(z, -kClip, kClip));
    }
}

nlohmann::json Normaliser::to_json() const {
    return {{"count", count_}, {"mean", mean_}, {"var", var_}};
}

Normaliser Normaliser::from_json(const nlohmann::json& j, std::size_t size) {
    Normaliser n(size);
    try {
        n.count_ = j.at("count").get<double>();
        n.mean_ = j.at("mean").get<std::vector<double>>();
        n.var_ = j.at("var").get<std::vector<double>>();
    } catch (const nlohmann::json::exception& e) {
        throw std::invalid_argument(std::string("normaliser: expected {count, mean[], var[]} (") + e.what() +
                                    ")");
    }
    if (n.mean_.size() != size || n.var_.size() != size)
        throw std::invalid_argument("normaliser: " + std::to_string(n.mean_.size()) + " features, expected " +
                                    std::to_string(size));
    for (double v : n.var_)
        if (!(v >= 0.0)) throw std::invalid_argument("normaliser: a variance is negative or not a number");
    if (!(n.count_ >= 0.0)) throw std::invalid_argument("normaliser: count is negative");
    return n;
}

}  // namespace evtwin::rl
