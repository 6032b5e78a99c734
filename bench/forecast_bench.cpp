// One forecast (every quantile, 24 h ahead, hourly) by each naive forecaster, loaded as the engine
// loads it; bench/forecast_learned/ times the learned ones.
#include "forecast/forecaster_choice.hpp"
#include "forecast/series.hpp"
#include "host/forecaster_loader.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace evtwin {
namespace {

const ForecastSeries& pv_series() {
    static const ForecastSeries s =
        read_forecast_series("pv/pv_netherlands_2019_hourly.csv", ForecastTarget::pv, Duration::hours(1));
    return s;
}

void forecast_once(benchmark::State& state, const std::string& spec) {
    const ForecasterChoice choice = parse_forecaster_choice(spec);
    ForecasterHandle f = load_forecaster(choice.name, ForecastTarget::pv, choice.options);
    const ForecastNeeds needs = f->needs();
    ForecastInputBuffers buffers;
    const ForecastInput in = input_at(pv_series(), 24 * 280, needs.history_steps, 24, buffers);
    ForecastOutput out;
    for (auto* q : {&out.p10, &out.p50, &out.p90}) q->assign(24, 0.0);
    for (auto _ : state) {
        f->forecast(in, out);
        benchmark::DoNotOptimize(out.p50.data());
    }
}

void persistence(benchmark::State& state) {
    forecast_once(state, "persistence");
}
void seasonal_naive(benchmark::State& state) {
    forecast_once(state, "seasonal_naive");
}
BENCHMARK(persistence)->Unit(benchmark::kMicrosecond);
BENCHMARK(seasonal_naive)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace evtwin

BENCHMARK_MAIN();
