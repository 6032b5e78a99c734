// A simulated run as OCPI: every exported object reads back under the specification's checks, the
// CDRs' energy is the sessions' energy at the inlet, and their costs are the tariff's.
#include "ocpi/export/run_export.hpp"
#include "model/local_time.hpp"
#include "ocpi/format/read.hpp"
#include "ocpi/format/tariff_pricing.hpp"
#include "ocpi/format/write.hpp"
#include "support/test_support.hpp"

#include <evtwin/run.hpp>
#include <evtwin/scenario.hpp>

#include <gtest/gtest.h>

#include <map>

namespace evtwin::ocpi {
namespace {

struct QuickstartRun {
    std::filesystem::path db;
    RunId run = 0;
};

const QuickstartRun& quickstart_run() {
    static const QuickstartRun r = [] {
        QuickstartRun q;
        q.db = test::temp_dir("ocpi-export") / "quickstart.db";
        RunOptions options;
        options.strategy = "edf";
        options.db = q.db;
        q.run = run_scenario(Scenario::load(test::source_file("scenarios/quickstart.lua")), options).run_id;
        return q;
    }();
    return r;
}

TEST(OcpiExport, EveryObjectReadsBackUnderTheSpecificationsChecks) {
    const RunReader reader(quickstart_run().db);
    const RunExport e = export_run(reader, quickstart_run().run, {});
    const auto dir = test::temp_dir("ocpi-export-files");
    write_json_file(dir / "cdrs.json", e.cdrs);
    write_json_file(dir / "sessions.json", e.sessions);
    write_json_file(dir / "tariffs.json", std::vector<Tariff>{e.tariff});
    write_json_file(dir / "locations.json", std::vector<Location>{e.location});
    EXPECT_EQ(read_cdrs(dir / "cdrs.json").size(), e.cdrs.size());
    EXPECT_EQ(read_sessions(dir / "sessions.json").size(), e.sessions.size());
    EXPECT_EQ(read_tariffs(dir / "tariffs.json").size(), 1u);
    const auto locations = read_locations(dir / "locations.json");
    ASSERT_EQ(locations.size(), 1u);
    EXPECT_EQ(locations[0].evses.size(), reader.site(quickstart_run().run).connectors.size());
    EXPECT_EQ(locations[0].time_zone, "Asia/Seoul");
}

TEST(OcpiExport, CdrEnergyIsTheSessionsEnergyAtTheInlet) {
    const RunReader reader(quickstart_run().db);
    const RunExport e = export_run(reader, quickstart_run().run, {});
    std::map<std::string, SessionRecord> records;
    std::size_t with_connector = 0, departed = 0;
    for (const SessionRecord& s : reader.sessions(quickstart_run().run)) {
        records[std::to_string(s.id)] = s;
        with_connector += s.connector != kNone;
        departed += s.connector != kNone && s.departed;
    }
    EXPECT_EQ(e.sessions.size(), with_connector);
    EXPECT_EQ(e.without_connector, records.size() - with_connector);
    ASSERT_GT(e.cdrs.size(), 100u);
    EXPECT_LE(e.cdrs.size(), departed);
    for (const Cdr& c : e.cdrs) {
        const SessionRecord& s = records.at(c.session_id);
        EXPECT_NEAR(c.total_energy, s.delivered_kwh, 1e-6) << c.id;
        EXPECT_EQ(c.start_date_time, s.arrival);
        EXPECT_EQ(c.end_date_time, s.departure);
        EXPECT_NEAR(c.total_time, (s.departure - s.arrival).hours_f(), 1e-12);
        double period_hours = 0;
        for (std::size_t i = 0; i < c.charging_periods.size(); ++i) {
            const ChargingPeriod& p = c.charging_periods[i];
            const Time next = i + 1 < c.charging_periods.size() ? c.charging_periods[i + 1].start_date_time
                                                                : c.end_date_time;
            period_hours += p.volume("TIME").value_or(0) + p.volume("PARKING_TIME").value_or(0);
            EXPECT_NEAR(p.volume("TIME").value_or(0) + p.volume("PARKING_TIME").value_or(0),
                        (next - p.start_date_time).hours_f(), 1e-12);
        }
        EXPECT_NEAR(period_hours, c.total_time, 1e-9) << c.id;
    }
}

// Converted, the run's own prices give each CDR the energy cost the site's tariff puts on its
// charging: the sum over its periods of energy x the import price in force, and the energy's
// rounding up to a whole Wh (step_size 1) at the last price charged.
TEST(OcpiExport, CostsAreTheRunsPricesOnTheSessionsEnergy) {
    const RunReader reader(quickstart_run().db);
    const RunExport e = export_run(reader, quickstart_run().run, {});
    const auto prices = reader.tariff_prices(quickstart_run().run);
    const auto price_at = [&](Time t) {
        double p = prices.front().import_price;
        for (const PriceRow& row : prices)
            if (row.t <= t) p = row.import_price;
        return p;
    };
    const TimeZone zone("Asia/Seoul");
    for (const Cdr& c : e.cdrs) {
        double expected = 0, total_kwh = 0, last_price = 0;
        for (std::size_t i = 0; i < c.charging_periods.size(); ++i) {
            const ChargingPeriod& p = c.charging_periods[i];
            const Time next = i + 1 < c.charging_periods.size() ? c.charging_periods[i + 1].start_date_time
                                                                : c.end_date_time;
            // Spread evenly over the period, as the pricing does, minute by minute.
            const double kwh = p.volume("ENERGY").value_or(0);
            const double ms = static_cast<double>((next - p.start_date_time).ms());
            for (Time t = p.start_date_time; t < next;) {
                const Time to = std::min(next, Time((t.ms() / 60'000 + 1) * 60'000));
                expected += kwh * static_cast<double>((to - t).ms()) / ms * price_at(t);
                if (kwh != 0) last_price = price_at(t);
                t = to;
            }
            total_kwh += kwh;
        }
        expected += (std::ceil(total_kwh * 1000 - 1e-9) - total_kwh * 1000) / 1000 * last_price;
        EXPECT_NEAR(c.total_cost.excl_vat, expected, 1e-6 * std::max(1.0, expected)) << c.id;
        EXPECT_FALSE(c.total_cost.incl_vat) << "no VAT given";
        EXPECT_NEAR(c.total_energy_cost->excl_vat, c.total_cost.excl_vat, 1e-9);
    }
}

// Under the run's own prices, the drivers pay for the energy at the inlet what the site paid for
// the energy its chargers drew: the margin is the chargers' losses (each CDR's energy also rounded
// up to a whole Wh, at most a Wh's price).
TEST(OcpiExport, MarginUnderTheRunsOwnPricesIsTheChargersLosses) {
    const RunReader reader(quickstart_run().db);
    const SiteTree site = reader.site(quickstart_run().run);
    const double efficiency = site.connectors.at(0).efficiency;
    for (const ConnectorRecord& c : site.connectors) ASSERT_EQ(c.efficiency, efficiency);
    ASSERT_LT(efficiency, 1.0);
    const RunExport e = export_run(reader, quickstart_run().run, {});
    double most_price = 0;
    for (const PriceRow& p : reader.tariff_prices(quickstart_run().run))
        most_price = std::max(most_price, p.import_price);
    EXPECT_GT(e.energy_cost, e.revenue);
    EXPECT_NEAR(e.revenue, e.energy_cost * efficiency, 2 * e.cdrs.size() * most_price / 1000);
    EXPECT_EQ(e.grid_currency, "KRW");
}

TEST(OcpiExport, AGivenTariffPricesTheSessions) {
    const Tariff flat =
        parse_tariffs(R"({"country_code": "KR", "party_id": "EVT", "id": "flat", "currency": "KRW",
      "elements": [{"price_components": [{"type": "FLAT", "price": 1000, "vat": 10, "step_size": 1},
                                         {"type": "ENERGY", "price": 300, "vat": 10, "step_size": 1}]}],
      "last_updated": "2024-06-01T00:00:00Z"})",
                      "flat.json")
            .at(0);
    ExportOptions options;
    options.tariff = flat;
    const RunReader reader(quickstart_run().db);
    const RunExport e = export_run(reader, quickstart_run().run, options);
    EXPECT_EQ(e.tariff.id, "flat");
    for (const Cdr& c : e.cdrs) {
        const double wh = std::ceil(c.total_energy * 1000 - 1e-6);
        EXPECT_NEAR(c.total_cost.excl_vat, 1000 + wh / 1000 * 300, 1e-6) << c.id;
        EXPECT_NEAR(*c.total_cost.incl_vat, (1000 + wh / 1000 * 300) * 1.1, 1e-6) << c.id;
        EXPECT_EQ(c.charging_periods.front().tariff_id, "flat");
    }
}

}  // namespace
}  // namespace evtwin::ocpi

namespace evtwin::ocpi {
namespace {

// Names from the scenario (any UTF-8) become ids of printable ASCII within OCPI's lengths, and
// names cut to their lengths by whole characters.
TEST(OcpiExport, NamesFitOcpisIdsAndLengths) {
    const auto dir = test::temp_dir("ocpi-export-names");
    const std::string charger = "충전기-지하주차장-동쪽-첫번째-자리-아주-긴-이름";
    const auto scenario = test::write_file(
        dir / "names.lua",
        R"(scenario { name = "서울 )" + std::string(300, 'x') +
            R"(", timezone = "Asia/Seoul",
  start = "2024-07-01", duration = days(1) }
grid { import_kw = 100 }
tariff { file = ")" +
            test::source_file("scenarios/tariffs/norway_household_flat_illustrative.json").string() +
            R"(" }
charger { name = ")" +
            charger + R"(", max_kw = 22 }
session { arrival = "2024-07-01 08:00", departure = "2024-07-01 12:00", requested_kwh = 10, station = ")" +
            charger + R"(" }
)");
    RunOptions options;
    options.strategy = "uncontrolled";
    options.db = dir / "names.db";
    const RunId run = run_scenario(Scenario::load(scenario), options).run_id;
    const RunExport e = export_run(RunReader(options.db), run, {});
    write_json_file(dir / "locations.json", std::vector<Location>{e.location});
    write_json_file(dir / "cdrs.json", e.cdrs);
    const auto locations = read_locations(dir / "locations.json");
    ASSERT_EQ(locations.at(0).evses.size(), 1u);
    EXPECT_EQ(locations[0].evses[0].uid.size(), 36u);
    EXPECT_EQ(locations[0].evses[0].physical_reference, "충전기-지하주차장-동쪽-첫번째");  // 16 characters
    const auto cdrs = read_cdrs(dir / "cdrs.json");
    ASSERT_EQ(cdrs.size(), 1u);
    EXPECT_EQ(cdrs[0].cdr_location.evse_uid, locations[0].evses[0].uid);
    EXPECT_NEAR(cdrs[0].total_energy, 10, 1e-4);
}

}  // namespace
}  // namespace evtwin::ocpi
