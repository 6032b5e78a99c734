// The specification's tariff examples (OCPI 2.2.1 mod_tariffs.asciidoc and its examples/*.json,
// transcribed here), each priced for the session its text describes, with the price worked out by
// hand beside it.
#include "ocpi/format/tariff_pricing.hpp"
#include "ocpi/format/datetime.hpp"
#include "ocpi/format/read.hpp"

#include <gtest/gtest.h>

namespace evtwin::ocpi {
namespace {

Tariff tariff(const std::string& elements, const std::string& extra = "") {
    const std::string json = R"({"country_code": "DE", "party_id": "ALL", "id": "1", "currency": "EUR", )" +
                             extra + R"("elements": )" + elements +
                             R"(, "last_updated": "2018-12-17T11:16:55Z"})";
    return parse_tariffs(json, "tariff").at(0);
}

Time at(const std::string& text) {
    return *parse_datetime(text);
}

ChargingPeriod period(const std::string& start, std::vector<CdrDimension> dims) {
    return ChargingPeriod{at(start), std::move(dims), ""};
}

const TimeZone& utc() {
    static const TimeZone zone("UTC");
    return zone;
}

constexpr double kCent = 1e-9;

// tariff_8_simple_025kwh: 0.25 euro per kWh, 10 % VAT, per Wh. 20 kWh: 5.00 / 5.50.
TEST(TariffPricing, SimpleEnergyTariff) {
    const Tariff t =
        tariff(R"([{"price_components": [{"type": "ENERGY", "price": 0.25, "vat": 10.0, "step_size": 1}]}])");
    const auto c = price_session(t, {period("2024-01-01T10:00:00Z", {{"ENERGY", 20}, {"TIME", 2}})},
                                 at("2024-01-01T10:00:00Z"), at("2024-01-01T12:00:00Z"), utc());
    EXPECT_NEAR(c.total.excl_vat, 5.00, kCent);
    EXPECT_NEAR(*c.total.incl_vat, 5.50, kCent);
}

// The PriceComponent note: 115.2 Wh at 0.25 per kWh is billed as 116 Wh (0.029), with step_size 25
// as 125 Wh (0.03125), with step_size 500 as 500 Wh (0.125).
TEST(TariffPricing, EnergyStepSizeRoundsTheTotalUp) {
    for (const auto& [step, billed_wh] :
         std::vector<std::pair<int, double>>{{1, 116}, {25, 125}, {500, 500}}) {
        const Tariff t = tariff(R"([{"price_components": [{"type": "ENERGY", "price": 0.25, "step_size": )" +
                                std::to_string(step) + "}]}]");
        const auto c = price_session(t, {period("2024-01-01T10:00:00Z", {{"ENERGY", 0.1152}})},
                                     at("2024-01-01T10:00:00Z"), at("2024-01-01T10:10:00Z"), utc());
        EXPECT_NEAR(c.total.excl_vat, billed_wh / 1000 * 0.25, kCent) << step;
        EXPECT_FALSE(c.total.incl_vat) << "no VAT given";
    }
}

// tariff_9_025kwh_start: start fee 0.50 (20 % VAT) + 0.25 per kWh (10 %). 20 kWh: 5.50 / 6.10.
TEST(TariffPricing, StartFeeIsChargedOnce) {
    const Tariff t =
        tariff(R"([{"price_components": [{"type": "FLAT", "price": 0.50, "vat": 20.0, "step_size": 1},
        {"type": "ENERGY", "price": 0.25, "vat": 10.0, "step_size": 1}]}])");
    const auto c = price_session(
        t,
        {period("2024-01-01T10:00:00Z", {{"ENERGY", 12}}), period("2024-01-01T11:00:00Z", {{"ENERGY", 8}})},
        at("2024-01-01T10:00:00Z"), at("2024-01-01T12:00:00Z"), utc());
    EXPECT_NEAR(c.fixed.excl_vat, 0.50, kCent);
    EXPECT_NEAR(c.total.excl_vat, 5.50, kCent);
    EXPECT_NEAR(*c.total.incl_vat, 0.60 + 5.50, kCent);
}

// tariff_12_025kwh_min_price: min_price 0.50 / 0.55. 20 kWh: 5.00 / 5.50; 1 kWh: 0.25 -> 0.50 / 0.55.
TEST(TariffPricing, MinimumPrice) {
    const Tariff t =
        tariff(R"([{"price_components": [{"type": "ENERGY", "price": 0.25, "vat": 10.0, "step_size": 1}]}])",
               R"("min_price": {"excl_vat": 0.50, "incl_vat": 0.55}, )");
    const auto small = price_session(t, {period("2024-01-01T10:00:00Z", {{"ENERGY", 1}})},
                                     at("2024-01-01T10:00:00Z"), at("2024-01-01T10:30:00Z"), utc());
    EXPECT_NEAR(small.total.excl_vat, 0.50, kCent);
    EXPECT_NEAR(*small.total.incl_vat, 0.55, kCent);
    const auto large = price_session(t, {period("2024-01-01T10:00:00Z", {{"ENERGY", 20}})},
                                     at("2024-01-01T10:00:00Z"), at("2024-01-01T13:00:00Z"), utc());
    EXPECT_NEAR(large.total.excl_vat, 5.00, kCent);
}

// tariff_6_025kwh_start_max_price: max_price 10 / 11, start 0.50 (20 %), 0.25 per kWh (10 %).
// 50 kWh: 0.50 + 12.50 = 13.00 -> 10.00, incl. 0.60 + 13.75 -> 11.00; 30 kWh: 8.00 / 0.60 + 8.25 = 8.85.
TEST(TariffPricing, MaximumPrice) {
    const Tariff t =
        tariff(R"([{"price_components": [{"type": "FLAT", "price": 0.50, "vat": 20.0, "step_size": 1},
        {"type": "ENERGY", "price": 0.25, "vat": 10.0, "step_size": 1}]}])",
               R"("max_price": {"excl_vat": 10.00, "incl_vat": 11.00}, )");
    const auto big = price_session(t, {period("2019-06-01T10:00:00Z", {{"ENERGY", 50}})},
                                   at("2019-06-01T10:00:00Z"), at("2019-06-01T14:00:00Z"), utc());
    EXPECT_NEAR(big.total.excl_vat, 10.00, kCent);
    EXPECT_NEAR(*big.total.incl_vat, 11.00, kCent);
    const auto mid = price_session(t, {period("2019-06-01T10:00:00Z", {{"ENERGY", 30}})},
                                   at("2019-06-01T10:00:00Z"), at("2019-06-01T14:00:00Z"), utc());
    EXPECT_NEAR(mid.total.excl_vat, 8.00, kCent);
    EXPECT_NEAR(*mid.total.incl_vat, 8.85, kCent);
}

// tariff_1_simple_2hour: 2.00 per hour charging (10 %), per minute. 2.5 h charging: 5.00 / 5.50;
// the parking after it is not billed (no PARKING_TIME component).
TEST(TariffPricing, TimeTariffBillsChargingTimeOnly) {
    const Tariff t =
        tariff(R"([{"price_components": [{"type": "TIME", "price": 2.00, "vat": 10.0, "step_size": 60}]}])");
    const auto c = price_session(t,
                                 {period("2024-01-01T10:00:00Z", {{"ENERGY", 20}, {"TIME", 2.5}}),
                                  period("2024-01-01T12:30:00Z", {{"PARKING_TIME", 1}})},
                                 at("2024-01-01T10:00:00Z"), at("2024-01-01T13:30:00Z"), utc());
    EXPECT_NEAR(c.total.excl_vat, 5.00, kCent);
    EXPECT_NEAR(*c.total.incl_vat, 5.50, kCent);
}

// tariff_2_alt_text: 1.90 per hour (5.2 % VAT), per 5 minutes. 2.5 h: 4.75 / 4.997 (the text: 5.00).
TEST(TariffPricing, AdHocTimeTariff) {
    const Tariff t = tariff(
        R"([{"price_components": [{"type": "TIME", "price": 1.90, "vat": 5.2, "step_size": 300}]}])",
        R"("type": "AD_HOC_PAYMENT", "tariff_alt_text": [{"language": "en", "text": "2.00 euro p/hour including VAT."}], )");
    const auto c = price_session(t, {period("2024-01-01T10:00:00Z", {{"TIME", 2.5}})},
                                 at("2024-01-01T10:00:00Z"), at("2024-01-01T12:30:00Z"), utc());
    EXPECT_NEAR(c.total.excl_vat, 4.75, kCent);
    EXPECT_NEAR(*c.total.incl_vat, 4.75 * 1.052, kCent);
}

// tariff_3_alt_url: start 0.50 (20 %), 0.25 per kWh (10 %) per 100 Wh. 20.45 kWh is billed as 20.5:
// 5.125 / 5.6375, total 5.625 / 6.2375 (the text rounds to 5.63 / 6.24).
TEST(TariffPricing, EnergyBilledPerHundredWh) {
    const Tariff t =
        tariff(R"([{"price_components": [{"type": "FLAT", "price": 0.50, "vat": 20.0, "step_size": 1},
        {"type": "ENERGY", "price": 0.25, "vat": 10.0, "step_size": 100}]}])");
    const auto c = price_session(t, {period("2024-01-01T10:00:00Z", {{"ENERGY", 20.45}})},
                                 at("2024-01-01T10:00:00Z"), at("2024-01-01T13:00:00Z"), utc());
    EXPECT_NEAR(c.billed_kwh, 20.5, 1e-9);
    EXPECT_NEAR(c.energy.excl_vat, 5.125, kCent);
    EXPECT_NEAR(c.total.excl_vat, 5.625, kCent);
    EXPECT_NEAR(*c.total.incl_vat, 6.2375, kCent);
}

// tariff_10_025kwh_parking_start: start 0.50 (20 %), 0.25 per kWh (10 %), parking 2.00 per hour
// (20 %) per 15 minutes. 20 kWh and 40 minutes parked, billed as 45: 0.50 + 5.00 + 1.50 = 7.00;
// incl. 0.60 + 5.50 + 1.80 = 7.90.
TEST(TariffPricing, ParkingBilledPerQuarterHour) {
    const Tariff t =
        tariff(R"([{"price_components": [{"type": "FLAT", "price": 0.50, "vat": 20.0, "step_size": 1},
        {"type": "ENERGY", "price": 0.25, "vat": 10.0, "step_size": 1},
        {"type": "PARKING_TIME", "price": 2.00, "vat": 20.0, "step_size": 900}]}])");
    const auto c = price_session(t,
                                 {period("2024-01-01T10:00:00Z", {{"ENERGY", 20}, {"TIME", 2}}),
                                  period("2024-01-01T12:00:00Z", {{"PARKING_TIME", 40.0 / 60}})},
                                 at("2024-01-01T10:00:00Z"), at("2024-01-01T12:40:00Z"), utc());
    EXPECT_NEAR(c.billed_parking_hours, 0.75, 1e-9);
    EXPECT_NEAR(c.total.excl_vat, 7.00, kCent);
    EXPECT_NEAR(*c.total.incl_vat, 7.90, kCent);
}

// tariff_13_simple_3hour_5parking: 3.00 per hour charging (10 %) per minute, 5.00 per hour parking
// (20 %) per 5 minutes. 150 minutes charging, 42 parked (billed 45): 7.50 + 3.75 = 11.25; incl.
// 8.25 + 4.50 = 12.75.
TEST(TariffPricing, ChargingAndParkingTime) {
    const Tariff t =
        tariff(R"([{"price_components": [{"type": "TIME", "price": 3.00, "vat": 10.0, "step_size": 60},
        {"type": "PARKING_TIME", "price": 5.00, "vat": 20.0, "step_size": 300}]}])");
    const auto c = price_session(t,
                                 {period("2024-01-01T10:00:00Z", {{"ENERGY", 20}, {"TIME", 2.5}}),
                                  period("2024-01-01T12:30:00Z", {{"PARKING_TIME", 0.7}})},
                                 at("2024-01-01T10:00:00Z"), at("2024-01-01T13:12:00Z"), utc());
    EXPECT_NEAR(c.total.excl_vat, 11.25, kCent);
    EXPECT_NEAR(*c.total.incl_vat, 12.75, kCent);
}

// tariff_4_complex, its two sessions.
const char* kComplex = R"([
  {"price_components": [{"type": "FLAT", "price": 2.50, "vat": 15.0, "step_size": 1}]},
  {"price_components": [{"type": "TIME", "price": 1.00, "vat": 20.0, "step_size": 900}],
   "restrictions": {"max_current": 32.00}},
  {"price_components": [{"type": "TIME", "price": 2.00, "vat": 20.0, "step_size": 600}],
   "restrictions": {"min_current": 32.00, "day_of_week": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]}},
  {"price_components": [{"type": "TIME", "price": 1.25, "vat": 20.0, "step_size": 600}],
   "restrictions": {"min_current": 32.00, "day_of_week": ["SATURDAY", "SUNDAY"]}},
  {"price_components": [{"type": "PARKING_TIME", "price": 5.00, "vat": 10.0, "step_size": 300}],
   "restrictions": {"start_time": "09:00", "end_time": "18:00",
                    "day_of_week": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]}},
  {"price_components": [{"type": "PARKING_TIME", "price": 6.00, "vat": 10.0, "step_size": 300}],
   "restrictions": {"start_time": "10:00", "end_time": "17:00", "day_of_week": ["SATURDAY"]}}])";

// Monday 09:30, 165 minutes charging at 16 A, 42 parked (billed 45, weekday 09-18 rate):
// 2.50 + 2.75 + 3.75 = 9.00; incl. 2.875 + 3.30 + 4.125 = 10.30.
TEST(TariffPricing, ComplexTariffOnAMondayMorning) {
    const Tariff t = tariff(kComplex);
    const auto c =
        price_session(t,
                      {period("2024-07-01T09:30:00Z", {{"ENERGY", 10}, {"TIME", 2.75}, {"MAX_CURRENT", 16}}),
                       period("2024-07-01T12:15:00Z", {{"PARKING_TIME", 0.7}})},
                      at("2024-07-01T09:30:00Z"), at("2024-07-01T12:57:00Z"), utc());
    EXPECT_NEAR(c.time.excl_vat, 2.75, kCent);
    EXPECT_NEAR(c.parking.excl_vat, 3.75, kCent);
    EXPECT_NEAR(c.total.excl_vat, 9.00, kCent);
    EXPECT_NEAR(*c.total.incl_vat, 10.30, kCent);
}

// Saturday 13:30, 114 minutes charging at 43 A (weekend rate 1.25), 71 parked (billed 75 at the
// Saturday 10-17 rate 6.00): 2.50 + 2.375 + 7.50 = 12.375; incl. 2.875 + 2.85 + 8.25 = 13.975.
TEST(TariffPricing, ComplexTariffOnASaturdayAfternoon) {
    const Tariff t = tariff(kComplex);
    const auto c =
        price_session(t,
                      {period("2024-07-06T13:30:00Z", {{"ENERGY", 30}, {"TIME", 1.9}, {"MIN_CURRENT", 43}}),
                       period("2024-07-06T15:24:00Z", {{"PARKING_TIME", 71.0 / 60}})},
                      at("2024-07-06T13:30:00Z"), at("2024-07-06T16:35:00Z"), utc());
    EXPECT_NEAR(c.time.excl_vat, 2.375, kCent);
    EXPECT_NEAR(c.parking.excl_vat, 7.50, kCent);
    EXPECT_NEAR(c.total.excl_vat, 12.375, kCent);
    EXPECT_NEAR(*c.total.incl_vat, 13.975, kCent);
}

const char* kStepSize = R"([
  {"price_components": [{"type": "TIME", "price": 1.20, "step_size": 1800},
                        {"type": "PARKING_TIME", "price": 1.00, "step_size": 900}],
   "restrictions": {"start_time": "00:00", "end_time": "17:00"}},
  {"price_components": [{"type": "TIME", "price": 2.40, "step_size": 900},
                        {"type": "PARKING_TIME", "price": 1.00, "step_size": 900}],
   "restrictions": {"start_time": "17:00", "end_time": "20:00"}},
  {"price_components": [{"type": "TIME", "price": 2.40, "step_size": 900}],
   "restrictions": {"start_time": "20:00", "end_time": "00:00"}}])";

// tariff_14_step_size, example #2: charging 16:35 to 17:10, 25 minutes at 1.20 and 10 at 2.40; the
// total 35 is rounded by the last component's 15 minutes to 45, so 20 minutes after 17:00:
// 0.50 + 0.80 = 1.30.
TEST(TariffPricing, StepSizeOfTheLastElementRoundsTheSessionsTime) {
    const Tariff t = tariff(kStepSize);
    const auto c = price_session(t, {period("2024-01-01T16:35:00Z", {{"ENERGY", 5}, {"TIME", 35.0 / 60}})},
                                 at("2024-01-01T16:35:00Z"), at("2024-01-01T17:10:00Z"), utc());
    EXPECT_NEAR(c.billed_charging_hours, 0.75, 1e-9);
    EXPECT_NEAR(c.total.excl_vat, 1.30, kCent);
}

// tariff_14_step_size, example #1: charging 16:55 to 17:05 (5 minutes at 1.20, 5 at 2.40), parked
// 2 minutes. mod_cdrs.asciidoc: step_size SHALL apply once, for TIME and PARKING_TIME "only ... for
// the total parking duration": the 2 parked minutes are billed as 15, 0.25. So 0.10 + 0.20 + 0.25 =
// 0.55. The tariff module's text instead rounds the whole 12 minutes to 15 and bills 5 parked
// minutes (0.383); its complex example (above) rounds the parking alone, as mod_cdrs says.
TEST(TariffPricing, StepSizeRoundsTheParkingAfterCharging) {
    const Tariff t = tariff(kStepSize);
    const auto c = price_session(t,
                                 {period("2024-01-01T16:55:00Z", {{"ENERGY", 2}, {"TIME", 10.0 / 60}}),
                                  period("2024-01-01T17:05:00Z", {{"PARKING_TIME", 2.0 / 60}})},
                                 at("2024-01-01T16:55:00Z"), at("2024-01-01T17:07:00Z"), utc());
    EXPECT_NEAR(c.time.excl_vat, 0.10 + 0.20, kCent);
    EXPECT_NEAR(c.parking.excl_vat, 0.25, kCent);
    EXPECT_NEAR(c.total.excl_vat, 0.55, kCent);
}

// tariffrestriction_example_max_power: 0.20 per kWh below 16 kW, 0.35 below 32 kW, else 0.50.
// 1 kWh at 6 kW, 40 kWh at 48 kW, 0.5 kWh at 4 kW: 0.20 + 20.00 + 0.10 = 20.30.
TEST(TariffPricing, MaxPowerRestriction) {
    const Tariff t = tariff(R"([
      {"price_components": [{"type": "ENERGY", "price": 0.20, "vat": 20.0, "step_size": 1}], "restrictions": {"max_power": 16.00}},
      {"price_components": [{"type": "ENERGY", "price": 0.35, "vat": 20.0, "step_size": 1}], "restrictions": {"max_power": 32.00}},
      {"price_components": [{"type": "ENERGY", "price": 0.50, "vat": 20.0, "step_size": 1}]}])");
    const auto c = price_session(t,
                                 {period("2024-01-01T10:00:00Z", {{"ENERGY", 1}, {"TIME", 10.0 / 60}}),
                                  period("2024-01-01T10:10:00Z", {{"ENERGY", 40}, {"TIME", 50.0 / 60}}),
                                  period("2024-01-01T11:00:00Z", {{"ENERGY", 0.5}, {"TIME", 7.5 / 60}})},
                                 at("2024-01-01T10:00:00Z"), at("2024-01-01T11:07:30Z"), utc());
    EXPECT_NEAR(c.total.excl_vat, 20.30, kCent);
    EXPECT_NEAR(*c.total.incl_vat, 20.30 * 1.2, kCent);
}

// tariffrestriction_example_max_duration: free for 30 minutes, 0.25 per kWh until 60, then 0.40.
// 40 minutes, 5 kWh in the first 30 and 1.2 kWh after: 0.00 + 0.30 = 0.30. Given as one period,
// the slices are cut at 30 minutes and the energy spread evenly: 6.2 kWh x 10/40 after 30 minutes.
TEST(TariffPricing, MaxDurationRestriction) {
    const Tariff t = tariff(R"([
      {"price_components": [{"type": "ENERGY", "price": 0.00, "vat": 20.0, "step_size": 1}], "restrictions": {"max_duration": 1800}},
      {"price_components": [{"type": "ENERGY", "price": 0.25, "vat": 20.0, "step_size": 1}], "restrictions": {"max_duration": 3600}},
      {"price_components": [{"type": "ENERGY", "price": 0.40, "vat": 20.0, "step_size": 1}]}])");
    const auto c = price_session(t,
                                 {period("2024-01-01T10:00:00Z", {{"ENERGY", 5}, {"TIME", 0.5}}),
                                  period("2024-01-01T10:30:00Z", {{"ENERGY", 1.2}, {"TIME", 10.0 / 60}})},
                                 at("2024-01-01T10:00:00Z"), at("2024-01-01T10:40:00Z"), utc());
    EXPECT_NEAR(c.total.excl_vat, 0.30, kCent);
    const auto even =
        price_session(t, {period("2024-01-01T10:00:00Z", {{"ENERGY", 6.2}, {"TIME", 40.0 / 60}})},
                      at("2024-01-01T10:00:00Z"), at("2024-01-01T10:40:00Z"), utc());
    EXPECT_NEAR(even.total.excl_vat, 6.2 * 10 / 40 * 0.25, 1e-6);
}

// A kWh restriction cuts a period where the running energy crosses it: 0.30 for the first 10 kWh,
// 0.20 after; 16 kWh in one period: 3.00 + 1.20.
TEST(TariffPricing, KwhRestrictionCutsAPeriod) {
    const Tariff t = tariff(R"([
      {"price_components": [{"type": "ENERGY", "price": 0.30, "step_size": 1}], "restrictions": {"max_kwh": 10}},
      {"price_components": [{"type": "ENERGY", "price": 0.20, "step_size": 1}]}])");
    const auto c = price_session(t, {period("2024-01-01T10:00:00Z", {{"ENERGY", 16}})},
                                 at("2024-01-01T10:00:00Z"), at("2024-01-01T12:00:00Z"), utc());
    EXPECT_NEAR(c.total.excl_vat, 4.20, 1e-6);
}

// Time of day is the location's: 0.40 per kWh from 17:00 to 21:00 local (Europe/Amsterdam, UTC+2 in
// July), else 0.20. 4 kWh from 14:00 to 16:00 UTC (16:00-18:00 local): 2 kWh at each, 1.20.
TEST(TariffPricing, TimeOfDayIsLocal) {
    const Tariff t = tariff(R"([
      {"price_components": [{"type": "ENERGY", "price": 0.40, "step_size": 1}], "restrictions": {"start_time": "17:00", "end_time": "21:00"}},
      {"price_components": [{"type": "ENERGY", "price": 0.20, "step_size": 1}]}])");
    const auto c =
        price_session(t, {period("2024-07-01T14:00:00Z", {{"ENERGY", 4}})}, at("2024-07-01T14:00:00Z"),
                      at("2024-07-01T16:00:00Z"), TimeZone("Europe/Amsterdam"));
    EXPECT_NEAR(c.total.excl_vat, 1.20, 1e-6);
}

// tariff_5_free_of_charge (a FLAT of 0.00, step_size 0) and a reservation element, which prices
// reservations, not charging.
TEST(TariffPricing, FreeOfChargeAndReservationElements) {
    const Tariff free =
        tariff(R"([{"price_components": [{"type": "FLAT", "price": 0.00, "step_size": 0}]}])");
    const auto c = price_session(free, {period("2024-01-01T10:00:00Z", {{"ENERGY", 20}})},
                                 at("2024-01-01T10:00:00Z"), at("2024-01-01T12:00:00Z"), utc());
    EXPECT_EQ(c.total.excl_vat, 0.0);
    EXPECT_EQ(*c.total.incl_vat, 0.0);
    const Tariff reserved = tariff(R"([
      {"price_components": [{"type": "TIME", "price": 5.00, "vat": 20.0, "step_size": 60}], "restrictions": {"reservation": "RESERVATION"}},
      {"price_components": [{"type": "FLAT", "price": 0.50, "vat": 20.0, "step_size": 1},
                            {"type": "ENERGY", "price": 0.25, "vat": 10.0, "step_size": 1}]}])");
    const auto r = price_session(reserved, {period("2024-01-01T10:00:00Z", {{"ENERGY", 20}, {"TIME", 2}})},
                                 at("2024-01-01T10:00:00Z"), at("2024-01-01T12:00:00Z"), utc());
    EXPECT_NEAR(r.total.excl_vat, 5.50, kCent);
}

}  // namespace
}  // namespace evtwin::ocpi
