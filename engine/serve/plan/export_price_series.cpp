#include "serve/plan/export_price_series.hpp"

#include <algorithm>

namespace evtwin::serve {

ExportPriceSeriesTariff::ExportPriceSeriesTariff(std::shared_ptr<const Tariff> base, StepSeries export_prices)
    : base_(std::move(base)), export_prices_(std::move(export_prices)) {
    if (!export_prices_.empty()) export_prices_.before = export_prices_.v.front();
}

Time ExportPriceSeriesTariff::next_change(Time t) const {
    return std::min(base_->next_change(t), export_prices_.next_change_after(t));
}

}  // namespace evtwin::serve
