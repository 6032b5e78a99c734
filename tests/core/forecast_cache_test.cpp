#include "core/forecast_cache.hpp"

#include "support/test_site.hpp"

#include <gtest/gtest.h>

namespace evtwin {
namespace {

using test::at_hour;
using test::kDay0;

// Prices that change every minute, so a value read at the wrong instant shows: import 0.10 + 0.001
// per minute since midnight, export 0.04 + 0.0005 per minute. Counts its calls.
class MinuteTariff : public test::FlatTariff {
public:
    MinuteTariff() : FlatTariff(0.0) {}
    double import_price(Time t) const override {
        ++calls;
        return 0.10 + 0.001 * minutes(t);
    }
    double export_price(Time t) const override { return 0.04 + 0.0005 * minutes(t); }
    mutable int calls = 0;

private:
    static double minutes(Time t) { return static_cast<double>((t - kDay0).ms()) / 60'000.0; }
};

StepSeries steps(std::initializer_list<std::pair<double, double>> hour_value) {
    StepSeries s;
    for (const auto& [h, v] : hour_value) s.push(at_hour(h), v);
    return s;
}

// Control period 15 min, horizon 2 h (8 periods). PV: 10 kWp with 0.5 kW/kWp from 00:30 and 0.8
// from 01:20, and 4 kWp with 0.25 from 00:00; loads 3 kW from 00:00 and 2 kW from 01:00.
struct Fixture {
    ScenarioSpec spec = test::small_site(1, 11.0, 100.0);
    std::shared_ptr<MinuteTariff> tariff = std::make_shared<MinuteTariff>();
    Fixture() {
        spec.tariff = tariff;
        spec.pv = {PvSpec{"roof", 0, 10.0, steps({{0.5, 0.5}, {1.0 + 20.0 / 60.0, 0.8}})},
                   PvSpec{"carport", 1, 4.0, steps({{0.0, 0.25}})}};
        spec.loads = {LoadSpec{"office", 0, steps({{0.0, 3.0}})}, LoadSpec{"shop", 1, steps({{1.0, 2.0}})}};
    }
};

// What period k of the run (starting at `period` minutes after midnight) should hold.
double pv_at(double minutes) {
    const double roof = minutes >= 80 ? 0.8 : minutes >= 30 ? 0.5 : 0.0;
    return 10.0 * roof + 4.0 * 0.25;
}
double load_at(double minutes) {
    return 3.0 + (minutes >= 60 ? 2.0 : 0.0);
}

TEST(ForecastCache, ValuesOnTheControlGridFromTheStart) {
    Fixture f;
    ForecastCache cache(f.spec);
    Forecast out;
    cache.fill(kDay0, out);
    EXPECT_EQ(out.start, kDay0);
    EXPECT_EQ(out.step, Duration::minutes(15));
    ASSERT_EQ(out.import_price.size(), 8u);  // 2 h / 15 min
    ASSERT_EQ(out.export_price.size(), 8u);
    ASSERT_EQ(out.pv_kw.size(), 8u);
    ASSERT_EQ(out.base_load_kw.size(), 8u);
    for (std::size_t k = 0; k < 8; ++k) {
        const double m = 15.0 * static_cast<double>(k);  // the period's start, in minutes
        SCOPED_TRACE("period " + std::to_string(k));
        EXPECT_NEAR(out.import_price[k], 0.10 + 0.001 * m, 1e-12);
        EXPECT_NEAR(out.export_price[k], 0.04 + 0.0005 * m, 1e-12);
        EXPECT_NEAR(out.pv_kw[k], pv_at(m), 1e-12);
        EXPECT_NEAR(out.base_load_kw[k], load_at(m), 1e-12);
    }
    // Spelled out: 00:30 is the first period with the roof at 0.5 (5 + 1 = 6 kW); the 0.8 from 01:20
    // shows at 01:30 (8 + 1 = 9 kW), not at 01:15, which still reads the value at its start.
    EXPECT_NEAR(out.pv_kw[1], 1.0, 1e-12);
    EXPECT_NEAR(out.pv_kw[2], 6.0, 1e-12);
    EXPECT_NEAR(out.pv_kw[5], 6.0, 1e-12);
    EXPECT_NEAR(out.pv_kw[6], 9.0, 1e-12);
    EXPECT_NEAR(out.base_load_kw[4], 5.0, 1e-12);
}

TEST(ForecastCache, StartsAtThePeriodContainingNow) {
    Fixture f;
    ForecastCache cache(f.spec);
    for (const auto& [now_min, period] :
         {std::pair{20.0, 1}, std::pair{29.99, 1}, std::pair{30.0, 2}, std::pair{44.0, 2}}) {
        Forecast out;
        cache.fill(kDay0 + Duration(static_cast<std::int64_t>(now_min * 60'000.0)), out);
        SCOPED_TRACE("now = " + std::to_string(now_min) + " min");
        EXPECT_EQ(out.start, kDay0 + Duration::minutes(15) * period);
        ASSERT_EQ(out.import_price.size(), 8u);
        const double m = 15.0 * period;
        EXPECT_NEAR(out.import_price[0], 0.10 + 0.001 * m, 1e-12);
        EXPECT_NEAR(out.import_price[7], 0.10 + 0.001 * (m + 105.0), 1e-12);
        EXPECT_NEAR(out.pv_kw[0], pv_at(m), 1e-12);
        EXPECT_NEAR(out.base_load_kw[7], load_at(m + 105.0), 1e-12);
    }
}

TEST(ForecastCache, GridFollowsTheRunStartNotMidnight) {
    Fixture f;
    f.spec.start = kDay0 + Duration::minutes(7);  // periods start at 00:07, 00:22, 00:37...
    ForecastCache cache(f.spec);
    Forecast out;
    cache.fill(kDay0 + Duration::minutes(25), out);
    EXPECT_EQ(out.start, kDay0 + Duration::minutes(22));
    EXPECT_NEAR(out.import_price[0], 0.10 + 0.001 * 22.0, 1e-12);
    EXPECT_NEAR(out.pv_kw[0], 1.0, 1e-12);  // 00:22: the roof is not on yet
    EXPECT_NEAR(out.pv_kw[1], 6.0, 1e-12);  // 00:37
}

TEST(ForecastCache, HorizonIsWholePeriodsAndAtLeastOne) {
    for (const auto& [horizon_min, periods] :
         {std::pair{120, 8u}, std::pair{100, 6u}, std::pair{15, 1u}, std::pair{5, 1u}}) {
        Fixture f;
        f.spec.forecast_horizon = Duration::minutes(horizon_min);
        ForecastCache cache(f.spec);
        Forecast out;
        cache.fill(kDay0, out);
        EXPECT_EQ(out.import_price.size(), periods) << horizon_min << " min";
        EXPECT_EQ(out.pv_kw.size(), periods);
        EXPECT_EQ(out.base_load_kw.size(), periods);
    }
}

TEST(ForecastCache, RepeatedFillsGiveTheSameValuesAndComputeEachPeriodOnce) {
    Fixture f;
    ForecastCache cache(f.spec);
    Forecast first, again, later, back;
    cache.fill(kDay0, first);
    EXPECT_EQ(f.tariff->calls, 8);
    cache.fill(kDay0 + Duration::minutes(5), again);  // same window
    EXPECT_EQ(f.tariff->calls, 8);
    EXPECT_EQ(again.start, first.start);
    EXPECT_EQ(again.import_price, first.import_price);
    EXPECT_EQ(again.export_price, first.export_price);
    EXPECT_EQ(again.pv_kw, first.pv_kw);
    EXPECT_EQ(again.base_load_kw, first.base_load_kw);
    cache.fill(at_hour(1.0), later);  // periods 4..11: four new ones
    EXPECT_EQ(f.tariff->calls, 12);
    for (std::size_t k = 0; k < 4; ++k) {
        EXPECT_EQ(later.import_price[k], first.import_price[k + 4]);
        EXPECT_EQ(later.pv_kw[k], first.pv_kw[k + 4]);
    }
    cache.fill(kDay0, back);  // an earlier window again: same numbers, nothing recomputed
    EXPECT_EQ(f.tariff->calls, 12);
    EXPECT_EQ(back.import_price, first.import_price);
    EXPECT_EQ(back.base_load_kw, first.base_load_kw);
    Forecast after_gap;
    cache.fill(at_hour(10.0), after_gap);  // not adjacent to what is known: computed anew
    cache.fill(kDay0, back);               // and the first window again, recomputed alike
    EXPECT_EQ(back.import_price, first.import_price);
    EXPECT_EQ(back.pv_kw, first.pv_kw);
    EXPECT_EQ(back.base_load_kw, first.base_load_kw);
}

TEST(ForecastCache, NoPvOrLoadIsZero) {
    Fixture f;
    f.spec.pv.clear();
    f.spec.loads.clear();
    ForecastCache cache(f.spec);
    Forecast out;
    cache.fill(at_hour(3.0), out);
    EXPECT_EQ(out.pv_kw, std::vector<double>(8, 0.0));
    EXPECT_EQ(out.base_load_kw, std::vector<double>(8, 0.0));
}

}  // namespace
}  // namespace evtwin
