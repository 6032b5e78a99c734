// Driver histories from each source: the ACN-Data JSON export, the Norwegian CSV, OCPI Session
// files, results databases (a session's vehicle_id: an OCPP idTag); bad input named, never a crash.
#include "drivers/evaluation.hpp"
#include "drivers/history.hpp"
#include "record/tiny_run.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin::drivers {
namespace {

HistorySource source_of(const std::filesystem::path& file, std::optional<HistoryFormat> format = std::nullopt,
                        const std::string& zone = "") {
    HistorySource source;
    source.file = file;
    source.format = format;
    source.timezone = zone;
    return source;
}

std::string error_of(const HistorySource& source) {
    try {
        load_history(source);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

constexpr const char* kNorwayHeader =
    "session_ID;Garage_ID;User_ID;User_type;Shared_ID;Start_plugin;Start_plugin_hour;End_plugout;"
    "End_plugout_hour;El_kWh;Duration_hours;month_plugin;weekdays_plugin\n";

TEST(DriverHistory, NorwayCsvByUserOnOsloTime) {
    const auto file = test::write_file(
        test::temp_dir("drivers-norway") / "sessions.csv",
        std::string(kNorwayHeader) +
            "1;G1;G1-4;Private;NA;21.12.2018 10:20;10;21.12.2018 12:23;12;7,5;2,05;Dec;Friday\n"
            "2;G1;G1-9;Private;NA;22.12.2018 18:00;18;23.12.2018 07:00;7;12,25;13;Dec;Saturday\n"
            "3;G1;G1-4;Private;NA;28.12.2018 10:40;10;28.12.2018 11:00;11;3;0,33;Dec;Friday\n");
    const DriverHistory h = load_history(source_of(file));
    ASSERT_EQ(h.drivers.size(), 2u);
    EXPECT_EQ(h.timezone, "Europe/Oslo");
    const Driver* d = h.find("norway-user-G1-4");
    ASSERT_NE(d, nullptr);
    ASSERT_EQ(d->sessions.size(), 2u);
    EXPECT_EQ(d->sessions[0].start, parse_local("2018-12-21T10:20"));  // the local time, as written
    EXPECT_DOUBLE_EQ(d->sessions[0].kwh, 7.5);
    EXPECT_EQ(h.find("norway-user-G1-9")->sessions[0].kwh, 12.25);
}

TEST(DriverHistory, NorwayBadFieldNamesFileLineAndField) {
    const auto file =
        test::write_file(test::temp_dir("drivers-norway-bad") / "sessions.csv",
                         std::string(kNorwayHeader) +
                             "1;G1;G1-4;Private;NA;21.12.2018 10:20;10;21.12.2018 12:23;12;7,5;2;Dec;Friday\n"
                             "2;G1;G1-4;Private;NA;yesterday;10;21.12.2018 12:23;12;7,5;2;Dec;Friday\n");
    const std::string what = error_of(source_of(file));
    EXPECT_NE(what.find(file.string()), std::string::npos) << what;
    EXPECT_NE(what.find("3"), std::string::npos) << what;  // the file's third line
    EXPECT_NE(what.find("Start_plugin"), std::string::npos) << what;
    EXPECT_NE(what.find("yesterday"), std::string::npos) << what;
}

TEST(DriverHistory, AcnJsonByUserIdLeavingOutSessionsWithout) {
    const auto item = [](const std::string& user, const std::string& time, double kwh) {
        return R"({"_id": "x", "clusterID": "0039", "connectionTime": ")" + time +
               R"(", "disconnectTime": "Thu, 03 Dec 2020 23:00:00 GMT", "doneChargingTime": null, "kWhDelivered": )" +
               std::to_string(kwh) +
               R"(, "sessionID": "s", "siteID": "0002", "spaceID": "CA-1", "stationID": "2-39-1", "timezone": "America/Los_Angeles", "userID": )" +
               user + R"(, "userInputs": null})";
    };
    const auto file = test::write_file(
        test::temp_dir("drivers-acn") / "acn.json",
        R"({"_meta": {}, "_items": [)" + item("\"000000042\"", "Tue, 01 Dec 2020 16:00:00 GMT", 9.5) + "," +
            item("null", "Tue, 01 Dec 2020 17:00:00 GMT", 3.0) + "," +
            item("\"000000042\"", "Wed, 02 Dec 2020 16:30:00 GMT", 6.0) + "]}");
    const DriverHistory h = load_history(source_of(file));
    ASSERT_EQ(h.drivers.size(), 1u);
    EXPECT_EQ(h.drivers[0].id, "acn-user-000000042");
    EXPECT_EQ(h.unkeyed_sessions, 1u);
    EXPECT_EQ(h.drivers[0].sessions[0].start, parse_local("2020-12-01T08:00"));  // 16:00 GMT is 08:00 PST
    EXPECT_DOUBLE_EQ(h.drivers[0].sessions[0].kwh, 9.5);                         // kWhDelivered
    const std::string bad = error_of({test::write_file(test::temp_dir("drivers-acn-bad") / "acn.json",
                                                       R"({"_items": [{"connectionTime": 5}]})"),
                                      std::nullopt, "", std::nullopt});
    EXPECT_NE(bad.find("acn.json"), std::string::npos) << bad;
    EXPECT_NE(bad.find("connectionTime"), std::string::npos) << bad;
}

TEST(DriverHistory, AcnCsvExportIsRefusedForItHasNoDriverId) {
    const std::string what = error_of({EVTWIN_TEST_DATA_DIR "/sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz",
                                       std::nullopt, "", std::nullopt});
    EXPECT_NE(what.find("no driver id"), std::string::npos) << what;
}

TEST(DriverHistory, OcpiSessionsByTokenUid) {
    const auto session = [](const std::string& id, const std::string& uid, const std::string& start) {
        return R"({"country_code": "BE", "party_id": "BEC", "id": ")" + id + R"(", "start_date_time": ")" +
               start + R"(", "end_date_time": ")" + start +
               R"(", "kwh": 11, "cdr_token": {"country_code": "NL", "party_id": "TST", "uid": ")" + uid +
               R"(", "type": "RFID", "contract_id": "C1"}, "auth_method": "WHITELIST", "location_id": "L1", "evse_uid": "E1", "connector_id": "1", "currency": "EUR", "status": "COMPLETED", "last_updated": ")" +
               start + R"("})";
    };
    const auto file = test::write_file(test::temp_dir("drivers-ocpi") / "sessions.json",
                                       "[" + session("1", "card-7", "2024-07-01T06:00:00Z") + "," +
                                           session("2", "card-7", "2024-07-02T06:00:00Z") + "," +
                                           session("3", "card-8", "2024-07-02T09:00:00Z") + "]");
    const DriverHistory h = load_history(source_of(file, HistoryFormat::ocpi, "Europe/Brussels"));
    ASSERT_EQ(h.drivers.size(), 2u);
    ASSERT_NE(h.find("ocpi-card-7"), nullptr);
    EXPECT_EQ(h.find("ocpi-card-7")->sessions.size(), 2u);
    EXPECT_EQ(h.find("ocpi-card-8")->sessions[0].start, parse_local("2024-07-02T11:00"));  // CEST
    EXPECT_DOUBLE_EQ(h.find("ocpi-card-8")->sessions[0].kwh, 11.0);
}

TEST(DriverHistory, ResultsDatabaseByVehicleId) {
    const auto file = test::temp_dir("drivers-run") / "run.db";
    {
        SqliteRunWriter writer(file);
        writer.begin_run(test::tiny_info(), test::tiny_spec());
        SessionRecord a{1,   0, "EV", test::at_h(0.5), test::at_h(3), test::at_h(3), 60, 0.2, 0.5, 10, 9.5,
                        9.5, 0, 10};
        a.vehicle_id = "TAG-1";
        SessionRecord b = a;
        b.id = 2;
        b.vehicle_id = "";  // a session without an idTag
        writer.session_end(a);
        writer.session_end(b);
        writer.end_run(test::at_h(4), false);
    }
    const DriverHistory h = load_history(source_of(file));
    ASSERT_EQ(h.drivers.size(), 1u);
    EXPECT_EQ(h.drivers[0].id, "TAG-1");
    EXPECT_EQ(h.timezone, "Europe/Amsterdam");                                   // the run's site
    EXPECT_EQ(h.drivers[0].sessions[0].start, parse_local("2024-01-01T01:30"));  // 00:30 UTC
    EXPECT_DOUBLE_EQ(h.drivers[0].sessions[0].kwh, 9.5);                         // delivered
    EXPECT_EQ(h.unkeyed_sessions, 1u);
    const std::string bad =
        error_of({test::write_file(test::temp_dir("drivers-run-bad") / "run.db", "not sqlite"), std::nullopt,
                  "", std::nullopt});
    EXPECT_NE(bad.find("run.db"), std::string::npos) << bad;
}

TEST(DriverHistory, CaltechJsonHasItsUsers) {
    const DriverHistory h =
        load_history(source_of(EVTWIN_TEST_DATA_DIR "/sessions/acn_caltech_2020-12_2021-09.json"));
    EXPECT_EQ(h.drivers.size(), 254u);  // 255 userID values, one of them null
    EXPECT_EQ(h.unkeyed_sessions, 256u);
    EXPECT_EQ(h.session_count() + h.unkeyed_sessions, 3235u);
}

TEST(DriverHistory, UnknownNameOrNoDriverIsAClearError) {
    EXPECT_NE(error_of(source_of("sessions.parquet")).find("format"), std::string::npos);
    EXPECT_THROW(parse_history_format("xml"), std::invalid_argument);
    SessionSpec s;
    s.arrival = Time(0);
    s.departure = Time(1);
    EXPECT_THROW(history_from_sessions({s}, TimeZone("UTC"), "x"), DataError);
}

}  // namespace
}  // namespace evtwin::drivers
