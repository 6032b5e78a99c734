// `evtwin ocpp validate` and `evtwin ocpp whatif`: the logged sessions replayed by the twin.
#include "cli/ocpp_replay_command.hpp"

#include <evtwin/errors.hpp>
#include "cli/commands.hpp"
#include "cli/run_one.hpp"
#include "core/simulator.hpp"
#include "core/version.hpp"
#include "kpi/kpi_recorder.hpp"
#include "model/site.hpp"
#include "ocpp/replay.hpp"
#include "record/reader/run_reader.hpp"
#include "record/schema/sqlite_db.hpp"
#include "record/writer/sqlite_run_writer.hpp"
#include "scenario/scenario_impl.hpp"

#include <cmath>
#include <cstdio>
#include <memory>

namespace evtwin::cli {

namespace {

std::optional<double> number_option(const Args& args, const std::string& name) {
    const auto v = args.value(name);
    if (!v) return std::nullopt;
    try {
        std::size_t used = 0;
        const double d = std::stod(*v, &used);
        if (used != v->size() || !std::isfinite(d) || d < 0) throw std::invalid_argument(*v);
        return d;
    } catch (const std::exception&) {
        throw UsageError(name + " expects a number >= 0, got '" + *v + "'");
    }
}

struct Loaded {
    std::filesystem::path log, scenario_file, db;
    ocpp::Import im;
    ScenarioSpec spec;
    std::int64_t import_id = 0;
};

Loaded load(const Args& args, const std::string& verb) {
    if (args.positionals.size() != 2) throw UsageError("expects one LOG file");
    const auto scenario = args.value("--scenario");
    if (!scenario) throw UsageError("--scenario SITE.lua is required");
    Loaded l;
    l.log = args.positionals[1];
    l.scenario_file = *scenario;
    const ocpp::ReadOptions options = read_options(args);
    try {
        l.im = ocpp::import_log(l.log, options);
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, "evtwin ocpp " + verb + ": " + e.what());
    }
    ScenarioOptions load_options;
    load_options.params = args.pairs("-D");
    if (const auto data = args.value("--data-dir")) load_options.data_dir = *data;
    l.spec = load_scenario_or_fail(l.scenario_file, load_options).impl().loaded;
    l.db = args.value("--db").value_or(l.log.stem().string() + ".db");
    return l;
}

ocpp::Replay replay_or_fail(const Loaded& l, const std::string& verb, bool follow_limits) {
    try {
        ocpp::ReplayOptions o;
        o.follow_limits = follow_limits;
        ocpp::Replay r = ocpp::build_replay(l.im, l.spec, o);
        for (const std::string& s : r.skipped) std::printf("not replayed: %s\n", s.c_str());
        if (r.sessions.empty())
            throw CommandFailure(kBadInput,
                                 "evtwin ocpp " + verb + ": " + l.log.string() +
                                     ": no transaction with a start, a stop and meter values to replay");
        return r;
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, "evtwin ocpp " + verb + ": " + e.what());
    }
}

std::int64_t store_import(const Loaded& l) {
    sqlite::Db db(l.db, sqlite::Db::Mode::read_write_create);
    return ocpp::store(db, l.im);
}

std::string fmt(const std::optional<double>& v, const char* f = "%.2f") {
    if (!v) return "-";
    char text[32];
    std::snprintf(text, sizeof text, f, *v);
    return text;
}

RunInfo run_info(const Loaded& l, const std::string& strategy, const std::string& options) {
    RunInfo info;
    info.scenario_name = l.spec.name + " + " + l.log.filename().string();
    info.scenario_file = l.scenario_file.string();
    info.strategy_name = strategy;
    info.strategy_version = "1.0.0";
    info.strategy_options = options;
    info.seed = l.spec.seed;
    info.engine_version = engine_version();
    return info;
}

}  // namespace

int ocpp_validate(const Args& args) {
    ocpp::Thresholds th;
    th.energy_error_pct = number_option(args, "--max-energy-error-pct");
    th.power_mae_kw = number_option(args, "--max-power-mae-kw");
    th.timing_error_s = number_option(args, "--max-timing-error-s");
    Loaded l = load(args, "validate");
    const ocpp::Replay replay = replay_or_fail(l, "validate", true);
    l.import_id = store_import(l);

    RunId run = 0;
    {
        SqliteRunWriter writer(l.db);
        KpiRecorder recorder(writer);
        recorder.store_at_end(writer, *replay.spec.tariff, replay.spec.economics);
        ocpp::LoggedLimitsStrategy strategy(replay);
        std::unique_ptr<Simulator> sim;
        try {
            sim = std::make_unique<Simulator>(replay.spec, strategy, recorder);
        } catch (const SiteError& e) {
            throw CommandFailure(kBadInput, l.scenario_file.string() + ": " + e.what());
        }
        sim->run(run_info(l, "ocpp-logged-limits", ""));
        run = writer.run_id();
    }
    const RunReader reader(l.db);
    const auto rows = ocpp::compare_run(l.im, replay, reader, run, th);
    {
        sqlite::Db db(l.db, sqlite::Db::Mode::read_write_create);
        ocpp::store_validation(db, l.import_id, run, l.scenario_file.string(), rows, th);
    }

    std::printf("%s against %s: %zu sessions replayed on the twin (run %lld, import %lld in %s)\n",
                l.log.string().c_str(), l.scenario_file.string().c_str(), rows.size(),
                static_cast<long long>(run), static_cast<long long>(l.import_id), l.db.string().c_str());
    std::printf("%4s %-10s %4s %-8s %-10s %8s %8s %8s %14s %14s %8s %8s  %-11s %-11s %s\n", "sess", "cs",
                "conn", "tx", "charger", "log kWh", "twin kWh", "energy%", "power MAE/RMSE", "reg. MAE/RMSE",
                "start s", "stop s", "log states", "twin states", "result");
    std::size_t failed = 0;
    double logged = 0, twin = 0;
    for (const auto& c : rows) {
        failed += !c.passed;
        logged += c.logged_kwh;
        twin += c.twin_kwh;
        const std::string power = fmt(c.power_mae_kw) + "/" + fmt(c.power_rmse_kw);
        const std::string reg = fmt(c.register_mae_kw) + "/" + fmt(c.register_rmse_kw);
        std::printf("%4llu %-10s %4d %-8s %-10s %8.3f %8.3f %8s %14s %14s %8s %8s  %-11s %-11s %s\n",
                    static_cast<unsigned long long>(c.session_id), c.cs.c_str(), c.connector,
                    c.transaction_id.c_str(), c.charger.c_str(), c.logged_kwh, c.twin_kwh,
                    fmt(c.energy_error_pct).c_str(), power.c_str(), reg.c_str(),
                    fmt(c.start_error_s, "%.1f").c_str(), fmt(c.stop_error_s, "%.1f").c_str(),
                    c.logged_states.c_str(), c.twin_states.c_str(),
                    c.passed ? "ok" : ("FAIL " + c.failures).c_str());
    }
    std::printf("energy: logged %.3f kWh, twin %.3f kWh; %zu of %zu sessions outside the thresholds\n",
                logged, twin, failed, rows.size());
    return failed ? kFailure : kOk;
}

int ocpp_whatif(const Args& args) {
    const auto strategy_name = args.value("--strategy");
    if (!strategy_name) throw UsageError("--strategy NAME is required");
    Loaded l = load(args, "whatif");
    const ocpp::Replay replay = replay_or_fail(l, "whatif", false);
    l.import_id = store_import(l);

    RunOptions run;
    run.strategy = *strategy_name;
    run.options = args.pairs("--opt");
    run.db = l.db;
    run.interrupt = SigintScope::flag();
    RunOutcome result;
    {
        SigintScope sigint;
        result = run_or_fail("ocpp whatif", scenario_of(replay.spec), run);
    }
    const RunReader reader(l.db);
    ocpp::WhatIf w;
    w.strategy = result.strategy_name;
    w.currency = replay.spec.tariff->currency();
    const auto logged = ocpp::logged_grid_power(replay);
    const auto twin = ocpp::twin_grid_power(reader, result.run_id);
    try {
        w.logged = compute_bill(*replay.spec.tariff, logged, replay.spec.start, replay.spec.end);
        w.twin = compute_bill(*replay.spec.tariff, twin, replay.spec.start, replay.spec.end);
    } catch (const std::exception& e) {
        throw CommandFailure(kBadInput, "evtwin ocpp whatif: " + l.scenario_file.string() + ": " + e.what());
    }
    w.logged_kwh = w.logged.import_kwh - w.logged.export_kwh;
    w.twin_kwh = w.twin.import_kwh - w.twin.export_kwh;
    {
        sqlite::Db db(l.db, sqlite::Db::Mode::read_write_create);
        ocpp::store_whatif(db, l.import_id, result.run_id, w);
    }
    std::printf("%s under %s on %s (run %lld in %s)\n", l.log.string().c_str(), w.strategy.c_str(),
                l.scenario_file.string().c_str(), static_cast<long long>(result.run_id),
                l.db.string().c_str());
    std::printf("%-22s %14s %14s\n", "", "log", w.strategy.c_str());
    std::printf("%-22s %14.3f %14.3f\n", "grid energy (kWh)", w.logged_kwh, w.twin_kwh);
    std::printf("%-22s %14.2f %14.2f\n", ("energy cost (" + w.currency + ")").c_str(), w.logged.energy_cost,
                w.twin.energy_cost);
    std::printf("%-22s %14.2f %14.2f\n", ("demand charge (" + w.currency + ")").c_str(),
                w.logged.demand_charge, w.twin.demand_charge);
    std::printf("%-22s %14.2f %14.2f\n", ("total (" + w.currency + ")").c_str(), w.logged.total(),
                w.twin.total());
    std::printf("%-22s %14.3f %14.3f\n", "peak import (kW)", w.logged.peak_import_kw, w.twin.peak_import_kw);
    return result.interrupted ? kInterrupted : kOk;
}

}  // namespace evtwin::cli
