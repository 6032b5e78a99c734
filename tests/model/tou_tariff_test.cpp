#include "model/tou_tariff.hpp"

#include "data/tariff_file.hpp"
#include "model/price_series_tariff.hpp"
#include "model/zone_time.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <random>

namespace evtwin {
namespace {

using model_test::la;

// Two schedules in Los Angeles: weekdays 0.10 until 01:30, 0.30 from 01:30 to 02:30, 0.20 from
// 02:30 (boundaries inside the DST changes), weekends 0.05 all day; winter Nov-Feb (wrapping the
// year) 0.07 before 22:00 and 0.50 after; holiday 2024-07-04 like a weekend.
TouTable dst_table() {
    TouTable t;
    t.name = "test";
    t.currency = "USD";
    t.timezone = "America/Los_Angeles";
    t.schedules = {{{0, 90, 150}, {0.10, 0.30, 0.20}}, {{0}, {0.05}}, {{0, 22 * 60}, {0.07, 0.50}}};
    t.rules = {{0, 99'999'999, 1101, 229, kAllWeekdays | kHolidayBit, 2, 1.0},
               {0, 99'999'999, 301, 1031, 0x3e, 0, 2.0},
               {0, 99'999'999, 301, 1031, 0x41 | kHolidayBit, 1, 2.0}};
    t.holidays = {20240704};
    return t;
}

TEST(TouTariff, PricesByRuleAndHour) {
    const TouTariff t(dst_table());
    EXPECT_DOUBLE_EQ(t.import_price(la("2024-07-01T01:29:59")), 0.10);  // Monday
    EXPECT_DOUBLE_EQ(t.import_price(la("2024-07-01T01:30")), 0.30);
    EXPECT_DOUBLE_EQ(t.import_price(la("2024-07-01T12:00")), 0.20);
    EXPECT_DOUBLE_EQ(t.import_price(la("2024-07-06T12:00")), 0.05);  // Saturday
    EXPECT_DOUBLE_EQ(t.import_price(la("2024-07-04T12:00")), 0.05);  // holiday, a Thursday
    EXPECT_DOUBLE_EQ(t.import_price(la("2024-01-15T23:00")), 0.50);  // winter wraps the year
    EXPECT_DOUBLE_EQ(t.import_price(la("2024-02-29T21:59")), 0.07);
    EXPECT_DOUBLE_EQ(t.import_price(la("2024-03-01T21:59")), 0.20);
    EXPECT_DOUBLE_EQ(t.demand_charge_per_kw(la("2024-12-01")), 1.0);
    EXPECT_DOUBLE_EQ(t.demand_charge_per_kw(la("2024-06-01")), 2.0);
    EXPECT_EQ(t.coverage().start, Time::min());
    EXPECT_EQ(t.coverage().end, Time::max());
}

TEST(TouTariff, NextChangeAcrossDstChanges) {
    // US clocks change on Sundays, so the weekday schedule (boundaries 01:30 and 02:30) applies to
    // every day here.
    TouTable all = dst_table();
    all.rules = {{0, 99'999'999, 101, 1231, kAllWeekdays | kHolidayBit, 0, 0.0}};
    const TouTariff every_day(all);
    // 2024-03-10: 02:00 PST -> 03:00 PDT at 10:00Z. 01:30 PST = 09:30Z; 02:30 does not exist, so the
    // 0.20 band starts at the jump, 10:00Z.
    EXPECT_EQ(every_day.next_change(la("2024-03-10T00:00")), la("2024-03-10T01:30"));
    EXPECT_EQ(every_day.next_change(la("2024-03-10T01:30")),
              parse_time("2024-03-10T10:00Z", TimeZone("UTC")));
    EXPECT_DOUBLE_EQ(every_day.import_price(parse_time("2024-03-10T09:59:59Z", TimeZone("UTC"))), 0.30);
    EXPECT_DOUBLE_EQ(every_day.import_price(parse_time("2024-03-10T10:00Z", TimeZone("UTC"))), 0.20);
    // 2024-11-03: 02:00 PDT -> 01:00 PST at 09:00Z; 01:30 happens at 08:30Z and again at 09:30Z.
    const TimeZone utc("UTC");
    EXPECT_EQ(every_day.next_change(parse_time("2024-11-03T07:00Z", utc)),
              parse_time("2024-11-03T08:30Z", utc));
    // From the first 01:30 the price is 0.30 until 02:00 PDT = 09:00Z, where the wall clock falls
    // back to 01:00 and the price back to 0.10...
    EXPECT_EQ(every_day.next_change(parse_time("2024-11-03T08:30Z", utc)),
              parse_time("2024-11-03T09:00Z", utc));
    EXPECT_DOUBLE_EQ(every_day.import_price(parse_time("2024-11-03T09:00Z", utc)), 0.10);
    // ... and 0.30 again at the second 01:30 (09:30Z), then 0.20 at 02:30 PST (10:30Z).
    EXPECT_EQ(every_day.next_change(parse_time("2024-11-03T09:00Z", utc)),
              parse_time("2024-11-03T09:30Z", utc));
    EXPECT_EQ(every_day.next_change(parse_time("2024-11-03T09:30Z", utc)),
              parse_time("2024-11-03T10:30Z", utc));
}

// Property: next_change(t) is the first instant after t where the price differs, checked against
// a minute-by-minute scan (all boundaries are on whole minutes) over random weeks.
void check_next_change_exact(const Tariff& t, Time from, Time to, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (int trial = 0; trial < 40; ++trial) {
        const Time start =
            from + Duration(static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>((to - from).ms())));
        const double p = t.import_price(start);
        const Time change = t.next_change(start);
        ASSERT_GT(change, start);
        Time scan = Time((start.ms() / 60'000 + 1) * 60'000);
        while (scan < change) {
            ASSERT_DOUBLE_EQ(t.import_price(scan), p)
                << t.name() << " " << format_utc(scan) << " before change at " << format_utc(change);
            scan += Duration::minutes(1);
        }
        if (change != Time::max() && change < t.coverage().end) {
            EXPECT_NE(t.import_price(change), p) << t.name() << " " << format_utc(change);
            EXPECT_DOUBLE_EQ(t.import_price(change - Duration(1)), p);
        }
    }
}

TEST(TouTariff, NextChangeIsExact) {
    const TimeZone utc("UTC");
    check_next_change_exact(TouTariff(dst_table()), parse_time("2024-01-01", utc),
                            parse_time("2025-01-01", utc), 1);
    TariffOptions kepco;
    kepco.variant = "low_voltage";
    const auto k =
        load_tariff_file(test::source_file("scenarios/tariffs/kepco_ev_self_consumption.json"), kepco);
    check_next_change_exact(*k, parse_time("2022-06-01", utc), parse_time("2027-01-01", utc), 2);
    TariffOptions sce;
    sce.timezone = "America/Los_Angeles";
    const auto s = load_tariff_file(test::data_file("tariffs/sce_tou_ev_8_june_2019.json"), sce);
    check_next_change_exact(*s, parse_time("2019-01-01", utc), parse_time("2020-01-01", utc), 3);
}

TEST(TouTariff, NextChangeSkipsBoundariesWithoutAPriceChange) {
    // KEPCO Sunday off-peak all day, then Monday off-peak until 08:00: from Saturday 22:00 the next
    // change is Monday 08:00.
    TariffOptions o;
    o.variant = "low_voltage";
    const auto k = load_tariff_file(test::source_file("scenarios/tariffs/kepco_ev_self_consumption.json"), o);
    const TimeZone seoul("Asia/Seoul");
    EXPECT_EQ(k->next_change(parse_time("2024-07-06T22:00", seoul)), parse_time("2024-07-08T08:00", seoul));
    // A table with one price never changes.
    TouTable flat;
    flat.name = "flat";
    flat.schedules = {{{0}, {0.1}}};
    flat.rules = {{}};
    flat.rules[0].days = kAllWeekdays | kHolidayBit;
    EXPECT_EQ(TouTariff(flat).next_change(Time(0)), Time::max());
}

TEST(TouTariff, BillingPeriodsAreLocalMonths) {
    const TouTariff t(dst_table());
    const BillingPeriod nov = t.billing_period(la("2024-11-15T12:00"));
    EXPECT_EQ(nov.start, la("2024-11-01"));
    EXPECT_EQ(nov.end, la("2024-12-01"));
    EXPECT_EQ(nov.end - nov.start, Duration::days(30) + Duration::hours(1));  // fall back adds an hour
    const BillingPeriod dec = t.billing_period(la("2024-12-31T23:59:59"));
    EXPECT_EQ(dec.end, la("2025-01-01"));
}

TEST(TouTariff, RejectsMalformedTables) {
    TouTable t = dst_table();
    t.schedules[0].start_minute = {0, 90, 90};
    EXPECT_THROW(TouTariff{t}, std::invalid_argument);
    t = dst_table();
    t.rules[0].schedule = 7;
    EXPECT_THROW(TouTariff{t}, std::invalid_argument);
    t = dst_table();
    t.timezone = "Nowhere/Atlantis";
    EXPECT_THROW(TouTariff{t}, std::invalid_argument);
    t = dst_table();
    t.demand_interval = Duration::minutes(7);  // intervals would drift off the clock's quarter hours
    EXPECT_THROW(TouTariff{t}, std::invalid_argument);
    t.demand_interval = Duration::hours(2);  // a 23-hour day would split one
    EXPECT_THROW(TouTariff{t}, std::invalid_argument);
    // A date no rule covers is reported with the date.
    t = dst_table();
    t.rules.pop_back();
    const TouTariff gaps(t);
    try {
        (void)gaps.import_price(la("2024-07-06T12:00"));
        FAIL();
    } catch (const std::out_of_range& e) {
        EXPECT_NE(std::string(e.what()).find("no prices for the local date 2024-07-06"), std::string::npos);
    }
}

TEST(PriceSeriesTariff, SeriesPricesAndChanges) {
    PriceSeries s;
    s.name = "s";
    s.currency = "EUR";
    s.t = {Time(0), Time(3'600'000), Time(7'200'000), Time(10'800'000)};
    s.price = {1.0, 1.0, -2.0, 3.0};
    s.end = Time(14'400'000);
    s.export_pricing.factor = 0.5;
    const PriceSeriesTariff t(s);
    EXPECT_DOUBLE_EQ(t.import_price(Time(3'600'000)), 1.0);
    EXPECT_DOUBLE_EQ(t.export_price(Time(7'200'000)), -1.0);
    EXPECT_EQ(t.next_change(Time(0)), Time(7'200'000));  // equal prices do not count
    EXPECT_EQ(t.next_change(Time(-5)), Time(7'200'000));
    EXPECT_EQ(t.next_change(Time(10'800'000)), Time::max());
    EXPECT_EQ(t.coverage().end, Time(14'400'000));
    s.t[1] = Time(0);
    EXPECT_THROW(PriceSeriesTariff{s}, std::invalid_argument);
    s.t[1] = Time(3'600'000);
    s.demand_interval = Duration::minutes(7);
    EXPECT_THROW(PriceSeriesTariff{s}, std::invalid_argument);
}

}  // namespace
}  // namespace evtwin
