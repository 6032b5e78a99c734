#include "data/cost.hpp"

#include <algorithm>

namespace evtwin::viewer {

namespace {

// Energy cost of a constant power over [a, b), split at the tariff's price changes.
double integrate(const Tariff& tariff, double kw, std::int64_t a, std::int64_t b, bool import) {
    const double p = import ? std::max(kw, 0.0) : std::max(-kw, 0.0);
    if (p == 0.0 || b <= a) return 0.0;
    double money = 0.0;
    Time t(a);
    while (t.ms() < b) {
        const Time next = std::min(tariff.next_change(t), Time(b));
        const Time seg_end = next > t ? next : Time(b);  // a tariff that does not advance ends here
        const double price = import ? tariff.import_price(t) : tariff.export_price(t);
        money += energy_kwh(p, seg_end - t) * price;
        t = seg_end;
    }
    return money;
}

}  // namespace

CumulativeCost::CumulativeCost(const SiteColumns& site, const Tariff& tariff, Time end)
    : tariff_(&tariff), t_(site.t), grid_kw_(site.grid_kw), end_(end.ms()) {
    import_cost_.resize(t_.size() + 1, 0.0);
    export_revenue_.resize(t_.size() + 1, 0.0);
    for (std::size_t i = 0; i < t_.size(); ++i) {
        const std::int64_t a = std::min(t_[i], end_);
        const std::int64_t b = std::min(i + 1 < t_.size() ? t_[i + 1] : end_, end_);
        import_cost_[i + 1] = import_cost_[i] + integrate(tariff, grid_kw_[i], a, b, true);
        export_revenue_[i + 1] = export_revenue_[i] + integrate(tariff, grid_kw_[i], a, b, false);
    }
}

double CumulativeCost::accrue(std::size_t row, Time t, bool import) const {
    const auto& acc = import ? import_cost_ : export_revenue_;
    const std::int64_t a = std::min(t_[row], end_);
    const std::int64_t b = std::min(t.ms(), end_);
    return acc[row] + integrate(*tariff_, grid_kw_[row], a, b, import);
}

double CumulativeCost::import_cost_at(Time t) const {
    const std::size_t i = row_at(t_, t);
    return i == kNoRow ? 0.0 : accrue(i, t, true);
}

double CumulativeCost::export_revenue_at(Time t) const {
    const std::size_t i = row_at(t_, t);
    return i == kNoRow ? 0.0 : accrue(i, t, false);
}

std::vector<PriceBand> price_bands(const Tariff& tariff, Time from, Time to, std::size_t max_bands) {
    std::vector<PriceBand> out;
    if (to <= from || max_bands == 0) return out;
    Time t = from;
    while (t < to) {
        Time next = std::min(tariff.next_change(t), to);
        if (next <= t) next = to;
        const double price = tariff.import_price(t);
        if (!out.empty() && out.back().import_price == price)
            out.back().to = next;
        else if (out.size() == max_bands)
            out.back().to = next;
        else
            out.push_back({t, next, price});
        t = next;
    }
    return out;
}

}  // namespace evtwin::viewer
