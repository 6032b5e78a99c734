#pragma once
// A tariff with price events added while a run unfolds (a hook's site.price_spike): each window
// multiplies the wrapped tariff's import price by a factor, or replaces it. The bill is computed
// after the run from this same object, so it includes the spikes. The simulator clears the windows
// when a run starts; runs of one spec must therefore not overlap in time (they do not: evtwin run
// and compare simulate one run after the other, each computing its KPIs before the next starts).
#include "model/scenario_script.hpp"
#include "model/tariff.hpp"

#include <memory>
#include <vector>

namespace evtwin {

class PriceEventTariff : public Tariff {
public:
    explicit PriceEventTariff(std::shared_ptr<const Tariff> base);

    void clear() { spikes_.clear(); }
    // Windows apply in the order added (a later one acts on the price an earlier one made).
    void add(const PriceSpike& spike) { spikes_.push_back(spike); }
    const std::vector<PriceSpike>& spikes() const { return spikes_; }
    const Tariff& base() const { return *base_; }

    std::string name() const override { return base_->name(); }
    std::string currency() const override { return base_->currency(); }
    double import_price(Time t) const override;
    double export_price(Time t) const override { return base_->export_price(t); }
    Time next_change(Time t) const override;
    double demand_charge_per_kw(Time t) const override { return base_->demand_charge_per_kw(t); }
    BillingPeriod billing_period(Time t) const override { return base_->billing_period(t); }
    Duration demand_interval() const override { return base_->demand_interval(); }
    BillingPeriod coverage() const override { return base_->coverage(); }

private:
    std::shared_ptr<const Tariff> base_;
    std::vector<PriceSpike> spikes_;
};

}  // namespace evtwin
