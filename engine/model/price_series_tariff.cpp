#include "model/price_series_tariff.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evtwin {

PriceSeriesTariff::PriceSeriesTariff(PriceSeries series)
    : series_(std::move(series)), zone_(series_.timezone) {
    const auto& s = series_;
    if (s.t.empty() || s.t.size() != s.price.size())
        throw std::invalid_argument("price series '" + s.name +
                                    "': no prices, or times and prices differ in count");
    for (std::size_t i = 0; i < s.t.size(); ++i) {
        if (i > 0 && s.t[i] <= s.t[i - 1])
            throw std::invalid_argument("price series '" + s.name + "': times must be strictly increasing");
        if (!std::isfinite(s.price[i]))
            throw std::invalid_argument("price series '" + s.name + "': price not finite");
    }
    if (s.end <= s.t.back())
        throw std::invalid_argument("price series '" + s.name + "': end must follow the last time");
    if (!divides_an_hour(s.demand_interval))
        throw std::invalid_argument("price series '" + s.name + "': the demand interval must divide an hour");
    next_different_.resize(s.t.size());
    std::size_t next = s.t.size();
    for (std::size_t i = s.t.size(); i-- > 0;) {
        next_different_[i] = next;
        if (i > 0 && s.price[i - 1] != s.price[i]) next = i;
    }
}

std::size_t PriceSeriesTariff::index(Time t) const {
    const auto it = std::upper_bound(series_.t.begin(), series_.t.end(), t);
    return it == series_.t.begin() ? 0 : static_cast<std::size_t>(it - series_.t.begin()) - 1;
}

double PriceSeriesTariff::import_price(Time t) const {
    return series_.price[index(t)];
}

double PriceSeriesTariff::export_price(Time t) const {
    return series_.export_pricing.price(import_price(t));
}

Time PriceSeriesTariff::next_change(Time t) const {
    if (t < series_.t.front()) {
        // The first price holds before the data, so the first change is the first later difference.
        const std::size_t n = next_different_[0];
        return n == series_.t.size() ? Time::max() : series_.t[n];
    }
    const std::size_t n = next_different_[index(t)];
    return n == series_.t.size() ? Time::max() : series_.t[n];
}

BillingPeriod PriceSeriesTariff::billing_period(Time t) const {
    const TimeRange month = zone_.local_month(t);
    return {month.start, month.end};
}

}  // namespace evtwin
