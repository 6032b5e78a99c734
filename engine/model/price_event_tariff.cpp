#include "model/price_event_tariff.hpp"

#include <algorithm>

namespace evtwin {

PriceEventTariff::PriceEventTariff(std::shared_ptr<const Tariff> base) : base_(std::move(base)) {}

double PriceEventTariff::import_price(Time t) const {
    double price = base_->import_price(t);
    for (const PriceSpike& s : spikes_)
        if (s.start <= t && t < s.end) price = s.price ? *s.price : price * s.factor;
    return price;
}

Time PriceEventTariff::next_change(Time t) const {
    Time next = base_->next_change(t);
    for (const PriceSpike& s : spikes_) {
        if (s.start > t) next = std::min(next, s.start);
        if (s.end > t) next = std::min(next, s.end);
    }
    return next;
}

}  // namespace evtwin
