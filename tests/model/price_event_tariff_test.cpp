// Price events laid on a tariff: factors and replacements over windows, and the change instants
// a bill integrates between.
#include "model/price_event_tariff.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

// 0.10 per kWh before 12:00 of day 0, 0.20 after; export 0.05.
class StepTariff final : public Tariff {
public:
    std::string name() const override { return "step"; }
    std::string currency() const override { return "EUR"; }
    double import_price(Time t) const override { return t < noon() ? 0.10 : 0.20; }
    double export_price(Time) const override { return 0.05; }
    Time next_change(Time t) const override { return t < noon() ? noon() : Time::max(); }
    double demand_charge_per_kw(Time) const override { return 0.0; }
    BillingPeriod billing_period(Time) const override { return {Time::min(), Time::max()}; }
    Duration demand_interval() const override { return Duration::minutes(15); }
    static Time noon() { return Time(0) + Duration::hours(12); }
};

Time h(std::int64_t hours) {
    return Time(0) + Duration::hours(hours);
}

TEST(PriceEventTariff, WithoutSpikesItIsTheWrappedTariff) {
    PriceEventTariff t(std::make_shared<StepTariff>());
    EXPECT_EQ(t.import_price(h(1)), 0.10);
    EXPECT_EQ(t.import_price(h(13)), 0.20);
    EXPECT_EQ(t.next_change(h(1)), h(12));
    EXPECT_EQ(t.name(), "step");
}

TEST(PriceEventTariff, FactorsAndPricesApplyInTheirWindowsInOrder) {
    PriceEventTariff t(std::make_shared<StepTariff>());
    t.add(PriceSpike{h(11), h(13), 5.0, std::nullopt});
    t.add(PriceSpike{h(12), h(14), 1.0, 0.9});
    EXPECT_EQ(t.import_price(h(10)), 0.10);
    EXPECT_DOUBLE_EQ(t.import_price(h(11)), 0.50);
    EXPECT_EQ(t.import_price(h(12)), 0.9);  // replaced after the factor
    EXPECT_EQ(t.import_price(h(13)), 0.9);
    EXPECT_EQ(t.import_price(h(14)), 0.20);
    EXPECT_EQ(t.export_price(h(11)), 0.05);  // only import prices spike
    EXPECT_EQ(t.next_change(h(10)), h(11));
    EXPECT_EQ(t.next_change(h(11)), h(12));
    EXPECT_EQ(t.next_change(h(12)), h(13));
    EXPECT_EQ(t.next_change(h(13)), h(14));
    EXPECT_EQ(t.next_change(h(14)), Time::max());
    t.clear();
    EXPECT_EQ(t.import_price(h(11)), 0.10);
}

}  // namespace
}  // namespace evtwin
