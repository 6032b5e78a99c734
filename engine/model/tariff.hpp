#pragma once
// A grid tariff: what imported energy costs, what exported energy earns, and the demand charge.
// Prices are piecewise constant in time; next_change() lets callers integrate cost exactly.
#include <evtwin/time.hpp>

#include <string>

namespace evtwin {

struct BillingPeriod {
    Time start;
    Time end;  // exclusive
};

// The start of the demand interval that contains `t`: intervals are laid end to end from the billing
// period's start, or from the epoch when the period is unbounded (starts at Time::min()).
inline Time demand_interval_start(Time t, const BillingPeriod& period, Duration interval) {
    const Time origin = period.start == Time::min() ? Time(0) : period.start;
    const std::int64_t offset = (t - origin).ms();
    const std::int64_t k = offset / interval.ms() - (offset % interval.ms() < 0 ? 1 : 0);
    return origin + interval * k;
}

// Demand intervals divide an hour, so that intervals laid from a billing month's start stay on the
// clock's quarter or half hours through every day, 23- and 25-hour days included.
inline bool divides_an_hour(Duration interval) {
    return interval > Duration(0) && Duration::hours(1) % interval == Duration(0);
}

class Tariff {
public:
    virtual ~Tariff() = default;

    virtual std::string name() const = 0;
    virtual std::string currency() const = 0;  // e.g. "KRW", "USD", "EUR"

    // Price per kWh imported / paid per kWh exported, at instant t.
    virtual double import_price(Time t) const = 0;
    virtual double export_price(Time t) const = 0;
    // First instant after t where import or export price may change; Time::max() if never.
    virtual Time next_change(Time t) const = 0;

    // Demand charge: rate per kW of the billing period's peak demand, where demand is the
    // average import over a demand interval (e.g. 15 min). Zero rate when the tariff has none.
    virtual double demand_charge_per_kw(Time t) const = 0;
    virtual BillingPeriod billing_period(Time t) const = 0;
    virtual Duration demand_interval() const = 0;

    // The instants the tariff has prices for (a price series covers its data; a time-of-use table
    // its effective dates). compute_bill refuses a period outside it.
    virtual BillingPeriod coverage() const { return {Time::min(), Time::max()}; }
};

}  // namespace evtwin
