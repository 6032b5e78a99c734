#pragma once
// Money over time from the site's grid power and the run's tariff: the cumulative energy cost and
// export revenue (integrated exactly over the step series and the tariff's price changes, as
// compute_bill does) and the tariff's price bands over a window, for drawing behind the power plot.
#include "data/run_data.hpp"
#include "model/tariff.hpp"

#include <vector>

namespace evtwin::viewer {

class CumulativeCost {
public:
    CumulativeCost() = default;
    // Integrates site.grid_kw from the first row to `end`.
    CumulativeCost(const SiteColumns& site, const Tariff& tariff, Time end);

    // Import cost and export revenue accrued over [first row, t].
    double import_cost_at(Time t) const;
    double export_revenue_at(Time t) const;
    double net_at(Time t) const { return import_cost_at(t) - export_revenue_at(t); }
    bool empty() const { return t_.empty(); }

private:
    double accrue(std::size_t row, Time t, bool import) const;
    const Tariff* tariff_ = nullptr;  // only for the partial row at t; outlives this (owned by the app)
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

// Consecutive spans of constant import price covering [from, to), at most `max_bands` (the rest is
// merged into the last one).
std::vector<PriceBand> price_bands(const Tariff& tariff, Time from, Time to, std::size_t max_bands = 2000);

}  // namespace evtwin::viewer
