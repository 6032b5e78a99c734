// Bills against hand-computed values. Every expected number is worked out in the comment above it.
#include "model/bill.hpp"
#include "data/tariff_file.hpp"
#include "model/local_time.hpp"
#include "model/price_series_tariff.hpp"
#include "model/zone_time.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace evtwin {
namespace {

using model_test::la;

std::shared_ptr<const Tariff> kepco(const std::string& variant,
                                    const std::string& file = "kepco_ev_self_consumption.json",
                                    TariffOptions options = {}) {
    options.variant = variant;
    return load_tariff_file(test::source_file("scenarios/tariffs/" + file), options);
}

std::shared_ptr<const Tariff> sce4() {
    TariffOptions options;
    options.timezone = "America/Los_Angeles";
    return load_tariff_file(test::data_file("tariffs/sce_tou_ev_4_march_2019.json"), options);
}

std::shared_ptr<const Tariff> nl(TariffOptions options = {}) {
    options.timezone = "Europe/Amsterdam";
    options.price_scale = 0.001;  // EUR/MWh -> EUR/kWh
    return load_price_series_csv(test::data_file("prices/nl_day_ahead_2016.csv"), options);
}

Time seoul(const std::string& s) {
    static const TimeZone z("Asia/Seoul");
    return parse_time(s, z);
}
Time ams(const std::string& s) {
    static const TimeZone z("Europe/Amsterdam");
    return parse_time(s, z);
}

// `kw` from a to b, nothing else; billed over [a, b).
Bill constant(const Tariff& tariff, double kw, Time a, Time b) {
    const std::vector<PowerStep> steps{{a, kw}, {b, 0.0}};
    return compute_bill(tariff, steps, a, b);
}

TEST(Bill, KepcoSummerWeekdayLowVoltage) {
    // 2024-07-01 is a Monday in summer, 2023 era. Bands: off 22-08 (10 h), mid 08-11, 12-13, 18-22
    // (8 h), peak 11-12, 13-18 (6 h). At 10 kW:
    //   off  100 kWh x  84.3 =  8,430
    //   mid   80 kWh x 172.0 = 13,760
    //   peak  60 kWh x 259.2 = 15,552   -> energy 37,742 KRW for 240 kWh
    // demand: 10 kW x 2,390 KRW/kW (July, billed in full) = 23,900; total 61,642.
    const auto t = kepco("low_voltage");
    const Bill b = constant(*t, 10.0, seoul("2024-07-01"), seoul("2024-07-02"));
    EXPECT_DOUBLE_EQ(b.import_kwh, 240.0);
    EXPECT_NEAR(b.energy_cost, 37'742.0, 1e-6);
    ASSERT_EQ(b.periods.size(), 1u);
    EXPECT_DOUBLE_EQ(b.periods[0].peak_demand_kw, 10.0);
    EXPECT_NEAR(b.demand_charge, 23'900.0, 1e-6);
    EXPECT_NEAR(b.total(), 61'642.0, 1e-6);
    EXPECT_DOUBLE_EQ(b.peak_import_kw, 10.0);
    EXPECT_EQ(b.periods[0].period.start, seoul("2024-07-01"));
    EXPECT_EQ(b.periods[0].period.end, seoul("2024-08-01"));
}

TEST(Bill, KepcoSaturdaySundayAndHoliday) {
    const auto t = kepco("low_voltage");
    // Saturday 2024-07-06: peak hours billed as mid: off 100 kWh x 84.3 = 8,430, mid 140 kWh x 172.0
    // = 24,080 -> 32,510.
    EXPECT_NEAR(constant(*t, 10.0, seoul("2024-07-06"), seoul("2024-07-07")).energy_cost, 32'510.0, 1e-6);
    // Sunday 2024-07-07: off-peak all day: 240 kWh x 84.3 = 20,232.
    EXPECT_NEAR(constant(*t, 10.0, seoul("2024-07-07"), seoul("2024-07-08")).energy_cost, 20'232.0, 1e-6);
    // Thursday 2024-08-15 (Liberation Day) is billed like a Sunday: 20,232.
    EXPECT_NEAR(constant(*t, 10.0, seoul("2024-08-15"), seoul("2024-08-16")).energy_cost, 20'232.0, 1e-6);
    // Friday 2024-09-13 is an ordinary spring/fall weekday (off 10 h, mid 8 h, peak 6 h):
    //   100 x 85.4 + 80 x 97.2 + 60 x 102.1 = 8,540 + 7,776 + 6,126 = 22,442.
    EXPECT_NEAR(constant(*t, 10.0, seoul("2024-09-13"), seoul("2024-09-14")).energy_cost, 22'442.0, 1e-6);
    // ... while Tuesday 2024-09-17 (Chuseok) is off-peak: 240 x 85.4 = 20,496.
    EXPECT_NEAR(constant(*t, 10.0, seoul("2024-09-17"), seoul("2024-09-18")).energy_cost, 20'496.0, 1e-6);
}

TEST(Bill, KepcoHighVoltageWinterWeekdayAndEras) {
    // Wednesday 2024-01-10, winter, 2023 era: off 22-08 (10 h), mid 08-09, 12-16, 19-22 (8 h),
    // peak 09-12, 16-19 (6 h). High voltage at 10 kW:
    //   100 x 96.6 + 80 x 127.7 + 60 x 165.5 = 9,660 + 10,216 + 9,930 = 29,806.
    const auto high = kepco("high_voltage");
    EXPECT_NEAR(constant(*high, 10.0, seoul("2024-01-10"), seoul("2024-01-11")).energy_cost, 29'806.0, 1e-6);
    // Friday 2022-12-30, winter, before 2023: off 23-09 (10 h), mid 09-10, 12-13, 17-23 (8 h), peak
    // 10-12, 13-17 (6 h). Low voltage: 100 x 107.4 + 80 x 154.9 + 60 x 217.5 = 10,740 + 12,392 +
    // 13,050 = 36,182.
    const auto low = kepco("low_voltage");
    EXPECT_NEAR(constant(*low, 10.0, seoul("2022-12-30"), seoul("2022-12-31")).energy_cost, 36'182.0, 1e-6);
    // 14:00-15:00 on a summer weekday is peak in the 2023 era (Monday 2025-06-02: 10 kWh x 259.2 =
    // 2,592) and mid after the 2026 reform (Monday 2026-06-01: 10 kWh x 172.0 = 1,720).
    EXPECT_NEAR(constant(*low, 10.0, seoul("2025-06-02T14:00"), seoul("2025-06-02T15:00")).energy_cost,
                2'592.0, 1e-6);
    EXPECT_NEAR(constant(*low, 10.0, seoul("2026-06-01T14:00"), seoul("2026-06-01T15:00")).energy_cost,
                1'720.0, 1e-6);
}

TEST(Bill, AcrossABandBoundaryAtANonAlignedInstant) {
    // 10 kW from 10:37:30 to 11:22:30 on Monday 2024-07-01; mid -> peak at 11:00.
    //   mid  22.5 min = 0.375 h x 10 kW = 3.75 kWh x 172.0 =   645
    //   peak 3.75 kWh x 259.2                               =   972   -> 1,617 KRW, 7.5 kWh.
    // Demand intervals are aligned to the month start: 10:30-10:45 holds 7.5 min at 10 kW = 1.25 kWh
    // = 5 kW average; 10:45-11:00 and 11:00-11:15 10 kW; 11:15-11:30 5 kW. Peak 10 kW.
    const auto t = kepco("low_voltage");
    const std::vector<PowerStep> steps{{seoul("2024-07-01T10:37:30"), 10.0},
                                       {seoul("2024-07-01T11:22:30"), 0.0}};
    const Bill b = compute_bill(*t, steps, seoul("2024-07-01"), seoul("2024-07-02"));
    EXPECT_NEAR(b.import_kwh, 7.5, 1e-12);
    EXPECT_NEAR(b.energy_cost, 1'617.0, 1e-9);
    EXPECT_NEAR(b.periods.at(0).peak_demand_kw, 10.0, 1e-12);
    // A run from 10:40 to 11:20 cuts the first and last intervals; they are averaged over the full
    // 15 min (5 min at 10 kW = 3.33 kW), so the peak is still the 10 kW of the whole intervals.
    const Bill cut = compute_bill(*t, steps, seoul("2024-07-01T10:40"), seoul("2024-07-01T11:20"));
    // 10:40-11:00 = 20 min mid = 3.333 kWh x 172 = 573.33; 11:00-11:20 = 3.333 kWh x 259.2 = 864.
    EXPECT_NEAR(cut.energy_cost, 10.0 / 3.0 * 172.0 + 10.0 / 3.0 * 259.2, 1e-9);
    EXPECT_NEAR(cut.periods.at(0).peak_demand_kw, 10.0, 1e-12);
}

TEST(Bill, DemandChargeFromAFifteenMinuteSpike) {
    // SCE TOU-EV-4, Monday 2019-07-01 (summer weekday, Los Angeles). 50 kW from 12:07:30 to 12:22:30,
    // nothing else. Energy: 12.5 kWh in the 12-18 peak x 0.26668 = 3.33350 $.
    // Intervals 12:00-12:15 and 12:15-12:30 each hold 7.5 min at 50 kW = 6.25 kWh = 25 kW average.
    // Demand charge 25 kW x 15.51 $/kW = 387.75 $. The instantaneous peak is 50 kW.
    const auto t = sce4();
    const std::vector<PowerStep> steps{{la("2019-07-01T12:07:30"), 50.0}, {la("2019-07-01T12:22:30"), 0.0}};
    const Bill b = compute_bill(*t, steps, la("2019-07-01"), la("2019-07-02"));
    EXPECT_NEAR(b.energy_cost, 3.3335, 1e-12);
    EXPECT_NEAR(b.periods.at(0).peak_demand_kw, 25.0, 1e-12);
    EXPECT_NEAR(b.demand_charge, 387.75, 1e-9);
    EXPECT_DOUBLE_EQ(b.peak_import_kw, 50.0);
    // The same spike aligned to 12:00-12:15: 50 kW average -> 775.50 $.
    const std::vector<PowerStep> aligned{{la("2019-07-01T12:00"), 50.0}, {la("2019-07-01T12:15"), 0.0}};
    EXPECT_NEAR(compute_bill(*t, aligned, la("2019-07-01"), la("2019-07-02")).demand_charge, 775.5, 1e-9);
}

// One price, a demand charge, and one billing period without bounds (as day-ahead price series and
// test sites have).
class UnboundedPeriodTariff final : public Tariff {
public:
    std::string name() const override { return "unbounded"; }
    std::string currency() const override { return "EUR"; }
    double import_price(Time) const override { return 0.2; }
    double export_price(Time) const override { return 0.0; }
    Time next_change(Time) const override { return Time::max(); }
    double demand_charge_per_kw(Time) const override { return 10.0; }
    BillingPeriod billing_period(Time) const override { return {Time::min(), Time::max()}; }
    Duration demand_interval() const override { return Duration::minutes(15); }
};

TEST(Bill, DemandIntervalsOfAnUnboundedPeriodAreLaidFromTheEpoch) {
    // 20 kW from 00:07:30 to 00:22:30 UTC: intervals 00:00-00:15 and 00:15-00:30 each hold 7.5 min,
    // 2.5 kWh = 10 kW average. Demand charge 10 kW x 10 = 100. Energy 5 kWh x 0.2 = 1.
    const UnboundedPeriodTariff t;
    const Time day = parse_time("2024-07-01T00:00:00Z", TimeZone("UTC"));
    const std::vector<PowerStep> steps{{day + Duration::seconds(450), 20.0},
                                       {day + Duration::seconds(1350), 0.0}};
    const Bill b = compute_bill(t, steps, day, day + Duration::hours(1));
    EXPECT_NEAR(b.energy_cost, 1.0, 1e-12);
    ASSERT_EQ(b.periods.size(), 1u);
    EXPECT_NEAR(b.periods[0].peak_demand_kw, 10.0, 1e-12);
    EXPECT_NEAR(b.demand_charge, 100.0, 1e-12);
}

TEST(Bill, SceTouEv4SummerVersusWinterWeekday) {
    // 10 kW for 24 h. Summer weekday (Monday 2019-07-01): 0-8 and 23-24 off (9 h), 8-12 and 18-23 mid
    // (9 h), 12-18 peak (6 h):
    //   90 x 0.05623 + 90 x 0.0925 + 60 x 0.26668 = 5.0607 + 8.325 + 16.0008 = 29.3865 $.
    // Winter weekday (Monday 2019-01-07): 90 x 0.06087 + 90 x 0.07492 + 60 x 0.0869
    //   = 5.4783 + 6.7428 + 5.214 = 17.4351 $.
    // Each day's demand charge: 10 kW x 15.51 = 155.10 $.
    const auto t = sce4();
    const Bill summer = constant(*t, 10.0, la("2019-07-01"), la("2019-07-02"));
    const Bill winter = constant(*t, 10.0, la("2019-01-07"), la("2019-01-08"));
    EXPECT_NEAR(summer.energy_cost, 29.3865, 1e-9);
    EXPECT_NEAR(winter.energy_cost, 17.4351, 1e-9);
    EXPECT_NEAR(summer.demand_charge, 155.1, 1e-9);
    EXPECT_NEAR(winter.total(), 17.4351 + 155.1, 1e-9);
    EXPECT_EQ(t->currency(), "USD");
}

TEST(Bill, NetherlandsDayAheadOnDstDays) {
    const auto t = nl();
    // 2016-03-27 local 00:00-05:00 is 4 real hours (02:00 does not exist; the file's 02:00 row is a
    // filler): 1 kW x (7.33 + 15.0 + 16.55 + 16.56) EUR/MWh = 55.44 EUR/MWh x 1 kWh = 0.05544 EUR.
    const Bill spring = constant(*t, 1.0, ams("2016-03-27"), ams("2016-03-27T05:00"));
    EXPECT_NEAR(spring.import_kwh, 4.0, 1e-12);
    EXPECT_NEAR(spring.energy_cost, 0.05544, 1e-12);
    // 2016-10-30 local 00:00-04:00 is 5 real hours (02:00 twice): 45.0 + 42.87 + 33.11 + 32.93 + 31.4
    // = 185.31 EUR/MWh -> 0.18531 EUR for 5 kWh.
    const Bill fall = constant(*t, 1.0, ams("2016-10-30"), ams("2016-10-30T04:00"));
    EXPECT_NEAR(fall.import_kwh, 5.0, 1e-12);
    EXPECT_NEAR(fall.energy_cost, 0.18531, 1e-12);
    // The whole days: 23 and 25 kWh; the sums of the 23 and 25 hourly prices are 379.47 and 952.41.
    const Bill spring_day = constant(*t, 1.0, ams("2016-03-27"), ams("2016-03-28"));
    EXPECT_NEAR(spring_day.import_kwh, 23.0, 1e-12);
    EXPECT_NEAR(spring_day.energy_cost, 0.37947, 1e-12);
    const Bill fall_day = constant(*t, 1.0, ams("2016-10-30"), ams("2016-10-31"));
    EXPECT_NEAR(fall_day.import_kwh, 25.0, 1e-12);
    EXPECT_NEAR(fall_day.energy_cost, 0.95241, 1e-12);
}

TEST(Bill, ExportAtAFactorAndAtAFixedPrice) {
    // KEPCO low voltage, export factor 0.5: 10 kW exported 13:00-14:00 on a summer weekday (peak
    // 259.2) earns 10 kWh x 0.5 x 259.2 = 1,296 KRW; no import, so no demand charge.
    TariffOptions factor;
    factor.export_factor = 0.5;
    const auto t = kepco("low_voltage", "kepco_ev_self_consumption.json", factor);
    const Bill b = constant(*t, -10.0, seoul("2024-07-01T13:00"), seoul("2024-07-01T14:00"));
    EXPECT_NEAR(b.export_kwh, 10.0, 1e-12);
    EXPECT_NEAR(b.export_revenue, 1'296.0, 1e-9);
    EXPECT_DOUBLE_EQ(b.import_kwh, 0.0);
    EXPECT_DOUBLE_EQ(b.demand_charge, 0.0);
    EXPECT_NEAR(b.total(), -1'296.0, 1e-9);
    // NL day-ahead at a fixed 0.05 EUR/kWh: 2 kW for 90 min = 3 kWh -> 0.15 EUR.
    TariffOptions fixed;
    fixed.export_price = 0.05;
    const auto n = nl(fixed);
    EXPECT_NEAR(constant(*n, -2.0, ams("2016-01-01T00:00"), ams("2016-01-01T01:30")).export_revenue, 0.15,
                1e-12);
    // At a factor 0.9 of the day-ahead price: hour 00 at 23.86 EUR/MWh, 2 kWh x 0.02386 x 0.9 = 0.042948.
    TariffOptions nf;
    nf.export_factor = 0.9;
    EXPECT_NEAR(constant(*nl(nf), -2.0, ams("2016-01-01"), ams("2016-01-01T01:00")).export_revenue, 0.042948,
                1e-12);
}

TEST(Bill, DemandPerBillingMonth) {
    // 10 kW in July's last 12 h and 20 kW in August's first 12 h (KEPCO, low voltage): two periods
    // billed 10 x 2,390 = 23,900 and 20 x 2,390 = 47,800 -> 71,700.
    const auto t = kepco("low_voltage");
    const std::vector<PowerStep> steps{{seoul("2024-07-31T12:00"), 10.0}, {seoul("2024-08-01"), 20.0}};
    const Bill b = compute_bill(*t, steps, seoul("2024-07-31T12:00"), seoul("2024-08-01T12:00"));
    ASSERT_EQ(b.periods.size(), 2u);
    EXPECT_DOUBLE_EQ(b.periods[0].peak_demand_kw, 10.0);
    EXPECT_DOUBLE_EQ(b.periods[1].peak_demand_kw, 20.0);
    EXPECT_NEAR(b.periods[0].demand_charge, 23'900.0, 1e-9);
    EXPECT_NEAR(b.demand_charge, 71'700.0, 1e-9);
    EXPECT_EQ(b.periods[1].period.start, seoul("2024-08-01"));
}

TEST(Bill, OperatorOptionFourIsFlatPerSeason) {
    // Charging-service operator, option IV low voltage: 172.0 KRW/kWh all day in summer.
    // Monday 2026-07-06, 10 kW for 24 h: 240 x 172.0 = 41,280.
    const auto t = kepco("low_voltage_IV", "kepco_ev_charging_service.json");
    EXPECT_NEAR(constant(*t, 10.0, seoul("2026-07-06"), seoul("2026-07-07")).energy_cost, 41'280.0, 1e-6);
    // Option II high voltage, Monday 2026-07-06 (2026 reform: off 22-08 10 h, mid 08-15 & 21-22 8 h,
    // peak 15-21 6 h): 100 x 78.2 + 80 x 113.0 + 60 x 198.6 = 7,820 + 9,040 + 11,916 = 28,776.
    const auto h2 = kepco("high_voltage_II", "kepco_ev_charging_service.json");
    EXPECT_NEAR(constant(*h2, 10.0, seoul("2026-07-06"), seoul("2026-07-07")).energy_cost, 28'776.0, 1e-6);
    // Before 2026-06-01 the operator tariff has no prices: the bill refuses.
    EXPECT_THROW(constant(*t, 10.0, seoul("2026-05-31"), seoul("2026-06-02")), std::out_of_range);
}

TEST(Bill, RejectsBadInput) {
    const auto t = kepco("low_voltage");
    const std::vector<PowerStep> unordered{{seoul("2024-07-01T10:00"), 1.0},
                                           {seoul("2024-07-01T09:00"), 0.0}};
    try {
        (void)compute_bill(*t, unordered, seoul("2024-07-01"), seoul("2024-07-02"));
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("out of order at step 1"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)compute_bill(*t, {}, seoul("2024-07-02"), seoul("2024-07-01")), std::invalid_argument);
    const std::vector<PowerStep> nan{{seoul("2024-07-01"), std::nan("")}};
    EXPECT_THROW((void)compute_bill(*t, nan, seoul("2024-07-01"), seoul("2024-07-02")),
                 std::invalid_argument);
    try {
        (void)compute_bill(*nl(), {}, ams("2015-12-31"), ams("2016-01-02"));
        FAIL();
    } catch (const std::out_of_range& e) {
        EXPECT_NE(std::string(e.what()).find(
                      "has prices from 2015-12-31T23:00:00.000Z to 2016-12-31T23:00:00.000Z"),
                  std::string::npos)
            << e.what();
    }
    // An empty period is an empty bill.
    EXPECT_DOUBLE_EQ(compute_bill(*t, {}, seoul("2024-07-01"), seoul("2024-07-01")).total(), 0.0);
}

TEST(Bill, PowerBeforeTheFirstStepIsZeroAndTheLastStepHolds) {
    // Steps: 5 kW from 2024-07-07 (Sunday) 06:00, billed 00:00-12:00: 6 h x 5 kW = 30 kWh x 84.3 = 2,529.
    const auto t = kepco("low_voltage");
    const std::vector<PowerStep> steps{{seoul("2024-07-07T06:00"), 5.0}};
    const Bill b = compute_bill(*t, steps, seoul("2024-07-07"), seoul("2024-07-07T12:00"));
    EXPECT_NEAR(b.energy_cost, 2'529.0, 1e-9);
    // Several steps at one instant: the last one holds.
    const std::vector<PowerStep> same{{seoul("2024-07-07"), 50.0}, {seoul("2024-07-07"), 5.0}};
    EXPECT_DOUBLE_EQ(compute_bill(*t, same, seoul("2024-07-07"), seoul("2024-07-07T12:00")).peak_import_kw,
                     5.0);
}

TEST(Bill, MatchesAFineRiemannSumForRandomSteps) {
    // Property: the exact bill equals a brute-force sum over 1-second slices (powers change only on
    // whole seconds), for random steps across a week of the SCE tariff in Los Angeles (with DST).
    const auto t = sce4();
    std::mt19937_64 rng(11);
    const Time start = la("2019-03-08T12:00");
    const Time end = la("2019-03-11T12:00");  // across the 2019-03-10 spring-forward
    std::vector<PowerStep> steps;
    for (Time at = start; at < end; at += Duration::seconds(60 + static_cast<std::int64_t>(rng() % 7200)))
        steps.push_back({at, static_cast<double>(static_cast<int>(rng() % 41) - 10)});
    const Bill b = compute_bill(*t, steps, start, end);
    double cost = 0.0;
    double revenue = 0.0;
    std::size_t k = 0;
    for (Time at = start; at < end; at += Duration::seconds(1)) {
        while (k + 1 < steps.size() && steps[k + 1].t <= at) ++k;
        const double kw = steps[k].kw;
        if (kw > 0)
            cost += kw / 3600.0 * t->import_price(at);
        else
            revenue += -kw / 3600.0 * t->export_price(at);
    }
    EXPECT_NEAR(b.energy_cost, cost, 1e-6 * cost);
    EXPECT_NEAR(b.export_revenue, revenue, 1e-9);
}

TEST(Bill, AYearOfThirtySecondStepsIsTheSumOfItsSteps) {
    // 1,051,200 steps (every 30 s for a year) against KEPCO: the 30 s steps never straddle a band
    // boundary (bands change on the hour), so the energy cost is the sum over steps of
    // kW x 30 s x the price at the step's start. Its speed is bench/bill_bench.cpp's.
    const auto t = kepco("low_voltage");
    const Time start = seoul("2024-01-01");
    std::vector<PowerStep> steps;
    steps.reserve(1'100'000);
    std::mt19937_64 rng(3);
    for (Time at = start; at < seoul("2025-01-01"); at += Duration::seconds(30))
        steps.push_back({at, static_cast<double>(rng() % 100)});
    const Bill b = compute_bill(*t, steps, start, seoul("2025-01-01"));
    double cost = 0.0;
    for (const PowerStep& s : steps) cost += s.kw * 30.0 / 3600.0 * t->import_price(s.t);
    EXPECT_EQ(b.periods.size(), 12u);
    EXPECT_NEAR(b.energy_cost, cost, 1e-9 * cost);
}

}  // namespace
}  // namespace evtwin
