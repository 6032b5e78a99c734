// arrivals.ocpi: an OCPI CDR or Session file as a scenario's sessions, each driver's token a
// returning vehicle.
#include "ocpi/format/recorded_charges.hpp"
#include "scenario/scenario_impl.hpp"
#include "support/test_support.hpp"

#include <evtwin/scenario.hpp>

#include <gtest/gtest.h>

namespace evtwin::ocpi {
namespace {

std::string cdr(const std::string& id, const std::string& token, const std::string& evse,
                const std::string& start, const std::string& end, double kwh, double max_kw) {
    return R"({"country_code": "NL", "party_id": "EVT", "id": ")" + id + R"(", "start_date_time": ")" +
           start + R"(", "end_date_time": ")" + end +
           R"(", "cdr_token": {"country_code": "NL", "party_id": "MSP", "uid": ")" + token +
           R"(", "type": "RFID", "contract_id": "C-)" + token + R"("}, "auth_method": "WHITELIST",
      "cdr_location": {"id": "SITE", "address": "Main 1", "city": "Utrecht", "country": "NLD",
        "coordinates": {"latitude": "52.090737", "longitude": "5.121420"}, "evse_uid": ")" +
           evse + R"(", "evse_id": "NL*EVT*E1", "connector_id": "1", "connector_standard": "IEC_62196_T2",
        "connector_format": "SOCKET", "connector_power_type": "AC_3_PHASE"},
      "currency": "EUR", "charging_periods": [{"start_date_time": ")" +
           start + R"(", "dimensions": [{"type": "ENERGY", "volume": )" + std::to_string(kwh) +
           R"(}, {"type": "MAX_POWER", "volume": )" + std::to_string(max_kw) + R"(}]}],
      "total_cost": {"excl_vat": 1.0}, "total_energy": )" +
           std::to_string(kwh) + R"(, "total_time": 2, "last_updated": ")" + end + R"("})";
}

std::filesystem::path scenario_with(const std::filesystem::path& dir, const std::filesystem::path& file,
                                    const std::string& options = "") {
    return test::write_file(
        dir / "site.lua",
        R"(scenario { name = "ocpi", timezone = "Europe/Amsterdam",
  start = "2024-07-01", duration = days(2) }
grid { import_kw = 100 }
tariff { file = ")" +
            test::source_file("scenarios/tariffs/norway_household_flat_illustrative.json").string() +
            R"(" }
charger { name = "EVSE-1", max_kw = 22 }
charger { name = "EVSE-2", max_kw = 22 }
arrivals.ocpi { file = ")" +
            file.string() + "\"" + options + " }\n");
}

TEST(OcpiScenarioSource, CdrsBecomeSessionsOfReturningDrivers) {
    const auto dir = test::temp_dir("ocpi-scenario-source");
    const auto file = test::write_file(
        dir / "cdrs.json",
        "[" + cdr("3", "ANNA", "EVSE-2", "2024-07-02T08:00:00Z", "2024-07-02T10:00:00Z", 12.5, 11) + "," +
            cdr("1", "ANNA", "EVSE-1", "2024-07-01T08:00:00Z", "2024-07-01T10:00:00Z", 20, 7.4) + "," +
            cdr("2", "BORIS", "EVSE-1", "2024-07-01T12:00:00Z", "2024-07-01T13:30:00Z", 9, 0) + "," +
            cdr("4", "CARL", "EVSE-1", "2024-07-09T12:00:00Z", "2024-07-09T13:30:00Z", 9, 0) + "]");
    const Scenario scenario = Scenario::load(scenario_with(dir, file, ", max_kw = 3.7"));
    const auto& sessions = scenario.impl().loaded.sessions;
    ASSERT_EQ(sessions.size(), 3u) << "the session after the scenario's two days is left out";
    EXPECT_EQ(sessions[0].vehicle_id, "ocpi-ANNA");
    EXPECT_EQ(sessions[2].vehicle_id, "ocpi-ANNA");
    EXPECT_EQ(sessions[1].vehicle_id, "ocpi-BORIS");
    EXPECT_EQ(sessions[0].station, "EVSE-1");
    EXPECT_EQ(sessions[2].station, "EVSE-2");
    EXPECT_EQ(sessions[0].requested_kwh, 20);
    EXPECT_EQ(sessions[0].departure - sessions[0].arrival, Duration::hours(2));
    EXPECT_EQ(sessions[0].vehicle.max_ac_kw, 7.4);
    EXPECT_EQ(sessions[1].vehicle.max_ac_kw, 9 / 1.5) << "no MAX_POWER: the energy over its charging time";
    for (std::size_t i = 0; i < sessions.size(); ++i) EXPECT_EQ(sessions[i].id, i);
}

TEST(OcpiScenarioSource, ABadFileOrOptionIsReportedWithItsPlace) {
    const auto dir = test::temp_dir("ocpi-scenario-source-bad");
    const auto file = test::write_file(dir / "cdrs.json", R"([{"country_code": "NLD"}])");
    const std::string error =
        test::error_of<ScenarioError>([&] { Scenario::load(scenario_with(dir, file)); });
    EXPECT_NE(error.find("cdrs.json: CDR 0: country_code: expected a string of at most 2 characters, got 3"),
              std::string::npos)
        << error;
    const std::string option =
        test::error_of<ScenarioError>([&] { Scenario::load(scenario_with(dir, file, ", initial_soc = 1")); });
    EXPECT_NE(option.find("site.lua:7: arrivals.ocpi: 'initial_soc' must be below 1"), std::string::npos)
        << option;
}

}  // namespace
}  // namespace evtwin::ocpi
