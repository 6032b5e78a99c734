#include "data/tariff_file.hpp"

#include "model/local_time.hpp"
#include "model/price_series_tariff.hpp"
#include "model/tou_tariff.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <random>
#include <string>

namespace evtwin {
namespace {

using test::error_of;
using test::write_file;

using nlohmann::json;

// The folder of this suite's files.
const std::filesystem::path& tariff_dir() {
    static const auto d = test::temp_dir("tariff_file");
    return d;
}

// A small valid tariff: two seasons, one era, bands wrapping midnight.
json small_tariff() {
    return json::parse(R"({
      "format": "evtwin-tariff", "version": 1,
      "name": "Small", "currency": "EUR", "timezone": "Europe/Amsterdam",
      "holidays": ["12-25", "2024-04-01"],
      "seasons": {"summer": [[4, 9]], "winter": [[10, 3]]},
      "eras": [{"name": "only", "effective_from": "2024-01-01",
                "bands": {"all": {"weekday": [{"hours": "22-07", "band": "low"}, {"hours": "07-22", "band": "high"}],
                                  "weekend": [{"hours": "00-24", "band": "low"}]}}}],
      "prices": {"summer": {"low": 0.10, "high": 0.30}, "winter": {"low": 0.12, "high": 0.36}},
      "demand_charge_per_kw": {"summer": 2.0, "winter": 3.0},
      "export": {"factor": 0.5}
    })");
}

std::string load_error(const json& doc, TariffOptions options = {}) {
    const auto path = write_file(tariff_dir() / "t.json", doc.dump(2));
    return error_of<DataError>([&] { (void)load_tariff_file(path, options); });
}

Time ams(const std::string& s) {
    static const TimeZone z("Europe/Amsterdam");
    return parse_time(s, z);
}

TEST(TariffFile, LoadsTheSmallTariff) {
    const auto t = load_tariff_file(write_file(tariff_dir() / "small.json", small_tariff().dump()), {});
    EXPECT_EQ(t->name(), "Small");
    EXPECT_EQ(t->currency(), "EUR");
    EXPECT_DOUBLE_EQ(t->import_price(ams("2024-07-01T06:59")), 0.10);  // Monday
    EXPECT_DOUBLE_EQ(t->import_price(ams("2024-07-01T07:00")), 0.30);
    EXPECT_DOUBLE_EQ(t->import_price(ams("2024-07-01T22:00")), 0.10);
    EXPECT_DOUBLE_EQ(t->import_price(ams("2024-07-06T12:00")), 0.10);  // Saturday
    EXPECT_DOUBLE_EQ(t->import_price(ams("2024-04-01T12:00")), 0.10);  // Easter Monday, listed
    EXPECT_DOUBLE_EQ(t->import_price(ams("2024-12-25T12:00")), 0.12);  // recurring holiday, winter
    EXPECT_DOUBLE_EQ(t->import_price(ams("2024-12-24T12:00")), 0.36);
    EXPECT_DOUBLE_EQ(t->export_price(ams("2024-12-24T12:00")), 0.18);
    EXPECT_DOUBLE_EQ(t->demand_charge_per_kw(ams("2024-01-10")), 3.0);
    EXPECT_DOUBLE_EQ(t->demand_charge_per_kw(ams("2024-04-10")), 2.0);
    EXPECT_EQ(t->coverage().start, ams("2024-01-01"));
    EXPECT_EQ(t->coverage().end, Time::max());
    EXPECT_EQ(t->demand_interval(), Duration::minutes(15));
}

TEST(TariffFile, OptionsOverrideTheFile) {
    TariffOptions o;
    o.price_scale = 10.0;
    o.currency = "XYZ";
    o.demand_charge_per_kw = 7.0;
    o.export_price = 0.01;
    const auto t = load_tariff_file(write_file(tariff_dir() / "small.json", small_tariff().dump()), o);
    EXPECT_EQ(t->currency(), "XYZ");
    EXPECT_DOUBLE_EQ(t->import_price(ams("2024-07-01T12:00")), 3.0);
    EXPECT_DOUBLE_EQ(t->export_price(ams("2024-07-01T12:00")), 0.01);
    EXPECT_DOUBLE_EQ(t->demand_charge_per_kw(ams("2024-07-01T12:00")), 7.0);
    o.export_factor = 0.3;
    EXPECT_NE(load_error(small_tariff(), o).find("not both"), std::string::npos);
}

TEST(TariffFile, KepcoFilesAndVariants) {
    const auto self = test::source_file("scenarios/tariffs/kepco_ev_self_consumption.json");
    const auto ops = test::source_file("scenarios/tariffs/kepco_ev_charging_service.json");
    for (const char* v : {"low_voltage", "high_voltage"}) {
        TariffOptions o;
        o.variant = v;
        const auto t = load_tariff_file(self, o);
        EXPECT_EQ(t->currency(), "KRW");
        EXPECT_EQ(t->name(), std::string("KEPCO EV charging, self-consumption (") + v + ")");
        EXPECT_EQ(t->demand_interval(), Duration::minutes(15));
    }
    for (const char* v : {"low_voltage_I", "low_voltage_II", "low_voltage_III", "low_voltage_IV",
                          "high_voltage_I", "high_voltage_II", "high_voltage_III", "high_voltage_IV"}) {
        TariffOptions o;
        o.variant = v;
        EXPECT_NO_THROW((void)load_tariff_file(ops, o)) << v;
    }
    TariffOptions missing;
    missing.variant = "medium_voltage";
    const std::string e = error_of<DataError>([&] { (void)load_tariff_file(self, missing); });
    EXPECT_NE(
        e.find("kepco_ev_self_consumption.json: variants: no variant 'medium_voltage'; the variants are "
               "'high_voltage', 'low_voltage'"),
        std::string::npos)
        << e;
    const std::string none = error_of<DataError>([&] { (void)load_tariff_file(self, {}); });
    EXPECT_NE(none.find("several variants; choose one of"), std::string::npos) << none;
    // Demand charges: 2,390 low / 2,580 high KRW per kW and month.
    TariffOptions high;
    high.variant = "high_voltage";
    const TimeZone seoul("Asia/Seoul");
    EXPECT_DOUBLE_EQ(load_tariff_file(self, high)->demand_charge_per_kw(parse_time("2024-07-01", seoul)),
                     2580.0);
}

TEST(TariffFile, AcnportalFiles) {
    TariffOptions o;
    o.timezone = "America/Los_Angeles";
    const TimeZone la("America/Los_Angeles");
    const auto ev8 = load_tariff_file(test::data_file("tariffs/sce_tou_ev_8_june_2019.json"), o);
    EXPECT_EQ(ev8->name(), "SCE TOU-EV-8");
    EXPECT_DOUBLE_EQ(ev8->import_price(parse_time("2019-07-01T16:00", la)), 0.49619);  // summer weekday
    EXPECT_DOUBLE_EQ(ev8->import_price(parse_time("2019-07-06T16:00", la)), 0.25563);  // summer weekend
    EXPECT_DOUBLE_EQ(ev8->import_price(parse_time("2019-09-30T23:59", la)), 0.12597);  // "9-30" inclusive
    EXPECT_DOUBLE_EQ(ev8->import_price(parse_time("2019-10-01T08:00", la)), 0.07724);  // winter
    EXPECT_DOUBLE_EQ(ev8->import_price(parse_time("2020-05-31T16:00", la)), 0.297);
    EXPECT_DOUBLE_EQ(ev8->demand_charge_per_kw(parse_time("2019-07-01", la)), 0.0);
    // PG&E A-10 lists two winter entries for ALL days: the first wins, as in acnportal, so winter
    // weekends get the weekday schedule (part-peak 08:30-21:30 at 0.1477).
    const auto pge = load_tariff_file(test::data_file("tariffs/pge_a10_tou_aug_2019.json"), o);
    EXPECT_DOUBLE_EQ(pge->import_price(parse_time("2019-12-02T12:00", la)), 0.1477);  // Monday
    EXPECT_DOUBLE_EQ(pge->import_price(parse_time("2019-12-07T12:00", la)), 0.1477);  // Saturday
    EXPECT_DOUBLE_EQ(pge->import_price(parse_time("2019-12-07T22:00", la)), 0.13064);
    EXPECT_DOUBLE_EQ(pge->import_price(parse_time("2019-08-03T12:00", la)), 0.14903);  // summer weekend
}

TEST(TariffFile, AcnportalFractionalHours) {
    // PG&E's 8.5 and 21.5 start hours are 08:30 and 21:30 (a corrected copy: winter part-peak on weekdays
    // only).
    json doc = json::parse(R"({"name": "A10 fixed", "schedule": [
      {"id": "S-WD", "effective_start": "05-01", "effective_end": "10-31", "dow_mask": "WEEKDAYS",
       "times": [0, 8.5, 12, 18, 21.5], "tariffs": [0.14903, 0.1771, 0.23223, 0.1771, 0.14903], "demand_charge": 19.99},
      {"id": "S-WE", "effective_start": "05-01", "effective_end": "10-31", "dow_mask": "WEEKENDS",
       "times": [0], "tariffs": [0.14903], "demand_charge": 19.99},
      {"id": "W-WD", "effective_start": "11-01", "effective_end": "4-30", "dow_mask": "WEEKDAYS",
       "times": [0, 8.5, 21.5], "tariffs": [0.13064, 0.1477, 0.13064], "demand_charge": 11.66},
      {"id": "W-WE", "effective_start": "11-01", "effective_end": "4-30", "dow_mask": "WEEKENDS",
       "times": [0], "tariffs": [0.13064], "demand_charge": 11.66}]})");
    TariffOptions o;
    o.timezone = "America/Los_Angeles";
    const auto t = load_tariff_file(write_file(tariff_dir() / "a10.json", doc.dump()), o);
    const TimeZone la("America/Los_Angeles");
    EXPECT_DOUBLE_EQ(t->import_price(parse_time("2019-07-01T08:29", la)), 0.14903);
    EXPECT_DOUBLE_EQ(t->import_price(parse_time("2019-07-01T08:30", la)), 0.1771);
    EXPECT_EQ(t->next_change(parse_time("2019-07-01T08:00", la)), parse_time("2019-07-01T08:30", la));
    EXPECT_DOUBLE_EQ(t->demand_charge_per_kw(parse_time("2019-12-01", la)), 11.66);
}

TEST(TariffFile, BadEvtwinFilesNameThePathAndWhatWasExpected) {
    struct Case {
        std::function<void(json&)> mutate;
        std::string fragment;
    };
    const std::vector<Case> cases{
        {[](json& j) { j.erase("name"); }, "t.json: name: missing; this key is required"},
        {[](json& j) { j["name"] = 5; }, "t.json: name: expected a string, got number 5"},
        {[](json& j) { j["prices"]["summer"]["high"] = -0.3; },
         "t.json: prices.summer.high: expected a non-negative number, got number -0.3"},
        {[](json& j) { j["prices"]["summer"]["high"] = "0.3"; },
         "prices.summer.high: expected a number, got string"},
        {[](json& j) { j["prices"]["summer"]["high"] = 1e300; },
         "t.json: prices.summer.high: expected a number within +-1e15, got number 1e+300"},
        {[](json& j) { j["prices"]["summer"].erase("high"); },
         "prices.summer.high: missing; expected the price of band 'high' (used in "
         "eras[0].bands.all.weekday)"},
        {[](json& j) { j["eras"][0]["bands"]["all"]["weekday"][0]["hours"] = "21-07"; },
         "eras[0].bands.all.weekday[1]: hours 07:00-22:00 overlap eras[0].bands.all.weekday[0] at 21:00"},
        {[](json& j) { j["eras"][0]["bands"]["all"]["weekday"][0]["hours"] = "23-07"; },
         "eras[0].bands.all.weekday: hours 22:00-23:00 are in no band"},
        {[](json& j) { j["eras"][0]["bands"]["all"]["weekday"][0]["hours"] = "22-7h"; },
         "eras[0].bands.all.weekday[0].hours: expected hours \"HH-HH\""},
        {[](json& j) { j["eras"][0]["bands"]["all"].erase("weekend"); },
         "eras[0].bands.all: no bands for saturday"},
        {[](json& j) { j["eras"][0]["bands"]["all"]["holiday"] = json::array(); },
         "eras[0].bands.all.holiday: unknown day type"},
        {[](json& j) { j["eras"][0].erase("bands"); }, "eras[0].bands: missing; this key is required"},
        {[](json& j) { j["eras"] = json::array(); }, "eras: expected a non-empty array"},
        {[](json& j) {
             j["seasons"]["winter"] = json::array({json::array({10, 2})});
         },
         "seasons: month 3 is in no season"},
        {[](json& j) {
             j["seasons"]["winter"] = json::array({json::array({9, 3})});
         },
         "seasons.winter[0]: month 9 is also in season 'summer'"},
        {[](json& j) { j["seasons"]["winter"] = json::array({13}); },
         "seasons.winter[0]: expected an integer in 1..12"},
        {[](json& j) {
             json second = j["eras"][0];
             j["eras"][0]["effective_to"] = "2024-06-01";
             second["effective_from"] = "2024-07-01";
             j["eras"].push_back(second);
         },
         "eras[1]: effective_from 20240701 does not follow the previous era's effective_to 20240601"},
        {[](json& j) { j["eras"][0]["effective_from"] = "2024-02-30"; },
         "eras[0].effective_from: expected a date \"YYYY-MM-DD\""},
        {[](json& j) { j["timezone"] = "Europe/Atlantis"; },
         "t.json: timezone: unknown time zone 'Europe/Atlantis'"},
        {[](json& j) { j["holidays"] = json::array({"13-01"}); },
         "holidays[0]: expected a month-day \"MM-DD\""},
        {[](json& j) {
             j["export"] = {{"price", 0.1}, {"factor", 0.5}};
         },
         "export: expected exactly one of"},
        {[](json& j) {
             j["demand_charge_per_kw"] = {{"summer", 2.0}};
         },
         "demand_charge_per_kw.winter: missing; expected a demand charge for every season"},
        {[](json& j) { j["format"] = "other"; }, "format: expected \"evtwin-tariff\""},
        {[](json& j) { j["demand_interval_minutes"] = 7; },
         "t.json: demand_interval_minutes: expected a number of minutes that divides an hour (5, 15, 30, 60, "
         "...), got 7"},
        {[](json& j) { j["demand_interval_minutes"] = 120; },
         "t.json: demand_interval_minutes: expected an integer in 1..60"},
        {[](json& j) {
             j.erase("eras");
             j.erase("seasons");
         },
         "expected evtwin's tariff format (with 'eras', see docs/tariffs.md) or acnportal's"},
    };
    for (const auto& c : cases) {
        json doc = small_tariff();
        c.mutate(doc);
        const std::string e = load_error(doc);
        EXPECT_NE(e.find(c.fragment), std::string::npos) << "expected '" << c.fragment << "' in: " << e;
    }
}

TEST(TariffFile, BadAcnportalFiles) {
    const json good = json::parse(R"({"name": "X", "schedule": [
      {"id": "A", "effective_start": "01-01", "effective_end": "12-31", "dow_mask": "ALL",
       "times": [0, 12], "tariffs": [0.1, 0.2], "demand_charge": 1}]})");
    struct Case {
        std::function<void(json&)> mutate;
        std::string fragment;
    };
    const std::vector<Case> cases{
        {[](json& j) { j["schedule"][0]["effective_end"] = "06-30"; },
         "schedule: no entry covers 07-01 on Sundays"},
        {[](json& j) { j["schedule"][0]["dow_mask"] = "WEEKDAYS"; },
         "schedule: no entry covers 01-01 on Sundays"},
        {[](json& j) { j["schedule"][0]["dow_mask"] = "SOMEDAYS"; },
         "schedule[0].dow_mask: expected \"WEEKDAYS\""},
        {[](json& j) { j["schedule"][0]["times"] = json::array({0}); },
         "schedule[0]: expected as many 'tariffs' as 'times', got 2 and 1"},
        {[](json& j) {
             j["schedule"][0]["times"] = json::array({1, 12});
         },
         "schedule[0].times[0]: expected 0 (the first period starts at midnight)"},
        {[](json& j) {
             j["schedule"][0]["times"] = json::array({0, 24});
         },
         "schedule[0].times[1]: expected a start hour in [0, 24)"},
        {[](json& j) { j["schedule"][0]["tariffs"][1] = -1; },
         "schedule[0].tariffs[1]: expected a non-negative number, got number -1"},
        {[](json& j) { j["schedule"][0]["effective_start"] = "1/1"; },
         "schedule[0].effective_start: expected a month-day \"MM-DD\""},
        {[](json& j) { j["schedule"][0].erase("times"); },
         "schedule[0].times: missing; this key is required"},
    };
    for (const auto& c : cases) {
        json doc = good;
        c.mutate(doc);
        const std::string e = load_error(doc);
        EXPECT_NE(e.find(c.fragment), std::string::npos) << "expected '" << c.fragment << "' in: " << e;
    }
}

TEST(TariffFile, MissingFileAndBadJson) {
    const std::string missing =
        error_of<DataError>([] { (void)load_tariff_file("/nonexistent/tariff.json", {}); });
    EXPECT_NE(missing.find("/nonexistent/tariff.json: cannot open the file"), std::string::npos) << missing;
    const std::string bad = error_of<DataError>(
        [] { (void)load_tariff_file(write_file(tariff_dir() / "bad.json", "{\"name\": \n  [1, 2,"), {}); });
    EXPECT_NE(bad.find("bad.json: invalid JSON"), std::string::npos) << bad;
    EXPECT_NE(bad.find("line 2"), std::string::npos) << bad;
    const std::string array = error_of<DataError>(
        [] { (void)load_tariff_file(write_file(tariff_dir() / "array.json", "[1]"), {}); });
    EXPECT_NE(array.find("array.json: (top level): expected a JSON object"), std::string::npos) << array;
}

TEST(TariffFile, FuzzedFilesLoadOrThrowDataError) {
    // Property: random structural mutations and byte flips of valid files never crash and never throw
    // anything but DataError.
    const std::string base = small_tariff().dump();
    std::mt19937_64 rng(5);
    const std::vector<json> values{
        json(nullptr), json(-1),      json(0),        json(25),   json(0.5),          json("x"),
        json("22-08"), json::array(), json::object(), json(true), json::array({1, 2})};
    int loaded = 0;
    for (int i = 0; i < 400; ++i) {
        json doc = small_tariff();
        // Replace a random node (walked from the root) by a random value.
        json* node = &doc;
        for (int depth = 0; depth < 6 && (node->is_object() || node->is_array()) && !node->empty(); ++depth) {
            auto it = node->begin();
            std::advance(it, static_cast<long>(rng() % node->size()));
            node = &*it;
            if (rng() % 3 == 0) break;
        }
        *node = values[rng() % values.size()];
        std::string text = doc.dump();
        if (i % 2 == 1) text[rng() % text.size()] = static_cast<char>(rng() % 128);
        try {
            (void)load_tariff_file(write_file(tariff_dir() / "fuzz.json", text), {});
            ++loaded;
        } catch (const DataError&) {
        }
    }
    EXPECT_GT(loaded, 0);
}

TEST(PriceSeriesCsv, LoadsTheDutchDayAheadYear) {
    TariffOptions o;
    o.timezone = "Europe/Amsterdam";
    o.price_scale = 0.001;
    const auto t = load_price_series_csv(test::data_file("prices/nl_day_ahead_2016.csv"), o);
    const auto* series = dynamic_cast<const PriceSeriesTariff*>(t.get());
    ASSERT_NE(series, nullptr);
    // 366 days x 24 h = 8,784 hours (the spring day's 23 and the autumn day's 25 cancel out).
    EXPECT_EQ(series->series().t.size(), 8784u);
    EXPECT_EQ(t->coverage().start, ams("2016-01-01"));
    EXPECT_EQ(t->coverage().end, ams("2017-01-01"));
    EXPECT_EQ(t->currency(), "EUR");
    EXPECT_DOUBLE_EQ(t->import_price(ams("2016-01-01T00:30")), 0.02386);
    // The two 02:00 hours of 2016-10-30: 00:00Z and 01:00Z.
    const TimeZone utc("UTC");
    EXPECT_DOUBLE_EQ(t->import_price(parse_time("2016-10-30T00:30Z", utc)), 0.03311);
    EXPECT_DOUBLE_EQ(t->import_price(parse_time("2016-10-30T01:30Z", utc)), 0.03293);
    EXPECT_EQ(t->billing_period(ams("2016-03-27T12:00")).start, ams("2016-03-01"));
}

TEST(PriceSeriesCsv, BadRowsNameTheLine) {
    TariffOptions o;
    o.timezone = "Europe/Amsterdam";
    const auto load = [&](const std::string& text) {
        return error_of<DataError>(
            [&] { (void)load_price_series_csv(write_file(tariff_dir() / "p.csv", text), o); });
    };
    EXPECT_NE(load("date,hour,Price\n2016-01-01,00:00:00,1\n2016-01-01,02:00:00,2\n")
                  .find("p.csv:3: expected the hour after 2015-12-31T23:00:00.000Z"),
              std::string::npos);
    EXPECT_NE(load("date,hour,Price\n2016-01-01,00:00:00,n/a\n")
                  .find("p.csv:2: expected a number in column 'Price'"),
              std::string::npos);
    EXPECT_NE(load("date,hour,Price\n2016-01-01,25:00:00,1\n")
                  .find("p.csv:2: expected a date 'YYYY-MM-DD' and an hour"),
              std::string::npos);
    EXPECT_NE(load("date,hour,Price\n2016-13-01,00:00:00,1\n").find("p.csv:2:"), std::string::npos);
    EXPECT_NE(load("day,hour,Price\n").find("no column 'date'"), std::string::npos);
    EXPECT_NE(load("date,hour,Price\n").find("p.csv: no price rows"), std::string::npos);
    EXPECT_NE(load("date,hour,Cost\n2016-01-01,00:00:00,1\n").find("no column 'Price'"), std::string::npos);
    o.timezone = "Mars/Base";
    EXPECT_NE(load("date,hour,Price\n2016-01-01,00:00:00,1\n").find("unknown time zone 'Mars/Base'"),
              std::string::npos);
}

}  // namespace
}  // namespace evtwin

namespace evtwin {
namespace {

TEST(TariffFile, TheDocumentedExampleLoads) {
    // The first ```json block of docs/tariffs.md.
    const std::string doc = test::read_file(test::source_file("docs/tariffs.md"));
    const auto open = doc.find("```json\n");
    ASSERT_NE(open, std::string::npos);
    const auto close = doc.find("```", open + 8);
    const auto path = write_file(tariff_dir() / "doc.json", doc.substr(open + 8, close - open - 8));
    const auto t = load_tariff_file(path, {});
    EXPECT_EQ(t->name(), "Example TOU (basic)");
    EXPECT_DOUBLE_EQ(t->import_price(ams("2023-07-03T12:00")), 0.18);  // era "old": era_prices
    EXPECT_DOUBLE_EQ(t->import_price(ams("2024-07-01T12:00")), 0.30);  // a Monday in summer
    EXPECT_DOUBLE_EQ(t->import_price(ams("2024-12-25T12:00")), 0.12);  // holiday in winter
    EXPECT_DOUBLE_EQ(t->export_price(ams("2024-07-01T12:00")), 0.15);
}

}  // namespace
}  // namespace evtwin
