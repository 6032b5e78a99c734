// The next-charge model's training on LibTorch (CPU), deterministic for a seed and thread count.
#include "plugins/drivers/trainer.hpp"

#include <evtwin/errors.hpp>
#include "plugins/torch_support/threads.hpp"

#include <torch/torch.h>

#include <cmath>

namespace evtwin::drivers {
namespace {

std::vector<double> to_vector(const torch::Tensor& t) {
    const torch::Tensor c = t.contiguous().to(torch::kDouble);
    return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

}  // namespace

DriverModelParams train_model(const TrainingSet& set, const TrainOptions& options) {
    const auto rows = static_cast<std::int64_t>(set.rows());
    const auto energy_rows = static_cast<std::int64_t>(set.energy_rows());
    double positives = 0.0;
    for (const float y : set.y) positives += y;
    if (rows == 0 || positives == 0.0 || energy_rows == 0)
        throw DataError("no driver charged in a week before --train-until: nothing to learn from");
    torch_support::set_threads(options.threads);
    torch::manual_seed(options.seed);

    // The slot features, standardised by their mean and standard deviation over the samples.
    torch::Tensor x =
        torch::from_blob(const_cast<float*>(set.x.data()), {rows, kSlotFeatures}, torch::kFloat).clone();
    torch::Tensor y = torch::from_blob(const_cast<float*>(set.y.data()), {rows, 1}, torch::kFloat).clone();
    const torch::Tensor x64 = x.to(torch::kDouble);
    const torch::Tensor mean = x64.mean(0);
    torch::Tensor scale = x64.std(0, /*unbiased=*/false);
    scale = torch::where(scale > 1e-6, scale, torch::ones_like(scale));  // a constant feature stays as it is
    x = ((x64 - mean) / scale).to(torch::kFloat);

    torch::nn::Linear layer1(kSlotFeatures, options.hidden), layer2(options.hidden, 1);
    std::vector<torch::Tensor> parameters = layer1->parameters();
    for (const auto& p : layer2->parameters()) parameters.push_back(p);
    torch::optim::Adam adam(parameters, torch::optim::AdamOptions(options.learning_rate));
    const torch::Generator generator = at::detail::createCPUGenerator(options.seed);
    for (int epoch = 0; epoch < options.epochs; ++epoch) {
        const torch::Tensor order = torch::randperm(rows, generator, torch::kLong);
        double loss_sum = 0.0;
        std::int64_t batches = 0;
        for (std::int64_t at = 0; at < rows; at += options.batch) {
            if (options.stop && options.stop->load()) break;
            const torch::Tensor index = order.slice(0, at, std::min(rows, at + options.batch));
            const torch::Tensor logit = layer2(torch::relu(layer1(x.index_select(0, index))));
            const torch::Tensor loss =
                torch::binary_cross_entropy_with_logits(logit, y.index_select(0, index));
            adam.zero_grad();
            loss.backward();
            adam.step();
            loss_sum += loss.item<double>();
            ++batches;
        }
        if (options.progress) options.progress(epoch + 1, batches ? loss_sum / batches : 0.0);
        if (options.stop && options.stop->load()) break;
    }

    // The next session's energy: a linear map of the energy features, by absolute error, from the
    // driver's mean (weight 1 on mean_kwh) so that it starts as the frequency baseline's answer.
    const torch::Tensor ex =
        torch::from_blob(const_cast<float*>(set.ex.data()), {energy_rows, kEnergyFeatures}, torch::kFloat)
            .clone();
    const torch::Tensor ey =
        torch::from_blob(const_cast<float*>(set.ey.data()), {energy_rows, 1}, torch::kFloat).clone();
    torch::nn::Linear energy(kEnergyFeatures, 1);
    {
        torch::NoGradGuard no_grad;
        energy->weight.zero_();
        energy->weight[0][0] = 1.0;
        energy->bias.zero_();
    }
    torch::optim::Adam energy_adam(energy->parameters(), torch::optim::AdamOptions(1e-2));
    for (int step = 0; step < 400; ++step) {
        const torch::Tensor loss = torch::l1_loss(energy(ex), ey);
        energy_adam.zero_grad();
        loss.backward();
        energy_adam.step();
    }

    DriverModelParams params;
    params.mean = to_vector(mean);
    params.scale = to_vector(scale);
    params.hidden = options.hidden;
    params.w1 = to_vector(layer1->weight);
    params.b1 = to_vector(layer1->bias);
    params.w2 = to_vector(layer2->weight);
    params.b2 = to_vector(layer2->bias)[0];
    params.energy_w = to_vector(energy->weight);
    params.energy_b = to_vector(energy->bias)[0];
    params.trained = {{"seed", std::to_string(options.seed)},
                      {"hidden", std::to_string(options.hidden)},
                      {"epochs", std::to_string(options.epochs)},
                      {"samples", std::to_string(rows)},
                      {"sessions_in_samples", std::to_string(static_cast<long long>(positives))},
                      {"origins", std::to_string(set.origins)}};
    return params;
}

}  // namespace evtwin::drivers
