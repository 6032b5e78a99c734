// Hold model: the queue holds N pending events; each step pops the earliest and schedules one at
// now + an exponential delay (mean 1 s). Throughput is events processed per second.
#include "core/event_queue.hpp"

#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

namespace {

void BM_HoldModel(benchmark::State& state) {
    const auto pending = static_cast<std::size_t>(state.range(0));
    std::mt19937_64 rng(42);
    std::exponential_distribution<double> delay_ms(1.0 / 1000.0);
    // Delays drawn up front so the benchmark measures the queue, not the random generator.
    std::vector<std::int64_t> delays(1 << 20);
    for (auto& d : delays) d = static_cast<std::int64_t>(std::llround(delay_ms(rng)));

    evtwin::EventQueue q;
    q.reserve(pending + 1);
    std::size_t next_delay = 0;
    for (std::size_t i = 0; i < pending; ++i)
        q.schedule(evtwin::Time(delays[next_delay++ & (delays.size() - 1)]), 0, static_cast<std::uint32_t>(i));
    for (auto _ : state) {
        const evtwin::Event e = q.pop();
        q.schedule(e.time + evtwin::Duration(delays[next_delay++ & (delays.size() - 1)]), e.kind, e.target);
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["events_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_HoldModel)->Arg(1'000)->Arg(100'000)->Arg(1'000'000)->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
