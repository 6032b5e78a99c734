// evtwin-drivers: the trainer `evtwin drivers train` execs (it links LibTorch; evtwin does not).
#include "plugins/drivers/trainer.hpp"

#include <evtwin/errors.hpp>
#include <evtwin/util/args.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace {

constexpr const char* kHelp =
    R"(usage: evtwin drivers train --history FILE --train-until DATE --out MODEL.json [options]

Fits the next-charge model (docs/drivers.md) on the weeks of the history that end by --train-until:
at each local Monday 00:00, every driver with a session before it, the 168 hour slots of the week
after it. The model file is read by `evtwin drivers eval|predict` and `evtwin serve --drivers-model`.

options:
  --history FILE, --format F, --timezone ZONE, --run N   the sessions, as for `evtwin drivers eval`
  --train-until DATE   a local date; nothing from it on is read
  --out FILE           the model file (JSON)
  --hidden N           hidden units of the network; default 32
  --epochs N           default 20
  --learning-rate R    Adam's step size; default 0.003
  --seed N             default 1; same data, seed and --threads: the same model file
  --threads N          LibTorch threads; default 1
  --report-from DATE   then score the model and the baselines from DATE to the data's end, as
                       `evtwin drivers eval --from DATE` does (without writing a second command)
  --quiet              no progress lines
exit codes: 0 ok, 1 failure, 2 usage, 3 bad data, 130 interrupted
)";

std::atomic<bool> g_drivers_stop{false};
extern "C" void on_drivers_sigint(int) {
    if (g_drivers_stop.exchange(true)) std::_Exit(130);
}

long whole(const std::optional<std::string>& v, const std::string& name, long fallback, long low, long high) {
    if (!v) return fallback;
    std::size_t used = 0;
    long n = 0;
    try {
        n = std::stol(*v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != v->size() || n < low || n > high)
        throw evtwin::cli::UsageError(name + " expects a whole number from " + std::to_string(low) + " to " +
                                      std::to_string(high) + ", got '" + *v + "'");
    return n;
}

int train(const std::vector<std::string>& argv) {
    using namespace evtwin;
    const cli::Args args = cli::parse_args(
        argv, {{"--history", "--format", "--timezone", "--run", "--train-until", "--out", "--hidden",
                "--epochs", "--learning-rate", "--seed", "--threads", "--report-from"},
               {"--quiet"},
               {}});
    drivers::HistorySource source;
    if (!args.value("--history")) throw cli::UsageError("--history FILE is required");
    source.file = *args.value("--history");
    if (const auto f = args.value("--format")) {
        try {
            source.format = drivers::parse_history_format(*f);
        } catch (const std::invalid_argument& e) {
            throw cli::UsageError(std::string("--format: ") + e.what());
        }
    }
    source.timezone = args.value("--timezone").value_or("");
    if (args.value("--run")) source.run = whole(args.value("--run"), "--run", 1, 1, 1L << 40);
    const auto until_text = args.value("--train-until");
    if (!until_text) throw cli::UsageError("--train-until DATE is required");
    const auto out = args.value("--out");
    if (!out) throw cli::UsageError("--out FILE is required");
    drivers::LocalMs until = 0;
    try {
        until = drivers::parse_local(*until_text);
    } catch (const std::invalid_argument&) {
        throw cli::UsageError("--train-until expects a local date (2021-06-01), got '" + *until_text + "'");
    }
    drivers::TrainOptions options;
    options.hidden = static_cast<int>(whole(args.value("--hidden"), "--hidden", 32, 1, 256));
    options.epochs = static_cast<int>(whole(args.value("--epochs"), "--epochs", 20, 1, 1000));
    options.learning_rate = args.positive_number("--learning-rate", 3e-3);
    options.seed = static_cast<std::uint64_t>(whole(args.value("--seed"), "--seed", 1, 0, 1L << 40));
    options.threads = static_cast<int>(whole(args.value("--threads"), "--threads", 1, 1, 256));
    options.stop = &g_drivers_stop;
    if (!args.flag("--quiet"))
        options.progress = [](int epoch, double loss) {
            std::fprintf(stderr, "epoch %d: loss %.5f\n", epoch, loss);
        };

    const drivers::DriverHistory history = drivers::load_history(source);
    const drivers::TrainingSet set = drivers::training_set(history, until);
    if (!args.flag("--quiet"))
        std::fprintf(stderr, "%s: %zu drivers; %zu origins before %s, %zu slot samples, %zu energy samples\n",
                     history.source.c_str(), history.drivers.size(), set.origins, until_text->c_str(),
                     set.rows(), set.energy_rows());
    drivers::DriverModelParams params = drivers::train_model(set, options);
    if (g_drivers_stop.load()) {
        std::fprintf(stderr, "evtwin drivers train: interrupted; no model written\n");
        return 130;
    }
    params.trained.insert(
        params.trained.begin(),
        {{"history", history.source}, {"timezone", history.timezone}, {"train_until", *until_text}});
    drivers::write_model(*out, params);
    std::printf("wrote %s (%zu slot samples of %zu origins)\n", out->c_str(), set.rows(), set.origins);
    if (const auto from_text = args.value("--report-from")) {
        const drivers::DriverModel model(params);
        const drivers::LastWeekBaseline last_week;
        const drivers::FrequencyBaseline frequency;
        const drivers::LocalMs day = 24 * drivers::kHourMs;
        const drivers::EvalReport report =
            drivers::evaluate(history, {&model, &last_week, &frequency}, drivers::parse_local(*from_text),
                              (history.last / day + 1) * day);
        std::printf("\n%s", drivers::format_report(report).c_str());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        std::fputs(kHelp, stdout);
        return 0;
    }
    std::signal(SIGINT, on_drivers_sigint);
    try {
        return train(args);
    } catch (const evtwin::cli::UsageError& e) {
        std::fprintf(stderr, "evtwin drivers train: %s (see evtwin drivers train --help)\n", e.what());
        return 2;
    } catch (const evtwin::DataError& e) {
        std::fprintf(stderr, "evtwin drivers train: %s\n", e.what());
        return 3;
    } catch (const evtwin::ResultsError& e) {
        std::fprintf(stderr, "evtwin drivers train: %s\n", e.what());
        return 3;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "evtwin drivers train: %s\n", e.what());
        return 1;
    }
}
