// OCPP log import throughput on ../shared/data/ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv (17,670
// frames, OCPP 1.6J): read + rebuild from text in memory, then the same plus schema validation, plus
// storage into a fresh results database. items/s is frames per second. Target (issue 6): >= 200 k
// frames/s to read and rebuild; the whole file imported and stored in < 0.2 s.
#include "data/text_file.hpp"
#include "ocpp/import.hpp"

#include <benchmark/benchmark.h>

#include <unistd.h>
#include <filesystem>

namespace {

using namespace evtwin::ocpp;

const std::filesystem::path kLog =
    default_schema_dir().parent_path() / "logs" / "kwwhat_ocpp16_synthetic_14d.csv";

const std::string& log_text() {
    static const std::string text = evtwin::read_text_file(kLog);
    return text;
}

void run(benchmark::State& state, bool validate, bool stored) {
    const std::string& text = log_text();
    const auto dir =
        std::filesystem::temp_directory_path() / ("evtwin-ocpp-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::size_t frames = 0;
    for (auto _ : state) {
        Import im = import_text(kLog, text, {}, SchemaOptions{validate, {}});
        if (stored) {
            state.PauseTiming();
            std::filesystem::remove(dir / "ocpp.db");
            state.ResumeTiming();
            evtwin::sqlite::Db db(dir / "ocpp.db", evtwin::sqlite::Db::Mode::read_write_create);
            store(db, im);
        }
        frames = im.log.frames.size();
        benchmark::DoNotOptimize(im);
    }
    std::filesystem::remove_all(dir);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * frames));
    state.counters["frames"] = static_cast<double>(frames);
}

void BM_ReadRebuild(benchmark::State& state) {
    run(state, false, false);
}
void BM_ReadRebuildValidate(benchmark::State& state) {
    run(state, true, false);
}
void BM_ReadRebuildStore(benchmark::State& state) {
    run(state, false, true);
}
void BM_ReadRebuildValidateStore(benchmark::State& state) {
    run(state, true, true);
}

BENCHMARK(BM_ReadRebuild)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadRebuildValidate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadRebuildStore)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadRebuildValidateStore)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
