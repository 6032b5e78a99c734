// `evtwin drivers train|eval|predict`: a driver's next charge (docs/drivers.md). train execs
// evtwin-drivers (LibTorch); eval and predict run the model file in plain C++.
#include <evtwin/errors.hpp>
#include <evtwin/util/args.hpp>
#include "cli/commands.hpp"
#include "cli/exec_tool.hpp"
#include "cli/run_one.hpp"
#include "drivers/ceiling.hpp"
#include "drivers/evaluation.hpp"
#include "drivers/model.hpp"

#include <cstdio>
#include <memory>
#include <optional>

namespace evtwin::cli {
namespace {

constexpr const char* kDriversHelp =
    R"(usage: evtwin drivers train --history FILE --train-until DATE --out MODEL.json [options]
       evtwin drivers eval --history FILE --from DATE [--to DATE] [--model MODEL.json] [options]
       evtwin drivers predict --history FILE --driver ID --model MODEL.json [--from TIME] [options]

A driver's next charge: per driver, the probability of a session starting in each hour of the next 7
days and the next session's expected energy, learned from the sessions of each driver (docs/drivers.md).

train: fits the model with LibTorch (evtwin-drivers; `evtwin drivers train --help` lists its options).

eval: rolling-origin evaluation: an origin at every local Monday 00:00 in [--from, --to) whose week
ends by --to, every driver with a session before the origin predicted from the sessions before it,
scored on the week after it: Brier score over the 168 slots, hit rate (the next session starts within
±2 h of the most likely slot), energy MAE of the next session, each with skill over the baselines
last_week (same slot last week) and frequency (the driver's share of weeks with a session in the slot).

predict: the driver's 168 slots from --from (a local time, whole hours; default: the Monday after
the history's last session) by the model, with each slot's probability and expected energy.

history options (every verb):
  --history FILE        ACN-Data JSON export (userID), the Norwegian residential CSV (User_ID), an
                        OCPI CDR or Session file (the token's uid), or an evtwin results database
                        (a session's vehicle_id: the idTag of a run imported from OCPP or recorded live)
  --format F            acn_json, norway_csv, ocpi or run_db; default from the name (.json ACN,
                        .csv Norway, .db results)
  --timezone ZONE       the site's zone; default America/Los_Angeles (ACN), Europe/Oslo (Norway),
                        the run's (results), UTC (OCPI)
  --run N               a results database's run; default its latest

eval options:
  --from DATE, --to DATE   the held-out span, local dates; --to defaults to the midnight after the last session
  --model FILE          also score a trained model
  --ceiling             also score clairvoyant_days, which knows from the held-out span on which days
                        each driver charges and the driver's hours on such days: a bound on the skill
                        any forecaster can show there (docs/drivers.md)

exit codes: 0 ok, 2 usage, 3 bad or missing data or model file
)";

drivers::HistorySource drivers_history_source(const Args& args) {
    drivers::HistorySource source;
    const auto file = args.value("--history");
    if (!file) throw UsageError("--history FILE is required");
    source.file = *file;
    if (const auto f = args.value("--format")) {
        try {
            source.format = drivers::parse_history_format(*f);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--format: ") + e.what());
        }
    }
    source.timezone = args.value("--timezone").value_or("");
    if (const auto r = args.value("--run")) {
        try {
            std::size_t used = 0;
            source.run = std::stol(*r, &used);
            if (used != r->size() || *source.run < 1) throw std::invalid_argument("run");
        } catch (const std::exception&) {
            throw UsageError("--run expects a run id (a whole number >= 1), got '" + *r + "'");
        }
    }
    return source;
}

drivers::LocalMs drivers_local_option(const Args& args, const std::string& name, drivers::LocalMs fallback) {
    const auto text = args.value(name);
    if (!text) return fallback;
    try {
        const drivers::LocalMs t = drivers::parse_local(*text);
        if (t % drivers::kHourMs != 0) throw std::invalid_argument("a whole hour");
        return t;
    } catch (const std::invalid_argument&) {
        throw UsageError(name + " expects a local date or whole hour (2021-06-01, 2021-06-01T08:00), got '" +
                         *text + "'");
    }
}

drivers::DriverHistory drivers_load(const Args& args) {
    try {
        return drivers::load_history(drivers_history_source(args));
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, std::string("evtwin drivers: ") + e.what());
    } catch (const ResultsError& e) {
        throw CommandFailure(kBadInput, std::string("evtwin drivers: ") + e.what());
    } catch (const std::invalid_argument& e) {  // an unknown time zone
        throw CommandFailure(kBadInput, std::string("evtwin drivers: ") + e.what());
    }
}

std::optional<drivers::DriverModel> drivers_model_option(const Args& args, bool required) {
    const auto file = args.value("--model");
    if (!file) {
        if (required) throw UsageError("--model MODEL.json is required");
        return std::nullopt;
    }
    try {
        return drivers::read_model(*file);
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, std::string("evtwin drivers: ") + e.what());
    }
}

const std::set<std::string> kDriversHistoryOptions = {"--history", "--format", "--timezone", "--run"};

std::set<std::string> drivers_with_history(std::set<std::string> more) {
    more.insert(kDriversHistoryOptions.begin(), kDriversHistoryOptions.end());
    return more;
}

int drivers_eval(const std::vector<std::string>& argv) {
    const Args args =
        parse_args(argv, {drivers_with_history({"--from", "--to", "--model"}), {"--ceiling"}, {}});
    if (!args.value("--from")) throw UsageError("--from DATE is required");
    const auto model = drivers_model_option(args, false);
    const drivers::DriverHistory history = drivers_load(args);
    // By default the span ends at the midnight after the last session: a week running past the data
    // would be scored as weeks without sessions.
    const drivers::LocalMs data_end = (history.last / drivers::kDayMs + 1) * drivers::kDayMs;
    const drivers::LocalMs from = drivers_local_option(args, "--from", 0);
    const drivers::LocalMs to = drivers_local_option(args, "--to", data_end);
    if (to <= from) throw UsageError("--to must be after --from");
    const drivers::LastWeekBaseline last_week;
    const drivers::FrequencyBaseline frequency;
    std::vector<const drivers::Predictor*> predictors;
    if (model) predictors.push_back(&*model);
    predictors.push_back(&last_week);
    predictors.push_back(&frequency);
    std::optional<drivers::ClairvoyantDays> ceiling;
    if (args.flag("--ceiling")) ceiling.emplace(history, from, to);
    const drivers::EvalReport report =
        drivers::evaluate(history, predictors, from, to, ceiling ? &*ceiling : nullptr);
    if (report.origins == 0)
        throw CommandFailure(kBadInput, "evtwin drivers eval: no week of [--from, --to) ends by --to");
    std::printf("%s", drivers::format_report(report).c_str());
    std::printf(
        "\n%zu drivers, %zu sessions with a driver id, %zu without (left out); held out %s to %s (%s)\n",
        history.drivers.size(), history.session_count(), history.unkeyed_sessions,
        drivers::format_local(from).c_str(), drivers::format_local(to).c_str(), history.timezone.c_str());
    return kOk;
}

int drivers_predict(const std::vector<std::string>& argv) {
    const Args args = parse_args(argv, {drivers_with_history({"--driver", "--model", "--from"}), {}, {}});
    const auto driver_id = args.value("--driver");
    if (!driver_id) throw UsageError("--driver ID is required");
    const auto model = drivers_model_option(args, true);
    const drivers::DriverHistory history = drivers_load(args);
    const drivers::Driver* driver = history.find(*driver_id);
    if (!driver)
        throw CommandFailure(kBadInput, "evtwin drivers predict: " + history.source + " has no driver '" +
                                            *driver_id +
                                            "' (ids as the source spells them, e.g. acn-user-000001746)");
    const drivers::LocalMs origin =
        drivers_local_option(args, "--from", drivers::week_start(drivers::week_of(history.last) + 1));
    drivers::DriverView view;
    if (!drivers::driver_view(*driver, origin, view))
        throw CommandFailure(kBadInput, "evtwin drivers predict: driver '" + *driver_id +
                                            "' has no session before " + drivers::format_local(origin));
    const auto views = drivers::driver_views(history, origin);
    drivers::DriverPrediction prediction;
    model->predict(view, drivers::population_view(views), prediction);
    const int best = drivers::most_likely_slot(prediction);
    std::printf("driver %s from %s (%s): most likely %s (p = %.3f), next session %.2f kWh\n\n",
                driver_id->c_str(), drivers::format_local(origin).c_str(), history.timezone.c_str(),
                drivers::format_local(origin + best * drivers::kHourMs).c_str(), prediction.probability[best],
                prediction.next_kwh);
    std::printf("slot,start,probability,expected_kwh\n");
    for (int s = 0; s < drivers::kSlots; ++s)
        std::printf("%d,%s,%.4f,%.3f\n", s, drivers::format_local(origin + s * drivers::kHourMs).c_str(),
                    prediction.probability[s], prediction.probability[s] * prediction.next_kwh);
    return kOk;
}

}  // namespace

int drivers_command(const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::fputs(kDriversHelp, args.empty() ? stderr : stdout);
        return args.empty() ? kUsage : kOk;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "train") return exec_tool("evtwin-drivers", "drivers train", rest, kNoTorch);
    if (args[0] == "eval") return drivers_eval(rest);
    if (args[0] == "predict") return drivers_predict(rest);
    throw UsageError("unknown drivers verb '" + args[0] + "': expected train, eval or predict");
}

}  // namespace evtwin::cli
