// One learned forecast, all quantiles, a day ahead from four weeks of hourly history, the last week
// of it read by the network (the day-ahead setting), through the forecaster as the engine calls it: features,
// network, output. Weights are untrained (the time does not depend on them). Target (issue 19): < 1 ms per
// forecast.
#include "plugins/forecast/learned/learned_forecaster.hpp"
#include "plugins/forecast/learned/trainer.hpp"

#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

namespace evtwin::forecast_learned {
namespace {

void forecast(benchmark::State& state, const std::string& kind, ForecastTarget target) {
    set_threads(1);
    constexpr std::size_t network_history = 168, h = 672, f = 24;
    ModelFile m;
    m.header.hyper.kind = kind;
    m.header.layout = make_layout(target, Duration::hours(1), network_history, f, h);
    m.header.scaling.channel.assign(channel_count(target), 10.0);
    m.weights = Network(m.header, 1).save_weights();
    LearnedForecaster forecaster(target, m, "bench");

    std::vector<double> history(h * channel_count(target));
    for (std::size_t i = 0; i < history.size(); ++i)
        history[i] = 5.0 + 5.0 * std::sin(0.26 * static_cast<double>(i));
    std::vector<CalendarStep> calendar(h + f);
    for (std::size_t i = 0; i < calendar.size(); ++i)
        calendar[i] = {static_cast<float>(i % 24), static_cast<std::uint8_t>(i / 24 % 7), false};
    std::vector<double> prices(h + f, 0.2);
    ForecastInput in;
    in.target = target;
    in.origin = Time(1'704'067'200'000);
    in.step = Duration::hours(1);
    in.history_steps = h;
    in.horizon_steps = f;
    in.history = history;
    in.known_from = Time(0);
    in.calendar = calendar;
    in.import_price = prices;
    ForecastOutput out;
    for (auto _ : state) {
        forecaster.forecast(in, out);
        benchmark::DoNotOptimize(out.p50.data());
    }
}

BENCHMARK_CAPTURE(forecast, lstm_pv, std::string("lstm"), ForecastTarget::pv)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(forecast, tft_pv, std::string("tft"), ForecastTarget::pv)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(forecast, lstm_demand, std::string("lstm"), ForecastTarget::demand)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(forecast, tft_demand, std::string("tft"), ForecastTarget::demand)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace evtwin::forecast_learned

BENCHMARK_MAIN();
