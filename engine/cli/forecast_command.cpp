// `evtwin forecast train|eval`: learn a forecaster (evtwin-forecast, LibTorch) and score forecasters
// on held-out data (docs/forecasting.md).
#include <evtwin/options.hpp>
#include <evtwin/util/args.hpp>
#include "cli/commands.hpp"
#include "cli/exec_tool.hpp"
#include "cli/run_one.hpp"
#include "forecast/evaluation.hpp"
#include "forecast/forecaster_choice.hpp"
#include "host/forecaster_loader.hpp"
#include "record/schema/sqlite_db.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace evtwin::cli {
namespace {

constexpr const char* kForecastHelp =
    R"(usage: evtwin forecast train --target pv|demand|load --model lstm|tft --data SPEC --out MODEL.pt [options]
       evtwin forecast eval --target pv|demand|load --data SPEC --from DATE --to DATE [options]

train: learns a forecaster with LibTorch (evtwin-forecast; `evtwin forecast train --help` lists its options).

eval: rolling-origin evaluation on the span [--from, --to): a forecast every --every-h hours, --horizon-h
hours ahead, by every --model and by the baselines persistence and seasonal_naive, each scored against
the data per lead step and over the whole horizon. The whole-horizon scores are printed; every row goes
to the table forecast_eval of --db.

eval options:
  --target T            pv, load or demand
  --data SPEC           the data: FILE[+FILE...][,key=value...] (docs/forecasting.md, section Data)
  --from DATE, --to DATE   the held-out span, local dates or times of the data's zone
  --model M1,M2,...     forecasters: a plugin name (persistence, seasonal_naive, ...), NAME:ARG
                        (lstm:MODEL.pt, tft:MODEL.pt) or a plugin path
  --step-min M          the data's step; default 60
  --horizon-h H         default 24
  --every-h H           between origins; default 24
  --db PATH             the results database the table goes to; default forecast_eval.db

exit codes: 0 ok, 2 usage, 3 bad or missing data, 4 forecaster refused
)";

const char* channel_name(ForecastTarget t, std::size_t c) {
    if (t != ForecastTarget::demand) return "kw";
    return c == kDemandArrivals ? "arrivals" : c == kDemandEnergy ? "energy_kwh" : "stay_h";
}

Duration minutes(double m) {
    return Duration(static_cast<std::int64_t>(std::llround(m * 60'000.0)));
}

// The number > 0 of option `name`, at most `most`.
double bounded(const Args& args, const std::string& name, double fallback, double most) {
    const double value = args.positive_number(name, fallback);
    if (value > most) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", most);
        throw UsageError(name + " expects at most " + text + ", got '" + *args.value(name) + "'");
    }
    return value;
}

void write_table(const std::filesystem::path& file, const ForecastSeries& series, const EvalSpan& span,
                 const std::vector<EvalScore>& scores) {
    sqlite::Db db(file, sqlite::Db::Mode::read_write_create);
    db.exec(R"(CREATE TABLE IF NOT EXISTS forecast_eval (
        target TEXT NOT NULL, model TEXT NOT NULL, data TEXT NOT NULL, channel TEXT NOT NULL,
        eval_from TEXT NOT NULL, eval_to TEXT NOT NULL, origin_every_h REAL NOT NULL, horizon_h REAL NOT NULL,
        step_min REAL NOT NULL, lead_step INTEGER, points INTEGER NOT NULL, mae REAL, rmse REAL, smape_pct REAL,
        pinball_p10 REAL, pinball_p50 REAL, pinball_p90 REAL, coverage_p10_p90 REAL,
        skill_vs_seasonal_naive REAL, skill_vs_persistence REAL, coverage_p10_p90_nonzero REAL))");
    // A table written before the column was there gets it, empty in its rows.
    if (db.query_int("SELECT count(*) FROM pragma_table_info('forecast_eval') WHERE name = "
                     "'coverage_p10_p90_nonzero'") == 0)
        db.exec("ALTER TABLE forecast_eval ADD COLUMN coverage_p10_p90_nonzero REAL");
    db.exec("BEGIN");
    sqlite::Stmt insert(db,
                        "INSERT INTO forecast_eval (target, model, data, channel, eval_from, eval_to, "
                        "origin_every_h, horizon_h, step_min, lead_step, points, mae, rmse, smape_pct, "
                        "pinball_p10, pinball_p50, pinball_p90, coverage_p10_p90, skill_vs_seasonal_naive, "
                        "skill_vs_persistence, coverage_p10_p90_nonzero) VALUES "
                        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    for (const EvalScore& s : scores) {
        int i = 0;
        insert.bind(++i, target_name(series.target));
        insert.bind(++i, s.model);
        insert.bind(++i, series.data);
        insert.bind(++i, channel_name(series.target, s.channel));
        insert.bind(++i, format_utc(span.from));
        insert.bind(++i, format_utc(span.to));
        insert.bind(++i, span.every.hours_f());
        insert.bind(++i, span.horizon.hours_f());
        insert.bind(++i, series.step.ms() / 60000.0);
        if (s.lead < 0)
            insert.bind_null(++i);
        else
            insert.bind(++i, std::int64_t{s.lead});
        insert.bind(++i, static_cast<std::int64_t>(s.points));
        for (double v : {s.mae, s.rmse, s.smape, s.pinball[0], s.pinball[1], s.pinball[2], s.coverage,
                         s.skill_seasonal, s.skill_persistence})
            insert.bind(++i, v);
        if (std::isnan(s.coverage_nonzero))
            insert.bind_null(++i);
        else
            insert.bind(++i, s.coverage_nonzero);
        insert.run();
    }
    db.exec("COMMIT");
}

int eval_command(const std::vector<std::string>& argv) {
    const Args args = parse_args(argv, ArgSpec{{"--target", "--data", "--from", "--to", "--model",
                                                "--step-min", "--horizon-h", "--every-h", "--db"},
                                               {"--help", "-h"},
                                               {}});
    if (args.flag("--help") || args.flag("-h")) {
        std::fputs(kForecastHelp, stdout);
        return kOk;
    }
    if (!args.positionals.empty()) throw UsageError("unexpected argument '" + args.positionals.front() + "'");
    for (const char* required : {"--target", "--data", "--from", "--to"})
        if (!args.value(required)) throw UsageError(std::string(required) + " is required");
    ForecastTarget target;
    try {
        target = parse_forecast_target(*args.value("--target"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    // As forecast train takes them: a step within a day, a horizon within 31 days.
    const Duration step = minutes(bounded(args, "--step-min", 60.0, 1440.0));
    EvalSpan span;
    span.horizon = minutes(60.0 * bounded(args, "--horizon-h", 24.0, 24.0 * 31));
    span.every = minutes(60.0 * bounded(args, "--every-h", 24.0, kMostHours));
    try {
        const ForecastSeries series = read_forecast_series(*args.value("--data"), target, step);
        for (const char* key : {"--from", "--to"}) {
            try {
                (key[2] == 'f' ? span.from : span.to) = series.parse_local(*args.value(key));
            } catch (const std::invalid_argument& e) {
                throw UsageError(std::string(key) + ": " + e.what());
            }
        }
        if (span.from >= span.to) throw UsageError("--from must come before --to");
        std::vector<std::string> specs{"persistence", "seasonal_naive"};
        if (const auto m = args.value("--model"))
            for (const std::string& s : comma_list(*m, "--model"))
                if (std::find(specs.begin(), specs.end(), s) == specs.end()) specs.push_back(s);
        std::vector<ForecasterHandle> handles;
        std::vector<NamedForecaster> models;
        for (const std::string& s : specs) {
            ForecasterChoice choice;
            try {
                choice = parse_forecaster_choice(s);
            } catch (const std::invalid_argument& e) {
                throw UsageError("--model " + s + ": " + e.what());
            }
            if (choice.name == "perfect" || choice.name == "noisy")
                throw UsageError("--model " + s + ": the engine's " + choice.name +
                                 " forecaster reads the future; it has nothing to evaluate");
            handles.push_back(load_forecaster(choice.name, target, choice.options));
            models.push_back({s, handles.back().get()});
        }
        const std::vector<EvalScore> scores = evaluate_forecasters(series, models, span);
        std::printf("%s, %s, %s to %s, a forecast every %.0f h, %.0f h ahead\n\n",
                    std::string(target_name(target)).c_str(), series.data.c_str(),
                    args.value("--from")->c_str(), args.value("--to")->c_str(), span.every.hours_f(),
                    span.horizon.hours_f());
        std::printf("%-24s %-10s %7s %10s %10s %8s %9s %9s %9s %8s %8s %8s %8s\n", "model", "channel",
                    "points", "MAE", "RMSE", "sMAPE%", "pin_p10", "pin_p50", "pin_p90", "cover", "cover_nz",
                    "skill_sn", "skill_p");
        for (const EvalScore& s : scores) {
            if (s.lead >= 0) continue;
            std::printf("%-24s %-10s %7zu %10.4f %10.4f %8.1f %9.4f %9.4f %9.4f %8.3f %8.3f %8.3f %8.3f\n",
                        s.model.c_str(), channel_name(target, s.channel), s.points, s.mae, s.rmse, s.smape,
                        s.pinball[0], s.pinball[1], s.pinball[2], s.coverage, s.coverage_nonzero,
                        s.skill_seasonal, s.skill_persistence);
        }
        const std::filesystem::path db = args.value("--db").value_or("forecast_eval.db");
        write_table(db, series, span, scores);
        std::printf("\nwritten to %s (table forecast_eval)\n", db.c_str());
        return kOk;
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, "evtwin forecast eval: " + std::string(e.what()));
    } catch (const ForecasterError& e) {
        throw CommandFailure(kPluginRefused, "evtwin forecast eval: " + std::string(e.what()));
    } catch (const PluginError& e) {
        throw CommandFailure(kPluginRefused, "evtwin forecast eval: " + std::string(e.what()));
    }
}

}  // namespace

int forecast_command(const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::fputs(kForecastHelp, args.empty() ? stderr : stdout);
        return args.empty() ? kUsage : kOk;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "train") return exec_tool("evtwin-forecast", "forecast train", args, kNoTorch);
    if (args[0] == "eval") return eval_command(rest);
    throw UsageError("unknown forecast verb '" + args[0] + "': expected train or eval");
}

}  // namespace evtwin::cli
