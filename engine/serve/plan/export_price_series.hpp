#pragma once
// A tariff whose export price is given per step of the plan (POST /v1/plans's
// `tariff.export_prices`), over another tariff that sets everything else. The price of the first
// step holds before the plan, the last one's after it.
#include "model/step_series.hpp"
#include "model/tariff.hpp"

#include <memory>

namespace evtwin::serve {

class ExportPriceSeriesTariff final : public Tariff {
public:
    ExportPriceSeriesTariff(std::shared_ptr<const Tariff> base, StepSeries export_prices);

    std::string name() const override { return base_->name(); }
    std::string currency() const override { return base_->currency(); }
    double import_price(Time t) const override { return base_->import_price(t); }
    double export_price(Time t) const override { return export_prices_.value_at(t); }
    Time next_change(Time t) const override;
    double demand_charge_per_kw(Time t) const override { return base_->demand_charge_per_kw(t); }
    BillingPeriod billing_period(Time t) const override { return base_->billing_period(t); }
    Duration demand_interval() const override { return base_->demand_interval(); }
    BillingPeriod coverage() const override { return base_->coverage(); }

private:
    std::shared_ptr<const Tariff> base_;
    StepSeries export_prices_;
};

}  // namespace evtwin::serve
