// `evtwin ocpp validate` without the CLI, on ../shared/data/ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv
// and scenarios/ocpp_kwwhat_site.lua: the replay built from an import, the twin's run (39 sessions,
// 14 days) into a fresh database, and the per-session comparison. Also the composition of charging
// profiles: a day of 96 quarter-hour TxDefault profiles on 10 connectors, composed over the day.
#include "core/simulator.hpp"
#include "ocpp/replay.hpp"
#include "record/writer/sqlite_run_writer.hpp"
#include "scenario/scenario_loader.hpp"

#include <benchmark/benchmark.h>

#include <unistd.h>
#include <filesystem>

namespace {

using namespace evtwin;
using namespace evtwin::ocpp;

const std::filesystem::path kLog =
    default_schema_dir().parent_path() / "logs" / "kwwhat_ocpp16_synthetic_14d.csv";

void BM_ValidateKwwhat(benchmark::State& state) {
    const Import im = import_log(kLog);
    const ScenarioSpec site =
        load_scenario(std::filesystem::path(EVTWIN_SOURCE_DIR) / "scenarios" / "ocpp_kwwhat_site.lua");
    const auto dir =
        std::filesystem::temp_directory_path() / ("evtwin-ocpp-replay-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::size_t sessions = 0;
    for (auto _ : state) {
        state.PauseTiming();
        std::filesystem::remove(dir / "v.db");
        state.ResumeTiming();
        const Replay replay = build_replay(im, site);
        RunId run = 0;
        {
            SqliteRunWriter writer(dir / "v.db");
            LoggedLimitsStrategy strategy(replay);
            Simulator sim(replay.spec, strategy, writer);
            sim.run(RunInfo{});
            run = writer.run_id();
        }
        const auto rows = compare_run(im, replay, RunReader(dir / "v.db"), run, {});
        sessions = rows.size();
        benchmark::DoNotOptimize(rows);
    }
    std::filesystem::remove_all(dir);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * sessions));
}

void BM_ComposeDayOfProfiles(benchmark::State& state) {
    std::vector<ChargingProfile> profiles;
    const std::int64_t day = 1'704'067'200'000;  // 2024-01-01T00:00Z
    for (int c = 1; c <= 10; ++c)
        for (int q = 0; q < 96; ++q) {
            ChargingProfile p;
            p.cs = "CP";
            p.connector = c;
            p.profile_id = c * 1000 + q;
            p.stack_level = q % 3;
            p.purpose = ProfilePurpose::tx_default;
            p.unit = 'W';
            p.start_schedule_ms = day + q * 900'000;
            p.duration_ms = 900'000;
            p.periods = {{0, 1000.0 * (1 + (q + c) % 11), 3}};
            p.set_ms = day;
            p.accepted = true;
            profiles.push_back(p);
        }
    std::size_t segments = 0;
    for (auto _ : state) {
        const auto limits = compose_limits(profiles, {}, day, day + 86'400'000);
        segments = limits.size();
        benchmark::DoNotOptimize(limits);
    }
    state.counters["segments"] = static_cast<double>(segments);
}

BENCHMARK(BM_ValidateKwwhat)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ComposeDayOfProfiles)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
