// Local time of a site: TimeZone::to_local (tariff bands, arrival slots, billing months call it per
// event) and utc_offset, one call every 31.5 s across 2016 in Amsterdam (two DST changes).
#include "model/local_time.hpp"

#include <benchmark/benchmark.h>

namespace evtwin {
namespace {

constexpr std::int64_t k2016Ms = 1'451'606'400'000;  // 2016-01-01T00:00Z

void BM_ToLocal(benchmark::State& state) {
    const TimeZone zone("Europe/Amsterdam");
    std::int64_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(zone.to_local(Time(k2016Ms + (i++ % 1'000'000) * 31'536)).hour);
    }
}
BENCHMARK(BM_ToLocal);

void BM_UtcOffset(benchmark::State& state) {
    const TimeZone zone("Europe/Amsterdam");
    std::int64_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(zone.utc_offset(Time(k2016Ms + (i++ % 1'000'000) * 31'536)).ms());
    }
}
BENCHMARK(BM_UtcOffset);

}  // namespace
}  // namespace evtwin

BENCHMARK_MAIN();
