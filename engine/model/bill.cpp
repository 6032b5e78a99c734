#include "model/bill.hpp"

#include "model/local_time.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

// The bill is one sweep over the union of breakpoints: power steps, price changes, demand-interval
// ends and billing-period ends. Between two breakpoints power and prices are constant, so energy
// and money are exact products, and the work is O(steps + price changes + demand intervals).
//
// Conventions:
//  - Demand is the average import (export counts as zero) over fixed demand intervals aligned to the
//    billing period start. An interval cut by the run's start or end is averaged over its full
//    length (nothing was imported outside the run).
//  - Every billing period the run touches is billed the full monthly demand rate, even when the run
//    covers only part of it; the rate is the one in force at the first instant of the run in it.

namespace evtwin {

std::string missing_prices(const Tariff& tariff, Time start, Time end, std::string_view span) {
    const BillingPeriod prices = tariff.coverage();
    if (start >= prices.start && end <= prices.end) return {};
    return "has prices from " + format_utc(prices.start) + " to " + format_utc(prices.end) + ", not for " +
           std::string(span) + " " + format_utc(start) + " to " + format_utc(end);
}

Bill compute_bill(const Tariff& tariff, std::span<const PowerStep> grid, Time start, Time end) {
    if (end < start)
        throw std::invalid_argument("compute_bill: end " + format_utc(end) + " is before start " +
                                    format_utc(start));
    for (std::size_t i = 0; i < grid.size(); ++i) {
        if (!std::isfinite(grid[i].kw))
            throw std::invalid_argument("compute_bill: power step " + std::to_string(i) + " is not finite");
        if (i > 0 && grid[i].t < grid[i - 1].t)
            throw std::invalid_argument("compute_bill: power steps out of order at step " +
                                        std::to_string(i) + " (" + format_utc(grid[i].t) + ")");
    }
    if (const std::string gap = missing_prices(tariff, start, end, "the bill"); !gap.empty())
        throw std::out_of_range("compute_bill: tariff '" + tariff.name() + "' " + gap);

    Bill bill;
    if (end == start) return bill;

    const Duration interval = tariff.demand_interval();
    // Power in force at `start`: the last step at or before it (several at one instant: the last).
    std::size_t next_step =
        static_cast<std::size_t>(std::upper_bound(grid.begin(), grid.end(), start,
                                                  [](Time t, const PowerStep& s) { return t < s.t; }) -
                                 grid.begin());
    double kw = next_step > 0 ? grid[next_step - 1].kw : 0.0;

    Time t = start;
    double import_price = tariff.import_price(t);
    double export_price = tariff.export_price(t);
    Time price_change = tariff.next_change(t);

    PeriodBill period;
    Time interval_start;
    Time interval_end;
    double interval_kwh = 0.0;
    auto open_period = [&](Time at) {
        period = PeriodBill{};
        period.period = tariff.billing_period(at);
        period.demand_charge = tariff.demand_charge_per_kw(at);  // the rate, until the period closes
        interval_start = demand_interval_start(at, period.period, interval);
        interval_end = std::min(interval_start + interval, period.period.end);
        interval_kwh = 0.0;
    };
    auto close_interval = [&]() {
        const double hours = (interval_end - interval_start).hours_f();
        period.peak_demand_kw = std::max(period.peak_demand_kw, interval_kwh / hours);
        interval_kwh = 0.0;
    };
    auto close_period = [&]() {
        const double rate = period.demand_charge;
        period.demand_charge = rate * period.peak_demand_kw;
        bill.demand_charge += period.demand_charge;
        bill.periods.push_back(period);
    };
    open_period(t);

    while (t < end) {
        const Time step_at = next_step < grid.size() ? grid[next_step].t : Time::max();
        const Time next = std::min({end, step_at, price_change, interval_end});
        const double h = (next - t).hours_f();
        if (kw > 0.0) {
            const double kwh = kw * h;
            bill.import_kwh += kwh;
            bill.energy_cost += kwh * import_price;
            interval_kwh += kwh;
            bill.peak_import_kw = std::max(bill.peak_import_kw, kw);
        } else if (kw < 0.0) {
            const double kwh = -kw * h;
            bill.export_kwh += kwh;
            bill.export_revenue += kwh * export_price;
        }
        t = next;
        while (next_step < grid.size() && grid[next_step].t <= t) kw = grid[next_step++].kw;
        if (t == price_change && t < end) {
            import_price = tariff.import_price(t);
            export_price = tariff.export_price(t);
            price_change = tariff.next_change(t);
            if (price_change <= t)
                throw std::logic_error("compute_bill: tariff '" + tariff.name() +
                                       "' next_change did not advance at " + format_utc(t));
        }
        if (t == interval_end || t == end) {
            close_interval();
            if (t == period.period.end || t == end) {
                close_period();
                if (t < end) open_period(t);
            } else {
                interval_start = interval_end;
                interval_end = std::min(interval_start + interval, period.period.end);
            }
        }
    }
    return bill;
}

}  // namespace evtwin
