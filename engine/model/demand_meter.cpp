#include "model/demand_meter.hpp"

#include <algorithm>

namespace evtwin {

void DemandMeter::open_interval(Time t) {
    const Duration interval = tariff_.demand_interval();
    // Billing periods do not overlap: the one the last interval was in holds t when it contains it.
    const bool same_period = period_known_ && period_.start <= t && t < period_.end;
    const BillingPeriod period = same_period ? period_ : tariff_.billing_period(t);
    if (!same_period) {
        peak_kw_ = 0.0;
        period_rate_ = tariff_.demand_charge_per_kw(t);
    }
    period_ = period;
    period_known_ = true;
    interval_start_ = demand_interval_start(t, period, interval);
    interval_end_ = std::min(interval_start_ + interval, period.end);
    interval_kwh_ = 0.0;
    open_ = true;
}

double DemandMeter::accrue(Time a, Time b, double grid_kw) {
    if (!metered()) return 0.0;
    const double import_kw = std::max(0.0, grid_kw);
    double added = 0.0;
    for (Time t = a; t < b;) {
        if (!open_ || t >= interval_end_) {
            added += close_interval();
            open_interval(t);
        }
        const Time next = std::min(b, interval_end_);
        interval_kwh_ += import_kw * (next - t).hours_f();
        t = next;
    }
    if (open_ && b >= interval_end_) added += close_interval();  // so a span ending on it sees it
    return added;
}

double DemandMeter::close_interval() {
    if (!open_) return 0.0;
    open_ = false;
    const double demand_kw = interval_kwh_ / tariff_.demand_interval().hours_f();
    if (demand_kw <= peak_kw_) return 0.0;
    const double added = period_rate_ * (demand_kw - peak_kw_);
    peak_kw_ = demand_kw;
    return added;
}

DemandView DemandMeter::view(Time t) const {
    DemandView d;
    if (!metered()) return d;
    d.interval = tariff_.demand_interval();
    d.peak_kw = peak_kw_;
    d.interval_start = open_ ? interval_start_ : t;
    d.interval_kwh = open_ ? interval_kwh_ : 0.0;
    // Billing periods do not overlap: the last one the meter opened an interval in still holds t when
    // it contains t. A period not opened yet opens at t, at the rate there.
    const bool in_period = open_ || (period_known_ && period_.start <= t && t < period_.end);
    d.period_end = in_period ? period_.end : tariff_.billing_period(t).end;
    d.rate_per_kw = in_period ? period_rate_ : tariff_.demand_charge_per_kw(t);
    return d;
}

}  // namespace evtwin
