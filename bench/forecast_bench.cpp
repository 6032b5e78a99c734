// One forecast (every quantile, 24 h ahead, hourly) by each forecaster: the naive ones always, the
// learned ones named in $EVTWIN_BENCH_FORECASTERS (e.g. "lstm:pv_lstm.pt,tft:pv_tft.pt", the
// models bench/forecast_report.sh trains). Target: under 1 ms.
#include "core/forecaster_loader.hpp"
#include "forecast/series.hpp"
#include "forecast/forecaster_choice.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

namespace evtwin {
namespace {

const ForecastSeries& pv_series() {
    static const ForecastSeries s = read_forecast_series("pv/pv_netherlands_2019_hourly.csv", ForecastTarget::pv, Duration::hours(1));
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

const int registered = [] {
    std::string specs = "persistence,seasonal_naive";
    if (const char* more = std::getenv("EVTWIN_BENCH_FORECASTERS"); more != nullptr && *more != '\0')
        specs += std::string(",") + more;
    std::size_t from = 0;
    while (from <= specs.size()) {
        const std::size_t at = specs.find(',', from);
        const std::string spec = specs.substr(from, at - from);
        if (!spec.empty())
            benchmark::RegisterBenchmark(("forecast/" + spec).c_str(), [spec](benchmark::State& s) { forecast_once(s, spec); })
                ->Unit(benchmark::kMicrosecond);
        if (at == std::string::npos) break;
        from = at + 1;
    }
    return 0;
}();

}  // namespace
}  // namespace evtwin

BENCHMARK_MAIN();
