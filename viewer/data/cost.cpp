#include "viewer/data/cost.hpp"

#include <algorithm>

namespace evtwin::viewer {

namespace {

// Money for a constant power over [a, b), split at the price changes; nothing where no price is
// known (before the first row).
double integrate(const PriceColumns& prices, double kw, std::int64_t a, std::int64_t b, bool import) {
    const double p = import ? std::max(kw, 0.0) : std::max(-kw, 0.0);
    if (p == 0.0 || b <= a) return 0.0;
    const std::vector<double>& price = import ? prices.import_price : prices.export_price;
    std::size_t i = row_at(prices.t, Time(a));
    double money = 0.0;
    for (std::int64_t t = a; t < b;) {
        const std::size_t next = i == kNoRow ? 0 : i + 1;
        const std::int64_t seg_end = next < prices.t.size() ? std::min(prices.t[next], b) : b;
        if (i != kNoRow) money += energy_kwh(p, Duration(seg_end - t)) * price[i];
        t = seg_end;
        i = next;
    }
    return money;
}

}  // namespace

CumulativeCost::CumulativeCost(const SiteColumns& site, const PriceColumns& prices, Time end)
    : prices_(&prices), t_(site.t), grid_kw_(site.grid_kw), end_(end.ms()) {
    import_cost_.resize(t_.size() + 1, 0.0);
    export_revenue_.resize(t_.size() + 1, 0.0);
    for (std::size_t i = 0; i < t_.size(); ++i) {
        const std::int64_t a = std::min(t_[i], end_);
        const std::int64_t b = std::min(i + 1 < t_.size() ? t_[i + 1] : end_, end_);
        import_cost_[i + 1] = import_cost_[i] + integrate(prices, grid_kw_[i], a, b, true);
        export_revenue_[i + 1] = export_revenue_[i] + integrate(prices, grid_kw_[i], a, b, false);
    }
}

double CumulativeCost::accrue(std::size_t row, Time t, bool import) const {
    const auto& acc = import ? import_cost_ : export_revenue_;
    const std::int64_t a = std::min(t_[row], end_);
    const std::int64_t b = std::min(t.ms(), end_);
    return acc[row] + integrate(*prices_, grid_kw_[row], a, b, import);
}

double CumulativeCost::import_cost_at(Time t) const {
    const std::size_t i = row_at(t_, t);
    return i == kNoRow ? 0.0 : accrue(i, t, true);
}

double CumulativeCost::export_revenue_at(Time t) const {
    const std::size_t i = row_at(t_, t);
    return i == kNoRow ? 0.0 : accrue(i, t, false);
}

std::vector<PriceBand> price_bands(const PriceColumns& prices, Time from, Time to, std::size_t max_bands) {
    std::vector<PriceBand> out;
    if (to <= from || max_bands == 0 || prices.empty()) return out;
    std::size_t i = row_at(prices.t, from);
    if (i == kNoRow) {  // no price before the first row
        i = 0;
        from = std::max(from, Time(prices.t[0]));
    }
    for (Time t = from; t < to; ++i) {
        const Time next = i + 1 < prices.t.size() ? std::min(Time(prices.t[i + 1]), to) : to;
        const double price = prices.import_price[i];
        if (!out.empty() && (out.back().import_price == price || out.size() == max_bands))
            out.back().to = next;
        else
            out.push_back({t, next, price});
        t = next;
    }
    return out;
}

}  // namespace evtwin::viewer
