// evtwin battery: battery health tools. `fit` calibrates the cycling-fade law on the NASA PCoE cells.
#include <evtwin/errors.hpp>
#include <evtwin/util/args.hpp>
#include "cli/battery_report.hpp"
#include "cli/commands.hpp"
#include "cli/run_one.hpp"
#include "data/nasa_battery.hpp"
#include "model/battery_ageing.hpp"
#include "model/cycling_fit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace evtwin::cli {

namespace {

constexpr const char* kBatteryHelp =
    R"(usage: evtwin battery fit [--data DIR] [--cell NAME]... [--chemistry nmc|lfp]
                         [--rated-ah A] [--regeneration-pct X]

Battery health tools (docs/battery.md).

fit: fits the chemistry's cycling-fade law to each NASA PCoE cell's measured capacity per discharge
cycle (files DIR/nasa_<cell>.csv) by least squares and prints the constants and the fit error (RMSE
in % of rated capacity, over all points and over the points kept).
  capacity = c0 - rated * loss(EFC); nmc: loss = b * EFC^p; lfp: loss = (q5 * EFC)^q6
  EFC before a discharge = the capacities discharged before it / rated; c0 = the cell's initial capacity.
  --data DIR             the cells' folder (default: $EVTWIN_DATA/battery, else ../shared/data/battery)
  --cell NAME            fit this cell only, e.g. B0005 (repeatable; default: every nasa_*.csv)
  --chemistry C          nmc (default) or lfp: the law's form and how its constants are reported
  --rated-ah A           rated capacity (default 2, the NASA cells')
  --regeneration-pct X   a point whose capacity exceeds the lowest earlier capacity by more than X %
                         of rated is a regeneration bump after a rest, left out of the fit (default 1)

Exit codes: 0 fitted, 2 usage, 3 missing or malformed data (the message names file and line).
)";

// Takes every `--name VALUE` / `--name=VALUE` out of argv (parse_args keeps one value per option).
std::vector<std::string> take_repeated(std::vector<std::string>& argv, const std::string& name) {
    std::vector<std::string> values;
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (argv[i] == name) {
            if (i + 1 >= argv.size()) throw UsageError(name + " needs a value");
            values.push_back(argv[++i]);
        } else if (argv[i].rfind(name + "=", 0) == 0) {
            values.push_back(argv[i].substr(name.size() + 1));
        } else {
            rest.push_back(argv[i]);
        }
    }
    argv = std::move(rest);
    return values;
}

std::filesystem::path battery_data_dir(const Args& args) {
    if (const auto dir = args.value("--data")) return *dir;
    if (const char* env = std::getenv("EVTWIN_DATA"); env != nullptr && *env != '\0')
        return std::filesystem::path(env) / "battery";
    return std::filesystem::path("..") / "shared" / "data" / "battery";
}

int battery_fit(std::vector<std::string> argv) {
    const std::vector<std::string> cells = take_repeated(argv, "--cell");
    const Args args = parse_args(
        argv, ArgSpec{{"--data", "--chemistry", "--rated-ah", "--regeneration-pct"}, {"--help", "-h"}, {}});
    if (args.flag("--help") || args.flag("-h")) {
        std::fputs(kBatteryHelp, stdout);
        return kOk;
    }
    if (!args.positionals.empty()) throw UsageError("unexpected argument '" + args.positionals[0] + "'");
    Chemistry chemistry = Chemistry::nmc;
    if (const auto c = args.value("--chemistry")) {
        try {
            chemistry = parse_chemistry(*c);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--chemistry: ") + e.what());
        }
    }
    CyclingFitOptions options;
    options.rated_ah = args.positive_number("--rated-ah", options.rated_ah);
    options.regeneration_threshold =
        args.positive_number("--regeneration-pct", 100.0 * options.regeneration_threshold) / 100.0;

    const std::filesystem::path dir = battery_data_dir(args);
    if (!std::filesystem::is_directory(dir))
        throw CommandFailure(kBadInput, "evtwin battery fit: no battery data folder " + dir.string() +
                                            " (set it with --data or EVTWIN_DATA)");
    std::vector<std::filesystem::path> files = nasa_capacity_files(dir);
    if (files.empty())
        throw CommandFailure(kBadInput, "evtwin battery fit: no nasa_*.csv cell files in " + dir.string());
    if (!cells.empty()) {
        std::vector<std::filesystem::path> chosen;
        std::string known;
        for (const auto& f : files) known += (known.empty() ? "" : ", ") + nasa_cell_name(f);
        for (const auto& name : cells) {
            const auto it = std::find_if(files.begin(), files.end(),
                                         [&](const auto& f) { return nasa_cell_name(f) == name; });
            if (it == files.end())
                throw CommandFailure(kBadInput, "evtwin battery fit: no cell '" + name + "' in " +
                                                    dir.string() + " (cells: " + known + ")");
            chosen.push_back(*it);
        }
        files = std::move(chosen);
    }

    std::vector<CapacityCurve> curves;
    try {
        for (const auto& f : files) curves.push_back(read_nasa_capacity(f));
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, e.what());
    }

    const bool nmc = chemistry == Chemistry::nmc;
    std::printf("cycling law (%s): capacity = c0 - %.3g Ah * %s, EFC = A h discharged before / %.3g Ah\n",
                chemistry_name(chemistry), options.rated_ah, nmc ? "b * EFC^p" : "(q5 * EFC)^q6",
                options.rated_ah);
    std::printf("regeneration bumps left out: capacity > lowest earlier capacity + %.3g %% of rated\n\n",
                100.0 * options.regeneration_threshold);
    std::printf("%-8s %6s %8s %8s %11s %7s %13s %14s\n", "cell", "points", "excluded", "c0_ah",
                nmc ? "b" : "q5", nmc ? "p" : "q6", "rmse_all_pct", "rmse_kept_pct");
    for (const auto& curve : curves) {
        CyclingFit fit;
        try {
            fit = fit_cycling(curve.capacity_ah, options);
        } catch (const std::invalid_argument& e) {
            throw CommandFailure(kBadInput, curve.file.string() + ": " + e.what());
        }
        const double k = nmc ? fit.b : std::pow(fit.b, 1.0 / fit.p);
        std::printf("%-8s %6zu %8zu %8.4f %11.4e %7.4f %13.3f %14.3f%s\n", curve.cell.c_str(),
                    curve.capacity_ah.size(), fit.excluded, fit.initial_ah, k, fit.p, fit.rmse_all_pct,
                    fit.rmse_kept_pct, fit.converged ? "" : "  (not converged)");
    }
    return kOk;
}

}  // namespace

int battery_command(const std::vector<std::string>& argv) {
    if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
        std::FILE* out = argv.empty() ? stderr : stdout;
        std::fputs(kBatteryHelp, out);
        std::fputs("\n", out);
        std::fputs(kBatteryReportHelp, out);
        return argv.empty() ? kUsage : kOk;
    }
    const std::string sub = argv[0];
    const std::vector<std::string> rest(argv.begin() + 1, argv.end());
    if (sub == "fit") return battery_fit(rest);
    if (sub == "report") return battery_report_command(rest);
    throw UsageError("unknown battery subcommand '" + sub + "' (expected fit or report)");
}

}  // namespace evtwin::cli
