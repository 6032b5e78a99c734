// evtwin-forecast: the trainer `evtwin forecast train` execs (it links LibTorch; evtwin does not).
#include "plugins/forecast/learned/trainer.hpp"

#include <evtwin/errors.hpp>
#include <evtwin/util/args.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace {

constexpr const char* kHelp =
    R"(usage: evtwin forecast train --target pv|demand|load --model lstm|tft --data SPEC --out model.pt [options]

Trains a learned forecaster on the target's history read from SPEC (docs/forecasting.md, section
Data) and writes the model with the best validation loss to --out (after every improvement, so an
interrupted run keeps it). Use it with `--forecast pv=lstm:model.pt`.

options:
  --init FILE          fine-tune a trained model (its target, step, windows and features must match)
  --train-until DATE   train on the data before DATE (the data's time zone, as eval's --from;
                       e.g. 2019-10-01); default: all of it.
                       The last 15 % of that span is the validation span (early stopping)
  --epochs N           default 30 (training stops earlier after --patience epochs without progress)
  --patience N         default 5
  --seed N             default 1; same seed and --threads: the same model
  --history-h H        hours of history the network reads step by step; default 168
  --lookback-h H       hours of history a forecast is given, for the same time of earlier days and
                       weeks (the network's history must have been observed, the rest may not);
                       default 672 (four weeks), at least --history-h
  --horizon-h H        hours ahead it predicts; default 24
  --step-min M         the step in minutes; default 60
  --hidden N           width of the network; default 32
  --learning-rate R    Adam's step size; default 1e-3, and 1e-4 with --init (fine-tuning moves a
                       trained network a little)
  --threads N          LibTorch threads; default 1
  --quiet              no progress lines
Ctrl-C stops after the current batch and keeps the best model written so far (exit 130).
exit codes: 0 ok, 1 failure, 2 usage, 3 bad data or model file, 130 interrupted
)";

std::atomic<bool> g_stop{false};
extern "C" void on_sigint(int) {
    if (g_stop.exchange(true)) std::_Exit(130);
}

long parse_int(const std::optional<std::string>& v, const std::string& name, long fallback, long low,
               long high) {
    if (!v) return fallback;
    std::size_t used = 0;
    long n = 0;
    try {
        n = std::stol(*v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != v->size() || n < low || n > high)
        throw evtwin::cli::UsageError(name + " expects an integer from " + std::to_string(low) + " to " +
                                      std::to_string(high) + ", got '" + *v + "'");
    return n;
}

evtwin::ForecastTarget parse_target(const std::optional<std::string>& v) {
    if (v == "pv") return evtwin::ForecastTarget::pv;
    if (v == "load") return evtwin::ForecastTarget::load;
    if (v == "demand") return evtwin::ForecastTarget::demand;
    throw evtwin::cli::UsageError("--target pv, --target demand or --target load is required" +
                                  (v ? ", got '" + *v + "'" : std::string()));
}

int train(const std::vector<std::string>& argv_list) {
    using namespace evtwin;
    namespace fl = evtwin::forecast_learned;
    cli::ArgSpec spec;
    spec.values = {"--target", "--model",   "--data",      "--out",          "--init",       "--train-until",
                   "--epochs", "--seed",    "--history-h", "--horizon-h",    "--lookback-h", "--step-min",
                   "--hidden", "--threads", "--patience",  "--learning-rate"};
    spec.flags = {"--quiet", "--help"};
    const cli::Args args = cli::parse_args(argv_list, spec);
    if (args.flag("--help")) {
        std::fputs(kHelp, stdout);
        return 0;
    }
    if (!args.positionals.empty()) throw cli::UsageError("unexpected argument '" + args.positionals[0] + "'");
    const ForecastTarget target = parse_target(args.value("--target"));
    fl::TrainRequest rq;
    rq.kind = args.value("--model").value_or("");
    if (rq.kind != "lstm" && rq.kind != "tft")
        throw cli::UsageError("--model lstm or --model tft is required" +
                              (rq.kind.empty() ? std::string() : ", got '" + rq.kind + "'"));
    const auto data = args.value("--data");
    if (!data) throw cli::UsageError("--data SPEC is required");
    if (!args.value("--out")) throw cli::UsageError("--out FILE is required");
    rq.out = *args.value("--out");
    if (auto i = args.value("--init")) rq.init = *i;
    rq.epochs = static_cast<int>(parse_int(args.value("--epochs"), "--epochs", 30, 1, 100000));
    rq.patience = static_cast<int>(parse_int(args.value("--patience"), "--patience", 5, 1, 100000));
    rq.seed = static_cast<std::uint64_t>(parse_int(args.value("--seed"), "--seed", 1, 0, 1L << 62));
    rq.threads = static_cast<int>(parse_int(args.value("--threads"), "--threads", 1, 1, 256));
    rq.hidden = static_cast<int>(parse_int(args.value("--hidden"), "--hidden", 32, 4, 512));
    if (auto lr = args.value("--learning-rate")) {
        char* end = nullptr;
        rq.learning_rate = std::strtod(lr->c_str(), &end);
        if (end == lr->c_str() || *end != '\0' || !(rq.learning_rate > 0.0) || rq.learning_rate > 1.0)
            throw cli::UsageError("--learning-rate expects a number in (0, 1], got '" + *lr + "'");
    }
    rq.progress = !args.flag("--quiet");
    const long step_min = parse_int(args.value("--step-min"), "--step-min", 60, 1, 1440);
    if (1440 % step_min != 0) throw cli::UsageError("--step-min must divide a day (e.g. 15, 30, 60)");
    const Duration step = Duration::minutes(step_min);
    const long history_h = parse_int(args.value("--history-h"), "--history-h", 168, 1, 24 * 366);
    const long horizon_h = parse_int(args.value("--horizon-h"), "--horizon-h", 24, 1, 24 * 31);
    const long lookback_h =
        parse_int(args.value("--lookback-h"), "--lookback-h", std::max(672L, history_h), history_h, 24 * 366);
    if (history_h * 60 % step_min != 0 || horizon_h * 60 % step_min != 0 || lookback_h * 60 % step_min != 0)
        throw cli::UsageError("--history-h, --horizon-h and --lookback-h must be whole numbers of steps");
    rq.history_steps = static_cast<std::size_t>(history_h * 60 / step_min);
    rq.horizon_steps = static_cast<std::size_t>(horizon_h * 60 / step_min);
    rq.lookback_steps = static_cast<std::size_t>(lookback_h * 60 / step_min);

    const ForecastSeries series = read_forecast_series(*data, target, step);
    if (auto until = args.value("--train-until")) {
        Time t;
        try {
            t = series.parse_local(*until);
        } catch (const std::invalid_argument& e) {
            throw cli::UsageError(std::string("--train-until: ") + e.what());
        }
        if (t <= series.start)
            throw DataError(*data + ": --train-until " + *until + " is before the data begins");
        rq.train_until = static_cast<std::size_t>((t - series.start) / step);
        rq.train_until_text = *until;
    }
    std::signal(SIGINT, on_sigint);
    const fl::TrainResult r = fl::train_model(series, rq, g_stop);
    std::printf(
        "trained %s for %s: %d epochs (best %d) in %.1f s, validation pinball loss %.4f (%.4f untrained)%s "
        "-> %s\n",
        rq.kind.c_str(), std::string(target_name(target)).c_str(), r.epochs, r.best_epoch, r.wall_s,
        r.best_validation, r.first_validation, r.interrupted ? " (interrupted)" : "", rq.out.c_str());
    return r.interrupted ? 130 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::fputs(kHelp, args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    if (args[0] != "train") {
        std::fprintf(stderr, "evtwin forecast: unknown verb '%s' (expected train)\n", args[0].c_str());
        return 2;
    }
    args.erase(args.begin());
    try {
        return train(args);
    } catch (const evtwin::cli::UsageError& e) {
        std::fprintf(stderr, "evtwin forecast train: %s (see evtwin forecast train --help)\n", e.what());
        return 2;
    } catch (const evtwin::DataError& e) {
        std::fprintf(stderr, "evtwin forecast train: %s\n", e.what());
        return 3;
    } catch (const evtwin::forecast_learned::ModelFileError& e) {
        std::fprintf(stderr, "evtwin forecast train: %s\n", e.what());
        return 3;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "evtwin forecast train: %s\n", e.what());
        return 1;
    }
}
