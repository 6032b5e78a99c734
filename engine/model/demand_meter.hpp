#pragma once
// Demand as a tariff bills it: the average import over demand intervals aligned to the billing
// period's start (to the epoch for an unbounded period, as compute_bill does), and the billing
// period's peak of those averages, charged at the rate the period opened with (as compute_bill
// charges it). Fed with the grid power held over consecutive spans of time.
#include "model/tariff.hpp"

#include <evtwin/observation.hpp>

namespace evtwin {

class DemandMeter {
public:
    explicit DemandMeter(const Tariff& tariff) : tariff_(tariff) {}

    // Integrates `grid_kw` (export counts as no import) held over [a, b), closing every interval
    // that ends by b. Returns the demand charge that the closed intervals added: rate x the rise of
    // the billing period's peak.
    double accrue(Time a, Time b, double grid_kw);
    // Closes the interval in progress, averaged over its full length; returns the charge it added.
    double close_interval();

    bool metered() const { return tariff_.demand_interval().ms() > 0; }
    // What a strategy sees of it at `t` (all zero when the tariff meters no demand).
    DemandView view(Time t) const;
    double peak_kw() const { return peak_kw_; }
    bool interval_open() const { return open_; }
    Time interval_start() const { return interval_start_; }
    double interval_kwh() const { return interval_kwh_; }
    BillingPeriod period() const { return period_; }

private:
    void open_interval(Time t);

    const Tariff& tariff_;
    Time interval_start_;
    Time interval_end_;
    double interval_kwh_ = 0.0;
    BillingPeriod period_{Time::min(), Time::max()};
    bool period_known_ = false;  // period_ is one the tariff gave
    double period_rate_ = 0.0;   // its demand charge per kW, as at the instant the meter opened it
    double peak_kw_ = 0.0;
    bool open_ = false;
};

}  // namespace evtwin
