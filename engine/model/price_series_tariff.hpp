#pragma once
// A tariff from a price series (e.g. hourly day-ahead market prices): price[i] holds on
// [t[i], t[i+1]), the last one until `end`. Billing periods are local calendar months.
#include "model/export_pricing.hpp"
#include "model/local_time.hpp"
#include "model/tariff.hpp"

#include <string>
#include <vector>

namespace evtwin {

struct PriceSeries {
    std::string name;
    std::string currency;
    std::string timezone = "UTC";  // for billing months
    std::vector<Time> t;           // strictly increasing
    std::vector<double> price;     // per kWh imported; may be negative (market prices)
    Time end;                      // exclusive end of the last price
    double demand_charge_per_kw = 0.0;
    Duration demand_interval = Duration::minutes(15);
    ExportPricing export_pricing;
};

class PriceSeriesTariff final : public Tariff {
public:
    // Throws std::invalid_argument when the series is empty, unsorted or not finite.
    explicit PriceSeriesTariff(PriceSeries series);

    std::string name() const override { return series_.name; }
    std::string currency() const override { return series_.currency; }
    // Outside the coverage the nearest price holds (so a forecast may look past the data); bills
    // refuse periods outside it.
    double import_price(Time t) const override;
    double export_price(Time t) const override;
    Time next_change(Time t) const override;
    double demand_charge_per_kw(Time) const override { return series_.demand_charge_per_kw; }
    BillingPeriod billing_period(Time t) const override;
    Duration demand_interval() const override { return series_.demand_interval; }
    BillingPeriod coverage() const override { return {series_.t.front(), series_.end}; }

    const PriceSeries& series() const { return series_; }

private:
    std::size_t index(Time t) const;

    PriceSeries series_;
    TimeZone zone_;
    std::vector<std::size_t> next_different_;  // first later index with another price; size() if none
};

}  // namespace evtwin
