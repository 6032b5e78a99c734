#include "plugins/forecast/learned/trainer.hpp"

#include "plugins/forecast/learned/dataset.hpp"
#include "plugins/forecast/learned/models.hpp"

#include "plugins/torch_support/threads.hpp"

#include <evtwin/util/progress.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <numeric>
#include <random>

namespace evtwin::forecast_learned {

void set_threads(int threads) {
    torch_support::set_threads(threads);
}

namespace {

struct Tensors {
    torch::Tensor past, future, target;  // [N, H, P], [N, F, K], [N, F, C]
};

Tensors to_tensors(Windows& w, const FeatureLayout& l) {
    const auto n = static_cast<std::int64_t>(w.count);
    const auto h = static_cast<std::int64_t>(l.history_steps), f = static_cast<std::int64_t>(l.horizon_steps);
    return {torch::from_blob(w.past.data(), {n, h, static_cast<std::int64_t>(l.past.size())}),
            torch::from_blob(w.future.data(), {n, f, static_cast<std::int64_t>(l.future.size())}),
            torch::from_blob(w.target.data(), {n, f, static_cast<std::int64_t>(l.channels())})};
}

double evaluate(ForecastNet& net, const Tensors& t) {
    torch::NoGradGuard no_grad;
    net.eval();
    const std::int64_t n = t.past.size(0), chunk = 256;
    double sum = 0.0;
    for (std::int64_t i = 0; i < n; i += chunk) {
        const std::int64_t len = std::min(chunk, n - i);
        auto q = net.forward(t.past.narrow(0, i, len), t.future.narrow(0, i, len));
        sum += pinball_loss(q, t.target.narrow(0, i, len)).item<double>() * static_cast<double>(len);
    }
    return sum / static_cast<double>(n);
}

std::string clock_text(double s) {
    char buf[32];
    const long t = static_cast<long>(s + 0.5);
    if (t >= 60)
        std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
    else
        std::snprintf(buf, sizeof buf, "%lds", t);
    return buf;
}

// The model file's header: the fine-tuned model's own (its scaling too: the network learned on it),
// checked against this request, or a new one whose scaling is fitted on steps [0, end).
ModelHeader model_header(const ForecastSeries& series, const TrainRequest& rq,
                         const std::optional<ModelFile>& init, std::size_t end) {
    const FeatureLayout want =
        make_layout(series.target, series.step, rq.history_steps, rq.horizon_steps, rq.lookback_steps);
    if (init) {
        if (std::string diff = layout_difference(init->header.layout, want, rq.init->string()); !diff.empty())
            throw ModelFileError("--init: " + diff);
        if (init->header.hyper.kind != rq.kind)
            throw ModelFileError("--init: " + rq.init->string() + " is a " + init->header.hyper.kind +
                                 " model; this asks for " + rq.kind);
        return init->header;
    }
    if (rq.hidden < 1 || rq.heads < 1 || rq.hidden % rq.heads != 0)
        throw std::invalid_argument("--hidden must be a positive multiple of the heads");
    ModelHeader header;
    header.hyper.kind = rq.kind;
    header.hyper.hidden = rq.hidden;
    header.hyper.heads = rq.heads;
    header.hyper.dropout = rq.dropout;
    header.layout = want;
    header.scaling = fit_scaling(series, end);
    return header;
}

// How the model was trained, for its file's header.
nlohmann::json training_record(const ForecastSeries& series, const TrainRequest& rq,
                               const std::optional<ModelFile>& init, std::size_t end,
                               std::size_t validation_start, double learning_rate) {
    nlohmann::json training = {
        {"data", series.data},
        {"train_until",
         rq.train_until_text.empty() ? nlohmann::json(nullptr) : nlohmann::json(rq.train_until_text)},
        {"train_steps", end},
        {"validation_from_step", validation_start},
        {"seed", rq.seed},
        {"threads", rq.threads},
        {"batch", rq.batch},
        {"learning_rate", learning_rate},
        {"init", rq.init ? nlohmann::json(rq.init->string()) : nlohmann::json(nullptr)}};
    if (init) training["pretrained"] = init->header.training;
    return training;
}

struct Epoch {
    double mean_loss = 0.0;
    bool interrupted = false;
};

// One pass over up to max_batches batches of the windows in a fresh random order.
Epoch train_epoch(ForecastNet& net, torch::optim::Adam& optimiser, const Tensors& train,
                  std::vector<std::int64_t>& order, std::mt19937_64& rng, const TrainRequest& rq, int epoch,
                  cli::ProgressBar& bar, const std::atomic<bool>& stop) {
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    const std::size_t batches = std::min(rq.max_batches, (order.size() + rq.batch - 1) / rq.batch);
    net.train();
    double loss_sum = 0.0;
    std::size_t done = 0;
    Epoch result;
    for (std::size_t b = 0; b < batches; ++b) {
        const std::size_t from = b * rq.batch, len = std::min(rq.batch, order.size() - from);
        auto idx = torch::from_blob(order.data() + from, {static_cast<std::int64_t>(len)}, torch::kLong);
        optimiser.zero_grad();
        auto q = net.forward(train.past.index_select(0, idx), train.future.index_select(0, idx));
        auto loss = pinball_loss(q, train.target.index_select(0, idx));
        loss.backward();
        torch::nn::utils::clip_grad_norm_(net.parameters(), 1.0);
        optimiser.step();
        loss_sum += loss.item<double>();
        ++done;
        if (rq.progress) {
            const double fraction =
                (epoch - 1 + static_cast<double>(b + 1) / static_cast<double>(batches)) / rq.epochs;
            bar.update(fraction, "epoch " + std::to_string(epoch) + "/" + std::to_string(rq.epochs));
        }
        if (stop.load()) {
            result.interrupted = true;
            break;
        }
    }
    result.mean_loss = done ? loss_sum / static_cast<double>(done) : 0.0;
    return result;
}

}  // namespace

TrainResult train_model(const ForecastSeries& series, const TrainRequest& rq, const std::atomic<bool>& stop) {
    using clock = std::chrono::steady_clock;
    const auto started = clock::now();
    if (rq.kind != "lstm" && rq.kind != "tft") throw std::invalid_argument("--model: expected lstm or tft");
    if (rq.epochs < 1 || rq.batch < 1 || rq.max_batches < 1)
        throw std::invalid_argument("epochs and batches must be positive");
    set_threads(rq.threads);

    const std::size_t end = rq.train_until ? std::min(rq.train_until, series.steps) : series.steps;
    std::optional<ModelFile> init;
    if (rq.init) init = read_model_file(*rq.init);
    const ModelHeader header = model_header(series, rq, init, end);
    const FeatureLayout& layout = header.layout;
    const Split split = split_origins(series, end, layout, rq.validation_fraction, rq.origin_every);
    Windows train_w = make_windows(series, layout, header.scaling, split.train);
    Windows val_w = make_windows(series, layout, header.scaling, split.validation);
    const Tensors train_t = to_tensors(train_w, layout), val_t = to_tensors(val_w, layout);

    const double learning_rate = rq.learning_rate > 0.0 ? rq.learning_rate : init ? 1e-4 : 1e-3;
    Network network(header, rq.seed);
    if (init) network.load_weights(init->weights, *rq.init);
    ForecastNet& net = *network.impl().net;
    torch::optim::Adam optimiser(net.parameters(), torch::optim::AdamOptions(learning_rate));
    std::mt19937_64 rng(rq.seed);

    TrainResult result;
    result.train_windows = train_w.count;
    result.validation_windows = val_w.count;
    const nlohmann::json training =
        training_record(series, rq, init, end, split.validation_start, learning_rate);
    auto write_best = [&](int epoch, double val) {
        ModelFile m;
        m.header = header;
        m.header.training = training;
        m.header.training["epoch"] = epoch;
        m.header.training["validation_pinball"] = val;
        m.weights = network.save_weights();
        write_model_file(rq.out, m);
    };

    result.first_validation = evaluate(net, val_t);
    result.best_validation = result.first_validation;
    write_best(0, result.first_validation);
    if (rq.progress)
        std::fprintf(stderr,
                     "%s %s: %zu training windows, %zu validation; validation loss %.4f before training\n",
                     rq.kind.c_str(), std::string(target_name(series.target)).c_str(), train_w.count,
                     val_w.count, result.first_validation);

    std::vector<std::int64_t> order(train_w.count);
    cli::ProgressBar bar("train " + rq.kind);
    int since_best = 0;
    for (int epoch = 1; epoch <= rq.epochs && !result.interrupted; ++epoch) {
        const Epoch trained = train_epoch(net, optimiser, train_t, order, rng, rq, epoch, bar, stop);
        result.interrupted = trained.interrupted;
        const double val = evaluate(net, val_t);
        result.epochs = epoch;
        const bool better = val < result.best_validation;
        if (better) {
            result.best_validation = val;
            result.best_epoch = epoch;
            since_best = 0;
            write_best(epoch, val);
        } else {
            ++since_best;
        }
        if (rq.progress) {
            bar.finish();
            const double elapsed = std::chrono::duration<double>(clock::now() - started).count();
            const double eta = elapsed / epoch * (rq.epochs - epoch);
            std::fprintf(stderr, "epoch %3d/%d  train %.4f  validation %.4f%s  %s  ETA %s\n", epoch,
                         rq.epochs, trained.mean_loss, val, better ? " (best)" : "       ",
                         clock_text(elapsed).c_str(), clock_text(eta).c_str());
        }
        if (since_best >= rq.patience) {
            if (rq.progress)
                std::fprintf(stderr, "early stop: no better validation loss in %d epochs\n", rq.patience);
            break;
        }
    }
    bar.finish();
    result.wall_s = std::chrono::duration<double>(clock::now() - started).count();
    return result;
}

}  // namespace evtwin::forecast_learned
