#pragma once
// Money over time from the site's grid power and the run's stored tariff prices: the cumulative
// energy cost and export revenue (integrated exactly over the step series and the price changes, as
// the bill does) and the price bands over a window, for drawing behind the power plot.
#include "viewer/data/run_data.hpp"

#include <vector>

namespace evtwin::viewer {

class CumulativeCost {
public:
    CumulativeCost() = default;
    // Integrates site.grid_kw from the first row to `end` at `prices` (kept by reference: the
    // prices must outlive this, as the RunData that holds both does).
    CumulativeCost(const SiteColumns& site, const PriceColumns& prices, Time end);

    // Import cost and export revenue accrued over [first row, t].
    double import_cost_at(Time t) const;
    double export_revenue_at(Time t) const;
    double net_at(Time t) const { return import_cost_at(t) - export_revenue_at(t); }
    bool empty() const { return t_.empty(); }

private:
    double accrue(std::size_t row, Time t, bool import) const;
    const PriceColumns* prices_ = nullptr;
    std::vector<std::int64_t> t_;
    std::vector<double> grid_kw_;
    std::vector<double> import_cost_;     // accrued before row i
    std::vector<double> export_revenue_;  // accrued before row i
    std::int64_t end_ = 0;
};

struct PriceBand {
    Time from;
    Time to;
    double import_price = 0.0;
};

// Consecutive spans of constant import price covering [from, to) where prices are known, at most
// `max_bands` (the rest is merged into the last one).
std::vector<PriceBand> price_bands(const PriceColumns& prices, Time from, Time to,
                                   std::size_t max_bands = 2000);

}  // namespace evtwin::viewer
