#include "forecast/departure_forecast.hpp"

#include <algorithm>
#include <cmath>

namespace evtwin {
namespace {

double declared_stay_h(const SessionSpec& s) {
    return (s.declared_departure - s.arrival).hours_f();
}

}  // namespace

DepartureForecast::DepartureForecast(std::span<const SessionSpec> history, std::span<const SessionSpec> run) {
    for (const std::span<const SessionSpec> sessions : {history, run})
        for (const SessionSpec& s : sessions)
            if (declared_stay_h(s) > 0.0 && s.departure > s.arrival) by_departure_.push_back(&s);
    std::stable_sort(by_departure_.begin(), by_departure_.end(),
                     [](const SessionSpec* a, const SessionSpec* b) { return a->departure < b->departure; });
}

Time DepartureForecast::expected(const SessionSpec& s, Time now) {
    for (; learned_ < by_departure_.size() && by_departure_[learned_]->departure <= now; ++learned_) {
        const SessionSpec& left = *by_departure_[learned_];
        const double ratio = (left.departure - left.arrival).hours_f() / declared_stay_h(left);
        stay_ratios_.insert(std::upper_bound(stay_ratios_.begin(), stay_ratios_.end(), ratio), ratio);
    }
    const double declared_h = declared_stay_h(s);
    if (stay_ratios_.size() < kMinSamples || declared_h <= 0.0) return s.declared_departure;
    const auto survivors =
        std::lower_bound(stay_ratios_.begin(), stay_ratios_.end(), (now - s.arrival).hours_f() / declared_h);
    if (survivors == stay_ratios_.end()) return s.declared_departure;
    const auto rank = static_cast<std::ptrdiff_t>(
        std::llround(kQuantile * static_cast<double>(stay_ratios_.end() - survivors - 1)));
    return s.arrival + Duration(std::llround(survivors[rank] * declared_h * 3'600'000.0));
}

}  // namespace evtwin
