#include "run/run_into.hpp"

#include "core/simulator.hpp"
#include "core/version.hpp"
#include "host/observation_log.hpp"
#include "host/plugin_loader.hpp"
#include "kpi/kpi_recorder.hpp"
#include "model/site.hpp"
#include "run/strategy_options.hpp"
#include "scenario/scenario_impl.hpp"

#include <chrono>
#include <memory>
#include <optional>

namespace evtwin {

WriterOptions run_writer_options(const RunOptions& options) {
    WriterOptions writer;
    // A run is read as it goes by a viewer at most: the file is written in place, not through a WAL.
    writer.journal =
        options.private_db ? WriterOptions::Journal::private_file : WriterOptions::Journal::rollback;
    writer.write_behind = true;
    return writer;
}

RunOutcome run_scenario(const Scenario& scenario, const RunOptions& options) {
    return run_scenario_into(scenario, options, nullptr);
}

RunOutcome run_scenario_into(const Scenario& scenario, const RunOptions& options, SqliteRunWriter* opened,
                             const std::filesystem::path& observation_log) {
    // The handle's own seed runs on the handle's spec: a year of sessions is not copied.
    const std::uint64_t seed = options.seed.value_or(scenario.seed());
    std::optional<ScenarioSpec> drawn;
    const ScenarioSpec& spec =
        seed == scenario.impl().seed ? scenario.impl().loaded : drawn.emplace(draw_scenario(scenario, seed));
    const std::string strategy = options.strategy.empty() ? spec.strategy : options.strategy;
    RunOutcome out;
    out.db = options.db;
    out.seed = spec.seed;
    out.strategy_options = merged_strategy_options(spec, strategy, options.options);

    StrategyHandle handle;
    Strategy* decider = options.strategy_object;
    if (decider) {
        out.strategy_name = strategy;
        out.strategy_version = options.strategy_version;
    } else {
        handle = load_strategy(strategy, out.strategy_options);
        decider = handle.get();
        out.strategy_name = std::string(handle.name());
        out.strategy_version = std::string(handle.version());
    }
    std::optional<ObservationLog> logged;
    if (!observation_log.empty()) decider = &logged.emplace(*decider, observation_log);

    std::optional<SqliteRunWriter> own_writer;
    SqliteRunWriter& writer = opened ? *opened : own_writer.emplace(options.db, run_writer_options(options));
    // The writer's thread reads the spec while the run starts (RunSink::begin_run): a writer that
    // outlives this call is done with it before the spec drawn here goes, however the run ends.
    const struct DoneWithSpec {
        SqliteRunWriter& writer;
        ~DoneWithSpec() { writer.wait_idle(); }
    } done_with_spec{writer};
    KpiRecorder recorder(writer);
    recorder.store_at_end(writer, *spec.tariff, spec.economics);
    std::unique_ptr<Simulator> simulator;
    try {
        simulator = std::make_unique<Simulator>(spec, *decider, recorder);
    } catch (const SiteError& e) {
        throw ScenarioError(scenario.file().string() + ": " + e.what());
    }
    RunInfo info;
    info.scenario_name = spec.name;
    info.scenario_file = scenario.file().string();
    info.strategy_name = out.strategy_name;
    info.strategy_version = out.strategy_version;
    info.strategy_options = joined_options(out.strategy_options);
    info.seed = spec.seed;
    info.engine_version = engine_version();

    SimulationOptions sim_options;
    sim_options.interrupt = options.interrupt;
    sim_options.progress = options.progress;
    const auto wall_start = std::chrono::steady_clock::now();
    RunSummary summary;
    try {
        summary = simulator->run(info, sim_options);
    } catch (const ScriptError& e) {  // a scenario hook failed: the scenario is at fault, not the strategy
        throw ScenarioError(e.what());
    } catch (const ResultsError&) {
        throw;
    } catch (const PluginError&) {  // a forecaster failed or answered what the engine refuses; it is named
        throw;
    } catch (const ObservationLogError&) {  // the log's file, not the strategy
        throw;
    } catch (const std::exception& e) {
        throw PluginError("strategy '" + out.strategy_name + "' failed: " + e.what());
    }
    out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    out.run_id = writer.run_id();
    out.events = summary.events;
    out.decisions = summary.decisions;
    out.violations = summary.violations;
    out.interrupted = summary.interrupted;
    out.kpis = recorder.kpis();
    return out;
}

}  // namespace evtwin
