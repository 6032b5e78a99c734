// Reading OCPI documents: the objects as the specification's examples give them, and for every kind
// of mistake an error that names the file, the object and the field, and what was expected.
#include "ocpi/format/read.hpp"
#include "ocpi/format/datetime.hpp"
#include "ocpi/format/write.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin::ocpi {
namespace {

// After the specification's cdr_example.json, with the cdr_token's country_code and party_id that
// 2.2.1 requires (the example leaves them out).
const char* kCdr = R"({
  "country_code": "BE", "party_id": "BEC", "id": "12345",
  "start_date_time": "2015-06-29T21:39:09Z", "end_date_time": "2015-06-29T23:37:32Z",
  "cdr_token": {"country_code": "DE", "party_id": "ACC", "uid": "012345678", "type": "RFID", "contract_id": "DE8ACC12E46L89"},
  "auth_method": "WHITELIST",
  "cdr_location": {"id": "LOC1", "name": "Gent Zuid", "address": "F.Rooseveltlaan 3A", "city": "Gent",
    "postal_code": "9000", "country": "BEL", "coordinates": {"latitude": "3.729944", "longitude": "51.047599"},
    "evse_uid": "3256", "evse_id": "BE*BEC*E041503003", "connector_id": "1",
    "connector_standard": "IEC_62196_T2", "connector_format": "SOCKET", "connector_power_type": "AC_1_PHASE"},
  "currency": "EUR",
  "tariffs": [{"country_code": "BE", "party_id": "BEC", "id": "12", "currency": "EUR",
    "elements": [{"price_components": [{"type": "TIME", "price": 2.00, "vat": 10.0, "step_size": 300}]}],
    "last_updated": "2015-02-02T14:15:01Z"}],
  "charging_periods": [{"start_date_time": "2015-06-29T21:39:09Z", "dimensions": [{"type": "TIME", "volume": 1.973}],
    "tariff_id": "12"}],
  "total_cost": {"excl_vat": 4.00, "incl_vat": 4.40},
  "total_energy": 15.342, "total_time": 1.973,
  "total_time_cost": {"excl_vat": 4.00, "incl_vat": 4.40},
  "last_updated": "2015-06-29T22:01:13Z"})";

// A copy of kCdr with `from` replaced by `to` (which must occur).
std::string cdr_with(const std::string& from, const std::string& to) {
    std::string text = kCdr;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

std::string cdr_error(const std::string& text) {
    return test::error_of<DataError>([&] { parse_cdrs(text, "cdrs.json"); });
}

TEST(OcpiRead, ReadsTheSpecificationsCdr) {
    const auto cdrs = parse_cdrs(kCdr, "cdrs.json");
    ASSERT_EQ(cdrs.size(), 1u);
    const Cdr& c = cdrs[0];
    EXPECT_EQ(c.id, "12345");
    EXPECT_EQ(c.cdr_location.evse_id, "BE*BEC*E041503003");
    EXPECT_EQ(c.end_date_time - c.start_date_time, Duration::seconds(1 * 3600 + 58 * 60 + 23));
    ASSERT_EQ(c.tariffs.size(), 1u);
    EXPECT_EQ(c.tariffs[0].elements[0].price_components[0].step_size, 300);
    EXPECT_EQ(c.charging_periods[0].volume("TIME"), 1.973);
    EXPECT_EQ(c.total_cost.incl_vat, 4.40);
}

TEST(OcpiRead, AcceptsAListOrAnOcpiResponse) {
    EXPECT_EQ(parse_cdrs(std::string("[") + kCdr + "," + kCdr + "]", "cdrs.json").size(), 2u);
    const std::string response =
        std::string(R"({"status_code": 1000, "timestamp": "2015-06-30T21:59:59Z", "data": [)") + kCdr + "]}";
    EXPECT_EQ(parse_cdrs(response, "cdrs.json").size(), 1u);
}

TEST(OcpiRead, NamesTheFileTheObjectAndTheMissingField) {
    EXPECT_EQ(cdr_error(cdr_with(R"("country_code": "DE", "party_id": "ACC", )", "")),
              "cdrs.json: CDR (id '12345'): cdr_token.country_code: required field missing");
    EXPECT_EQ(cdr_error(std::string("[") + kCdr + "," + cdr_with(R"("total_energy": 15.342, )", "") + "]"),
              "cdrs.json: CDR 1 (id '12345'): total_energy: required field missing (a number)");
}

TEST(OcpiRead, ChecksEnumerationsLengthsAndTypes) {
    EXPECT_EQ(
        cdr_error(cdr_with(R"("auth_method": "WHITELIST")", R"("auth_method": "WHITE_LIST")")),
        "cdrs.json: CDR (id '12345'): auth_method: expected one of AUTH_REQUEST, COMMAND, WHITELIST, got "
        "'WHITE_LIST'");
    EXPECT_EQ(cdr_error(cdr_with(R"("evse_uid": "3256")", R"("evse_uid": ")" + std::string(40, 'x') + "\"")),
              "cdrs.json: CDR (id '12345'): cdr_location.evse_uid: expected a string of at most 36 "
              "characters, got 40");
    EXPECT_EQ(cdr_error(cdr_with(R"("total_time": 1.973)", R"("total_time": "1.973")")),
              "cdrs.json: CDR (id '12345'): total_time: expected a number, got a string");
    EXPECT_EQ(
        cdr_error(cdr_with(R"("type": "TIME", "volume")", R"("type": "KWH", "volume")")),
        "cdrs.json: CDR (id '12345'): charging_periods[0].dimensions[0].type: expected one of CURRENT, "
        "ENERGY, "
        "ENERGY_EXPORT, ENERGY_IMPORT, MAX_CURRENT, MIN_CURRENT, MAX_POWER, MIN_POWER, PARKING_TIME, POWER, "
        "RESERVATION_TIME, STATE_OF_CHARGE, TIME, got 'KWH'");
    EXPECT_EQ(cdr_error(cdr_with(R"("step_size": 300)", R"("step_size": 2.5)")),
              "cdrs.json: CDR (id '12345'): tariffs[0].elements[0].price_components[0].step_size: expected "
              "an integer, "
              "got a number");
}

TEST(OcpiRead, ChecksDateTimesAndTheirOrder) {
    EXPECT_EQ(
        cdr_error(cdr_with("2015-06-29T23:37:32Z", "2015-06-29T23:37:32+00:00")),
        "cdrs.json: CDR (id '12345'): end_date_time: expected a DateTime in UTC such as 2015-06-29T20:39:09Z "
        "(RFC 3339, at most 25 characters), got '2015-06-29T23:37:32+00:00'");
    EXPECT_EQ(cdr_error(cdr_with("2015-06-29T23:37:32Z", "2015-06-29T20:00:00Z")),
              "cdrs.json: CDR (id '12345'): end_date_time: expected a time at or after start_date_time");
    EXPECT_EQ(cdr_error(cdr_with(R"("start_date_time": "2015-06-29T21:39:09Z", "dimensions")",
                                 R"("start_date_time": "2015-06-30T21:39:09Z", "dimensions")")),
              "cdrs.json: CDR (id '12345'): charging_periods[0]: expected start_date_time at or before the "
              "session's "
              "end");
    EXPECT_EQ(parse_datetime("2016-12-29T17:45:09.2"), parse_datetime("2016-12-29T17:45:09.200Z"));
    EXPECT_FALSE(parse_datetime("2015-02-29T00:00:00Z"));
}

TEST(OcpiRead, RejectsWhatIsNotJsonOrNotAnObject) {
    EXPECT_NE(cdr_error("{").find("cdrs.json: invalid JSON: "), std::string::npos);
    EXPECT_EQ(cdr_error("[1]"), "cdrs.json: CDR 0: expected an object");
    EXPECT_EQ(cdr_error("3"),
              "cdrs.json: expected CDR objects (an object, a list, or an OCPI response's data)");
}

// The specification's session_example_2_short_finished.json, with the token's owner added.
TEST(OcpiRead, ReadsASession) {
    const auto sessions = parse_sessions(R"({"country_code": "BE", "party_id": "BEC", "id": "101",
      "start_date_time": "2015-06-29T22:39:09Z", "end_date_time": "2015-06-29T23:50:16Z", "kwh": 41.00,
      "cdr_token": {"country_code": "NL", "party_id": "TST", "uid": "123abc", "type": "RFID", "contract_id": "NL-TST-C12345678-S"},
      "auth_method": "WHITELIST", "location_id": "LOC1", "evse_uid": "3256", "connector_id": "1", "currency": "EUR",
      "charging_periods": [{"start_date_time": "2015-06-29T22:39:09Z", "dimensions": [{"type": "ENERGY", "volume": 120}, {"type": "MAX_CURRENT", "volume": 30}]},
        {"start_date_time": "2015-06-29T22:40:54Z", "dimensions": [{"type": "ENERGY", "volume": 41000}, {"type": "MIN_CURRENT", "volume": 34}]},
        {"start_date_time": "2015-06-29T23:07:09Z", "dimensions": [{"type": "PARKING_TIME", "volume": 0.718}], "tariff_id": "12"}],
      "total_cost": {"excl_vat": 8.50, "incl_vat": 9.35}, "status": "COMPLETED", "last_updated": "2015-06-29T23:50:17Z"})",
                                         "sessions.json");
    ASSERT_EQ(sessions.size(), 1u);
    EXPECT_EQ(sessions[0].status, "COMPLETED");
    EXPECT_EQ(sessions[0].charging_periods.size(), 3u);
    EXPECT_EQ(sessions[0].cdr_token.uid, "123abc");
}

// After location_example.json: an EVSE, its connectors, and the checks of a location's own fields.
TEST(OcpiRead, ReadsALocationAndChecksItsTimeZone) {
    const std::string location = R"({"country_code": "BE", "party_id": "BEC", "id": "LOC1", "publish": true,
      "name": "Gent Zuid", "address": "F.Rooseveltlaan 3A", "city": "Gent", "postal_code": "9000", "country": "BEL",
      "coordinates": {"latitude": "51.047599", "longitude": "3.729944"}, "parking_type": "ON_STREET",
      "evses": [{"uid": "3256", "evse_id": "BE*BEC*E041503001", "status": "AVAILABLE", "capabilities": ["RESERVABLE"],
        "connectors": [{"id": "1", "standard": "IEC_62196_T2", "format": "CABLE", "power_type": "AC_3_PHASE",
          "max_voltage": 220, "max_amperage": 16, "tariff_ids": ["11"], "last_updated": "2015-03-16T10:10:02Z"}],
        "physical_reference": "1", "last_updated": "2015-06-28T08:12:01Z"}],
      "time_zone": "Europe/Brussels", "last_updated": "2015-06-29T20:39:09Z"})";
    const auto locations = parse_locations(location, "locations.json");
    ASSERT_EQ(locations.size(), 1u);
    EXPECT_EQ(locations[0].evses.at(0).connectors.at(0).max_amperage, 16);
    std::string bad_zone = location;
    bad_zone.replace(bad_zone.find("Europe/Brussels"), 15, "Europe/Gent");
    EXPECT_EQ(test::error_of<DataError>([&] { parse_locations(bad_zone, "locations.json"); }),
              "locations.json: Location (id 'LOC1'): time_zone: expected an IANA time zone (e.g. "
              "Europe/Amsterdam), "
              "got 'Europe/Gent'");
    std::string bad_status = location;
    bad_status.replace(bad_status.find("AVAILABLE"), 9, "FREE");
    EXPECT_NE(test::error_of<DataError>([&] {
                  parse_locations(bad_status, "locations.json");
              }).find("Location (id 'LOC1'): evses[0].status: expected one of AVAILABLE, BLOCKED"),
              std::string::npos);
}

TEST(OcpiRead, ChecksTariffRestrictions) {
    const auto tariff_error = [](const std::string& restrictions) {
        return test::error_of<DataError>([&] {
            parse_tariffs(R"({"country_code": "DE", "party_id": "ALL", "id": "2", "currency": "EUR",
              "elements": [{"price_components": [{"type": "ENERGY", "price": 0.25, "step_size": 1}],
                            "restrictions": )" +
                              restrictions + R"(}], "last_updated": "2018-12-05T13:12:44Z"})",
                          "tariffs.json");
        });
    };
    EXPECT_EQ(tariff_error(R"({"start_time": "7:00"})"),
              "tariffs.json: Tariff (id '2'): elements[0].restrictions.start_time: expected a time of day "
              "HH:MM (24 h, "
              "leading zeros), got '7:00'");
    EXPECT_EQ(
        tariff_error(R"({"day_of_week": ["MON"]})"),
        "tariffs.json: Tariff (id '2'): elements[0].restrictions.day_of_week: expected MONDAY, TUESDAY, "
        "WEDNESDAY, THURSDAY, FRIDAY, SATURDAY or SUNDAY, got 'MON'");
    EXPECT_EQ(tariff_error(R"({"min_kwh": 20, "max_kwh": 10})"),
              "tariffs.json: Tariff (id '2'): elements[0].restrictions.max_kwh: expected at least min_kwh");
    EXPECT_EQ(
        tariff_error(R"({"start_date": "2015-13-01"})"),
        "tariffs.json: Tariff (id '2'): elements[0].restrictions.start_date: expected a date YYYY-MM-DD, got "
        "'2015-13-01'");
    EXPECT_EQ(
        tariff_error(R"({"reservation": "RESERVED"})"),
        "tariffs.json: Tariff (id '2'): elements[0].restrictions.reservation: expected one of RESERVATION, "
        "RESERVATION_EXPIRES, got 'RESERVED'");
}

// What is written reads back to the same objects.
TEST(OcpiRead, WrittenObjectsReadBackEqual) {
    const Cdr cdr = parse_cdrs(kCdr, "cdrs.json").at(0);
    const auto dir = test::temp_dir("ocpi-round-trip");
    write_json_file(dir / "cdrs.json", std::vector<Cdr>{cdr, cdr});
    const auto again = read_cdrs(dir / "cdrs.json");
    ASSERT_EQ(again.size(), 2u);
    EXPECT_EQ(to_json(again[1]), to_json(cdr));
    EXPECT_EQ(to_json(again[1]).dump(), to_json(cdr).dump());
}

}  // namespace
}  // namespace evtwin::ocpi
