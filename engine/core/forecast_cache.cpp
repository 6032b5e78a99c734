#include "core/forecast_cache.hpp"

#include <algorithm>

namespace evtwin {

ForecastCache::ForecastCache(const ScenarioSpec& spec)
    : spec_(spec),
      horizon_periods_(static_cast<std::size_t>(std::max<std::int64_t>(1, spec.forecast_horizon / spec.control_period))) {}

const ForecastCache::Values& ForecastCache::at(std::size_t period) {
    if (period >= values_.size()) {
        values_.resize(period + 1);
        known_.resize(period + 1, false);
    }
    if (!known_[period]) {
        const Time t = spec_.start + spec_.control_period * static_cast<std::int64_t>(period);
        Values v{spec_.tariff->import_price(t), spec_.tariff->export_price(t), 0.0, 0.0};
        for (const PvSpec& pv : spec_.pv) v.pv_kw += pv.kwp * pv.profile.value_at(t);
        for (const LoadSpec& load : spec_.loads) v.load_kw += load.kw.value_at(t);
        values_[period] = v;
        known_[period] = true;
    }
    return values_[period];
}

void ForecastCache::fill(Time now, Forecast& out) {
    const auto first = static_cast<std::size_t>(std::max<std::int64_t>(0, (now - spec_.start) / spec_.control_period));
    out.start = spec_.start + spec_.control_period * static_cast<std::int64_t>(first);
    out.step = spec_.control_period;
    out.import_price.resize(horizon_periods_);
    out.export_price.resize(horizon_periods_);
    out.pv_kw.resize(horizon_periods_);
    out.base_load_kw.resize(horizon_periods_);
    for (std::size_t k = 0; k < horizon_periods_; ++k) {
        const Values& v = at(first + k);
        out.import_price[k] = v.import_price;
        out.export_price[k] = v.export_price;
        out.pv_kw[k] = v.pv_kw;
        out.base_load_kw[k] = v.load_kw;
    }
}

}  // namespace evtwin
