// What drivers pay under the scenario's OCPI charging tariff (economics { charging_tariff = ... }):
// each session priced as its CDR is, in the KPIs charging_revenue and cpo_profit, gathered as the
// run is written and computed again from its file, and what `evtwin ocpi export` bills.
#include <evtwin/run.hpp>
#include <evtwin/scenario.hpp>

#include "kpi/kpis.hpp"
#include "model/scenario_spec.hpp"
#include "ocpi/export/run_export.hpp"
#include "ocpi/format/read.hpp"
#include "record/reader/run_reader.hpp"
#include "scenario/scenario_impl.hpp"

#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace evtwin {
namespace {

// ENERGY 0.30 a kWh from 06:00 to 09:00 on the site's clock, else 0.50; 1.00 a session; 2.00 an
// hour parked.
constexpr const char* kDriversTariff = R"({
  "country_code": "NO", "party_id": "EVT", "id": "drivers", "currency": "EUR",
  "elements": [
    { "price_components": [ { "type": "ENERGY", "price": 0.30, "step_size": 1 } ],
      "restrictions": { "start_time": "06:00", "end_time": "09:00" } },
    { "price_components": [ { "type": "ENERGY", "price": 0.50, "step_size": 1 },
                            { "type": "FLAT", "price": 1.00, "step_size": 1 },
                            { "type": "PARKING_TIME", "price": 2.00, "step_size": 1 } ] }
  ],
  "last_updated": "2016-07-01T00:00:00Z"
})";

// One 11 kW charger without losses in Oslo (UTC+2 in July). Vehicle A: 22 kWh from 08:00 to
// 12:00; vehicle B: 11 kWh from 22:00, still plugged in when the run ends at midnight.
std::filesystem::path paid_site(const std::string& name, const std::string& economics,
                                const std::string& tariff_json = kDriversTariff) {
    const auto dir = test::temp_dir("charging-tariff-" + name);
    test::write_file(dir / "drivers.json", tariff_json);
    return test::write_file(
        dir / "site.lua",
        "scenario { name = \"paid\", timezone = \"Europe/Oslo\", start = \"2016-07-04\", duration = days(1) "
        "}\n"
        "grid {}\n"
        "charger { name = \"CP\", max_kw = 11, efficiency = 1 }\n"
        "tariff { prices_csv = data(\"prices/nl_day_ahead_2016.csv\"), timezone = \"Europe/Amsterdam\",\n"
        "         price_scale = 0.001, currency = \"EUR\" }\n"
        "economics { " +
            economics +
            " }\n"
            "session { arrival = \"2016-07-04T08:00\", departure = \"2016-07-04T12:00\", requested_kwh = "
            "22,\n"
            "          capacity_kwh = 60, initial_soc = 0.2, max_ac_kw = 11, charge_efficiency = 1 }\n"
            "session { arrival = \"2016-07-04T22:00\", departure = \"2016-07-05T06:00\", requested_kwh = "
            "11,\n"
            "          capacity_kwh = 60, initial_soc = 0.2, max_ac_kw = 11, charge_efficiency = 1 }\n");
}

std::map<std::string, double> kpi_values(const std::vector<Kpi>& kpis) {
    std::map<std::string, double> out;
    for (const Kpi& k : kpis) out[k.name] = k.value;
    return out;
}

RunOutcome run_uncontrolled(const std::filesystem::path& scenario) {
    RunOptions options;
    options.strategy = "uncontrolled";
    options.db = scenario.parent_path() / "run.db";
    return run_scenario(Scenario::load(scenario), options);
}

TEST(ChargingTariff, DriversPayTheirSessionsAsTheTariffPricesThem) {
    const auto scenario =
        paid_site("by-hand", "charging_price_per_kwh = 0.35, charging_tariff = \"drivers.json\"");
    const RunOutcome run = run_uncontrolled(scenario);
    // A: 11 kWh 08:00-09:00 at 0.30 (3.30), 11 kWh 09:00-10:00 at 0.50 (5.50), parked 10:00-12:00
    // (4.00), the session (1.00): 13.80. B, priced up to the run's end: 11 kWh 22:00-23:00 at 0.50
    // (5.50), parked 23:00-24:00 (2.00), the session (1.00): 8.50. Not 33 kWh at 0.35 (11.55).
    const auto gathered = kpi_values(run.kpis);
    EXPECT_NEAR(gathered.at("energy_delivered"), 33.0, 1e-9);
    EXPECT_NEAR(gathered.at("charging_revenue"), 22.30, 1e-9);

    const Scenario loaded = Scenario::load(scenario);
    const ScenarioSpec& spec = loaded.impl().loaded;
    const RunReader reader(run.db);
    EXPECT_EQ(nlohmann::json::parse(reader.run(run.run_id).economics.charging_tariff),
              nlohmann::json::parse(spec.economics.charging_tariff));
    const auto read_back = kpi_values(compute_kpis(reader, run.run_id, *spec.tariff, spec.economics));
    EXPECT_EQ(read_back.at("charging_revenue"), gathered.at("charging_revenue"));
    EXPECT_EQ(read_back.at("cpo_profit"), gathered.at("cpo_profit"));

    // The same sessions exported as OCPI under the same tariff bill the same.
    ocpi::ExportOptions options;
    options.tariff = ocpi::parse_tariffs(kDriversTariff, "drivers.json").front();
    const ocpi::RunExport exported = ocpi::export_run(reader, run.run_id, options);
    ASSERT_EQ(exported.sessions.size(), 2u);
    EXPECT_NEAR(exported.sessions[0].total_cost->excl_vat, 13.80, 1e-9);
    EXPECT_NEAR(exported.sessions[1].total_cost->excl_vat, 8.50, 1e-9);
    EXPECT_NEAR(exported.revenue, 13.80, 1e-9);  // the finished session's CDR alone
}

TEST(ChargingTariff, TheCpoProfitGainsWhatTheTariffEarnsOverTheFlatPrice) {
    const auto flat = kpi_values(run_uncontrolled(paid_site("flat", "charging_price_per_kwh = 0.35")).kpis);
    const auto tariff = kpi_values(
        run_uncontrolled(
            paid_site("tariff", "charging_price_per_kwh = 0.35, charging_tariff = \"drivers.json\""))
            .kpis);
    EXPECT_NEAR(flat.at("charging_revenue"), 33.0 * 0.35, 1e-9);
    EXPECT_NEAR(tariff.at("cpo_profit") - flat.at("cpo_profit"), 22.30 - 33.0 * 0.35, 1e-9);
    EXPECT_EQ(tariff.at("energy_cost"), flat.at("energy_cost"));
}

std::string tariff_load_error(const std::filesystem::path& scenario) {
    return test::error_of<ScenarioError>([&] { Scenario::load(scenario); });
}

TEST(ChargingTariff, ABadTariffNamesTheScenarioLineTheFileTheObjectAndTheField) {
    auto scenario =
        paid_site("other-currency", "charging_tariff = \"drivers.json\"",
                  std::string(kDriversTariff).replace(std::string(kDriversTariff).find("EUR"), 3, "NOK"));
    EXPECT_NE(
        tariff_load_error(scenario).find(":6: economics: charging_tariff: its currency is 'NOK', the grid "
                                         "tariff's is 'EUR'"),
        std::string::npos)
        << tariff_load_error(scenario);

    scenario =
        paid_site("bad-field", "charging_tariff = \"drivers.json\"",
                  std::string(kDriversTariff).replace(std::string(kDriversTariff).find("06:00"), 5, "6am"));
    EXPECT_NE(tariff_load_error(scenario).find("economics: charging_tariff: "), std::string::npos)
        << tariff_load_error(scenario);
    EXPECT_NE(tariff_load_error(scenario).find(
                  "drivers.json: Tariff (id 'drivers'): elements[0].restrictions.start_time"),
              std::string::npos)
        << tariff_load_error(scenario);

    scenario = paid_site("two", "charging_tariff = \"drivers.json\"",
                         "[" + std::string(kDriversTariff) + ", " +
                             std::string(kDriversTariff)
                                 .replace(std::string(kDriversTariff).find("\"drivers\""), 9, "\"members\"") +
                             "]");
    EXPECT_NE(tariff_load_error(scenario).find("holds 2 tariffs; name one with charging_tariff_id"),
              std::string::npos)
        << tariff_load_error(scenario);
    scenario = paid_site("unknown-id", "charging_tariff = \"drivers.json\", charging_tariff_id = \"guests\"");
    EXPECT_NE(tariff_load_error(scenario).find("charging_tariff_id: "), std::string::npos)
        << tariff_load_error(scenario);
    EXPECT_NE(tariff_load_error(scenario).find("has no tariff 'guests' (it has 'drivers')"),
              std::string::npos)
        << tariff_load_error(scenario);
    scenario = paid_site("id-alone", "charging_tariff_id = \"drivers\"");
    EXPECT_NE(tariff_load_error(scenario).find(
                  "charging_tariff_id: names a tariff of 'charging_tariff', which is not given"),
              std::string::npos)
        << tariff_load_error(scenario);
    scenario = paid_site("no-file", "charging_tariff = \"missing.json\"");
    EXPECT_NE(tariff_load_error(scenario).find("missing.json"), std::string::npos)
        << tariff_load_error(scenario);
}

}  // namespace
}  // namespace evtwin
