#pragma once
// The bill of a grid connection over [start, end), computed exactly from a piecewise-constant
// import series and a tariff.
#include "model/tariff.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace evtwin {

// Power `kw` (positive: import, negative: export) holds from `t` until the next step or `end`.
struct PowerStep {
    Time t;
    double kw;
};

struct PeriodBill {
    BillingPeriod period;
    double peak_demand_kw = 0.0;  // highest average import over one demand interval
    double demand_charge = 0.0;
};

struct Bill {
    double import_kwh = 0.0;
    double export_kwh = 0.0;
    double energy_cost = 0.0;     // sum of import kWh x import price
    double export_revenue = 0.0;  // sum of export kWh x export price
    double demand_charge = 0.0;   // sum over billing periods of peak x rate
    double peak_import_kw = 0.0;  // highest instantaneous import
    std::vector<PeriodBill> periods;
    double total() const { return energy_cost - export_revenue + demand_charge; }
};

Bill compute_bill(const Tariff& tariff, std::span<const PowerStep> grid, Time start, Time end);

// Why `tariff` cannot price `start` to `end`: "has prices from A to B, not for <span> START to END";
// empty when it has prices for all of it (Tariff::coverage).
std::string missing_prices(const Tariff& tariff, Time start, Time end, std::string_view span);

}  // namespace evtwin
