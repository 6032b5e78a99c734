#include "forecast/forecast_answer.hpp"

#include "data/number_range.hpp"

#include <evtwin/errors.hpp>

#include <cmath>
#include <cstdio>
#include <string>

namespace evtwin {
namespace {

double most_of(ForecastTarget t, std::size_t c) {
    if (t != ForecastTarget::demand) return kLargestNumber;
    return c == kDemandArrivals ? 1000.0 : c == kDemandStay ? kMostHours : kLargestNumber;
}

const char* channel_in_words(ForecastTarget t, std::size_t c) {
    if (t == ForecastTarget::pv) return "PV kW";
    if (t == ForecastTarget::load) return "load kW";
    return c == kDemandArrivals ? "arrivals" : c == kDemandEnergy ? "energy kWh" : "stay h";
}

}  // namespace

void check_forecast_answer(std::string_view forecaster, ForecastTarget target, std::size_t horizon,
                           const ForecastOutput& out) {
    const std::size_t size = horizon * channel_count(target);
    const auto refuse = [&](const std::string& what) {
        throw PluginError("forecaster '" + std::string(forecaster) + "' answered " + what);
    };
    for (const auto* q : {&out.p10, &out.p50, &out.p90}) {
        if (q->size() != size)
            refuse(std::to_string(q->size()) + " values, " + std::to_string(size) + " expected");
        for (std::size_t i = 0; i < size; ++i) {
            const std::size_t c = i / horizon;
            const double most = most_of(target, c);
            if (!(std::abs((*q)[i]) <= most)) {
                char text[160];
                std::snprintf(text, sizeof text, "%g %s at step %zu; expected a number within +-%g", (*q)[i],
                              channel_in_words(target, c), i % horizon, most);
                refuse(text);
            }
        }
    }
    for (std::size_t i = 0; i < size; ++i)
        if (!(out.p10[i] <= out.p50[i] && out.p50[i] <= out.p90[i])) {
            char text[200];
            std::snprintf(text, sizeof text,
                          "P10 %g, P50 %g, P90 %g %s at step %zu; expected P10 <= P50 <= P90", out.p10[i],
                          out.p50[i], out.p90[i], channel_in_words(target, i / horizon), i % horizon);
            refuse(text);
        }
}

}  // namespace evtwin
