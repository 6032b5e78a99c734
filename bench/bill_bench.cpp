// The bill of a year: compute_bill over 1,051,200 power steps (one every 30 s through 2024) against
// KEPCO's self-consumption tariff (low voltage), O(steps + price changes). items/s is steps per second.
#include "data/tariff_file.hpp"
#include "model/bill.hpp"
#include "model/local_time.hpp"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <vector>

namespace {

using namespace evtwin;

void BM_ComputeBillYear(benchmark::State& state) {
    TariffOptions options;
    options.variant = "low_voltage";
    const auto tariff = load_tariff_file(
        std::filesystem::path(EVTWIN_SOURCE_DIR) / "scenarios/tariffs/kepco_ev_self_consumption.json",
        options);
    const TimeZone seoul("Asia/Seoul");
    const Time start = parse_time("2024-01-01", seoul);
    const Time end = parse_time("2025-01-01", seoul);
    std::vector<PowerStep> steps;
    std::mt19937_64 rng(3);
    for (Time at = start; at < end; at += Duration::seconds(30))
        steps.push_back({at, static_cast<double>(rng() % 100)});
    for (auto _ : state) benchmark::DoNotOptimize(compute_bill(*tariff, steps, start, end).energy_cost);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * steps.size()));
}
BENCHMARK(BM_ComputeBillYear)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
