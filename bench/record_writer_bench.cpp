// Results writer throughput: a site of 200 connectors (100 two-connector chargers) where every
// connector changes every step, as in a busy one-year run (~10 million connector samples). One
// iteration writes a whole run of `steps` x 200 connector samples plus one site sample per step
// into a fresh file; items/s is connector + site rows per second.
#include "model/scenario_spec.hpp"
#include "record/writer/sqlite_run_writer.hpp"

#include <benchmark/benchmark.h>

#include <unistd.h>
#include <filesystem>

namespace {

constexpr int kChargers = 100;
constexpr int kConnectors = 2 * kChargers;

evtwin::ScenarioSpec site_spec() {
    evtwin::ScenarioSpec spec;
    spec.name = "bench";
    spec.nodes = {{"grid", evtwin::NodeKind::grid, evtwin::kNone, 2000.0, 500.0}};
    for (int i = 0; i < kChargers; ++i) {
        evtwin::ChargerSpec c;
        c.name = "CP" + std::to_string(i);
        c.parent = 0;
        c.max_kw = 22.0;
        c.connectors = 2;
        spec.chargers.push_back(c);
    }
    return spec;
}

void BM_WriteRun(benchmark::State& state) {
    const auto steps = static_cast<int>(state.range(0));
    const auto rows_per_commit = static_cast<std::size_t>(state.range(1));
    const evtwin::ScenarioSpec spec = site_spec();
    const auto dir = std::filesystem::temp_directory_path() / ("evtwin-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "run.db";
    const evtwin::Duration step = evtwin::Duration::minutes(1);
    std::int64_t rows = 0;
    for (auto _ : state) {
        state.PauseTiming();
        for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + ext);
        state.ResumeTiming();
        evtwin::SqliteRunWriter writer(file, evtwin::WriterOptions{rows_per_commit});
        writer.begin_run({"bench", "", "none", "0", "", 1, "bench"}, spec);
        evtwin::Time t(1'704'067'200'000);
        for (int s = 0; s < steps; ++s, t += step) {
            double total = 0.0;
            for (evtwin::ConnectorIndex c = 0; c < kConnectors; ++c) {
                const double kw = 1.0 + static_cast<double>((s * 7 + static_cast<int>(c) * 13) % 211) / 10.0;
                total += kw;
                writer.connector_sample(t, c, kw, 0.2 + 0.6 * static_cast<double>(s % 100) / 100.0,
                                        evtwin::PilotState::C);
            }
            writer.site_sample(t, {total, total, 0.0, 0.0, 0.0, 0.5, 0.0});
        }
        writer.end_run(t, false);
        rows += static_cast<std::int64_t>(steps) * (kConnectors + 1);
    }
    state.SetItemsProcessed(rows);
    state.counters["db_MiB"] = static_cast<double>(std::filesystem::file_size(file)) / (1024.0 * 1024.0);
    std::filesystem::remove_all(dir);
}

BENCHMARK(BM_WriteRun)
    ->Args({5'000, 100'000})  // 1 M connector rows, default batch
    ->Args({5'000, 10'000})
    ->Args({5'000, 1'000'000})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
