// Hold model: the queue holds N pending events; each step pops the earliest and schedules one at
// now + an exponential delay (mean 1 s, rounded to whole ms), which is the work the simulator does
// per event. Throughput is events processed per CPU second (events_per_s). The delays are drawn up
// front, so the benchmark measures the queue, not the random generator; BM_HoldModelStdPriorityQueue
// runs the same model on std::priority_queue of the same (time, seq, kind, target) records for
// context. See docs/benchmarks.md.
#include "core/event_queue.hpp"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <queue>
#include <random>
#include <vector>

namespace {

// 2^20 delays: more than the pending count of the largest case, so a popped event never gets back
// the delay it had when it was scheduled in the same order.
std::vector<std::int64_t> make_delays() {
    std::mt19937_64 rng(42);
    std::exponential_distribution<double> delay_ms(1.0 / 1000.0);
    std::vector<std::int64_t> delays(std::size_t{1} << 20);
    for (auto& d : delays) d = static_cast<std::int64_t>(std::llround(delay_ms(rng)));
    return delays;
}

const std::vector<std::int64_t>& delays() {
    static const std::vector<std::int64_t> d = make_delays();
    return d;
}

void report(benchmark::State& state) {
    state.SetItemsProcessed(state.iterations());
    state.counters["events_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_HoldModel(benchmark::State& state) {
    const auto pending = static_cast<std::size_t>(state.range(0));
    const std::vector<std::int64_t>& d = delays();
    const std::size_t mask = d.size() - 1;

    evtwin::EventQueue q;
    q.reserve(pending + 1);
    std::size_t next_delay = 0;
    for (std::size_t i = 0; i < pending; ++i)
        q.schedule(evtwin::Time(d[next_delay++ & mask]), 0, static_cast<std::uint32_t>(i));
    for (auto _ : state) {
        const evtwin::Event e = q.pop();
        q.schedule(e.time + evtwin::Duration(d[next_delay++ & mask]), e.kind, e.target);
    }
    benchmark::DoNotOptimize(q.next_time());
    report(state);
}

struct Later {
    bool operator()(const evtwin::Event& a, const evtwin::Event& b) const {
        return a.time > b.time || (a.time == b.time && a.seq > b.seq);
    }
};

void BM_HoldModelStdPriorityQueue(benchmark::State& state) {
    const auto pending = static_cast<std::size_t>(state.range(0));
    const std::vector<std::int64_t>& d = delays();
    const std::size_t mask = d.size() - 1;

    std::vector<evtwin::Event> storage;
    storage.reserve(pending + 1);
    std::priority_queue<evtwin::Event, std::vector<evtwin::Event>, Later> q(Later{}, std::move(storage));
    std::uint64_t seq = 0;
    std::size_t next_delay = 0;
    for (std::size_t i = 0; i < pending; ++i)
        q.push(evtwin::Event{evtwin::Time(d[next_delay++ & mask]), seq++, 0, static_cast<std::uint32_t>(i)});
    for (auto _ : state) {
        const evtwin::Event e = q.top();
        q.pop();
        q.push(evtwin::Event{e.time + evtwin::Duration(d[next_delay++ & mask]), seq++, e.kind, e.target});
    }
    benchmark::DoNotOptimize(q.top());
    report(state);
}

BENCHMARK(BM_HoldModel)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_HoldModelStdPriorityQueue)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);

}  // namespace

BENCHMARK_MAIN();
