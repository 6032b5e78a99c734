// Live mode's OCPI sessions, CDRs, locations and tariffs, end to end: a charging station speaks OCPP
// 2.0.1 to the central system while a scripted eMSP reads the CPO's modules over HTTP and receives
// its pushes. The numbers are worked out by hand from the meter readings sent.
#include "ocpi_emsp.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

using live_test::AnsweringStation;
using live_test::boot_notification;
using nlohmann::json;
using ocpi_test::data_of;
using ocpi_test::Emsp;
using ocpi_test::OcpiSite;
using ocpi_test::register_emsp;
using ocpi_test::transaction_event;
using ocpi_test::Transcript;

json evse_of(const json& location, const std::string& uid) {
    for (const json& e : location["evses"])
        if (e["uid"] == uid) return e;
    return json();
}

// 11 kW for 20 minutes (register 0 -> 3,666 Wh), then a trickle of 34 Wh over 10 minutes at no
// measured power before the vehicle leaves: two charging periods, 3.666 kWh at 11 kW and 0.034 kWh
// (0.204 kW over a sixth of an hour); the session's 3.7 kWh at the site's flat 1.20 NOK/kWh is
// 4.44 NOK.
TEST(OcpiSessions, ALiveSessionChargesThenEndsAsACdrOfItsMeteredEnergy) {
    Transcript transcript;
    Emsp emsp(transcript);
    OcpiSite site(transcript);
    const std::string token = register_emsp(site, emsp);
    const Time t0 = site.now();
    const std::string from = "?date_from=2024-01-01T00:00:00Z";
    auto client = site.connect("CP-A");
    ASSERT_TRUE(client);
    {
        AnsweringStation station(*client, 0);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        json location = data_of(site.call("GET", "/ocpi/2.2.1/locations", token))[0];
        EXPECT_EQ(location["id"], "live-site");
        EXPECT_EQ(evse_of(location, "CP1")["status"], "AVAILABLE");
        EXPECT_EQ(evse_of(location, "CP3")["status"], "UNKNOWN");  // CP-B is not connected
        EXPECT_EQ(evse_of(location, "CP5-2")["connectors"][0]["max_electric_power"], 22000);

        ASSERT_EQ(station.call("2", "TransactionEvent", transaction_event("Started", "TX-1", 1, t0, 0))[0],
                  3);
        ASSERT_EQ(station.call("3", "TransactionEvent",
                               transaction_event("Updated", "TX-1", 1, t0, 0, 11000, 1))[0],
                  3);
        location = data_of(site.call("GET", "/ocpi/2.2.1/locations/live-site", token));
        EXPECT_EQ(evse_of(location, "CP1")["status"], "CHARGING");

        site.step_to(t0 + Duration::minutes(20));
        ASSERT_EQ(station.call("4", "TransactionEvent",
                               transaction_event("Updated", "TX-1", 1, site.now(), 3666, 0, 2))[0],
                  3);
        json active = data_of(site.call("GET", "/ocpi/2.2.1/sessions" + from, token));
        ASSERT_EQ(active.size(), 1u);
        EXPECT_EQ(active[0]["status"], "ACTIVE");
        EXPECT_EQ(active[0]["id"], "1");
        EXPECT_EQ(active[0]["evse_uid"], "CP1");
        EXPECT_EQ(active[0]["cdr_token"]["uid"], "CARD-TX-1");
        EXPECT_NEAR(active[0]["kwh"].get<double>(), 3.666, 1e-9);
        ASSERT_EQ(active[0]["charging_periods"].size(), 2u);

        site.step_to(t0 + Duration::minutes(30));
        ASSERT_EQ(station.call("5", "TransactionEvent",
                               transaction_event("Ended", "TX-1", 1, site.now(), 3700, std::nullopt, 3))[0],
                  3);
        location = data_of(site.call("GET", "/ocpi/2.2.1/locations/live-site/CP1", token));
        EXPECT_EQ(location["status"], "AVAILABLE");
        client->close();
    }
    const json sessions = data_of(site.call("GET", "/ocpi/2.2.1/sessions" + from, token));
    ASSERT_EQ(sessions.size(), 1u);
    EXPECT_EQ(sessions[0]["status"], "COMPLETED");
    EXPECT_EQ(sessions[0]["end_date_time"], "2024-07-01T00:30:00Z");
    EXPECT_NEAR(sessions[0]["kwh"].get<double>(), 3.7, 1e-9);

    const auto cdrs_reply = site.call("GET", "/ocpi/2.2.1/cdrs", token);
    const json cdrs = data_of(cdrs_reply);
    ASSERT_EQ(cdrs.size(), 1u);
    const json& cdr = cdrs[0];
    EXPECT_EQ(cdr["session_id"], "1");
    EXPECT_EQ(cdr["start_date_time"], "2024-07-01T00:00:00Z");
    EXPECT_EQ(cdr["end_date_time"], "2024-07-01T00:30:00Z");
    EXPECT_NEAR(cdr["total_energy"].get<double>(), 3.7, 1e-9);  // the meter: 3,700 Wh - 0 Wh
    EXPECT_NEAR(cdr["total_time"].get<double>(), 0.5, 1e-9);
    EXPECT_NEAR(cdr["total_parking_time"].get<double>(), 0.0, 1e-9);
    EXPECT_NEAR(cdr["total_cost"]["excl_vat"].get<double>(), 4.44, 1e-9);
    EXPECT_EQ(cdr["currency"], "NOK");
    const json& periods = cdr["charging_periods"];
    ASSERT_EQ(periods.size(), 2u) << cdr.dump(1);
    EXPECT_EQ(periods[0]["start_date_time"], "2024-07-01T00:00:00Z");
    EXPECT_EQ(periods[1]["start_date_time"], "2024-07-01T00:20:00Z");
    auto volume = [](const json& period, const char* type) {
        for (const json& d : period["dimensions"])
            if (d["type"] == type) return d["volume"].get<double>();
        return -1.0;
    };
    EXPECT_NEAR(volume(periods[0], "ENERGY"), 3.666, 1e-9);
    EXPECT_NEAR(volume(periods[0], "TIME"), 0.3333, 1e-4);
    EXPECT_NEAR(volume(periods[0], "MAX_POWER"), 11.0, 1e-9);
    EXPECT_NEAR(volume(periods[1], "ENERGY"), 0.034, 1e-9);
    EXPECT_NEAR(volume(periods[1], "MAX_POWER"), 0.204, 1e-9);

    // The eMSP was sent the session as it began and changed, then the CDR.
    site.drain();
    const auto puts = emsp.wait_for([](const ocpi_test::Received& r) { return r.method == "PUT"; });
    ASSERT_EQ(puts.size(), 1u);
    EXPECT_EQ(puts[0].target, "/emsp/2.2.1/sessions/DE/EVT/1");
    EXPECT_EQ(puts[0].body["status"], "ACTIVE");
    const auto patches = emsp.wait_for([](const ocpi_test::Received& r) { return r.method == "PATCH"; }, 2);
    ASSERT_FALSE(patches.empty());
    EXPECT_EQ(patches.back().body["status"], "COMPLETED");
    EXPECT_NEAR(patches.back().body["kwh"].get<double>(), 3.7, 1e-9);
    const auto posted = emsp.wait_for([](const ocpi_test::Received& r) { return r.method == "POST"; });
    ASSERT_EQ(posted.size(), 1u);
    EXPECT_EQ(posted[0].target, "/emsp/2.2.1/cdrs");
    EXPECT_NEAR(posted[0].body["total_energy"].get<double>(), 3.7, 1e-9);
    EXPECT_EQ(site.live_ocpi_failures(), std::vector<std::string>{});
    if (const char* out = std::getenv("EVTWIN_OCPI_TRANSCRIPT")) {
        std::ofstream file(out);
        for (const std::string& line : transcript.lines()) file << line << "\n";
    }
}

// With the scenario's charging tariff (economics.charging_tariff: 2.00 NOK a kWh and 1.00 a session),
// a live CDR is priced under it, as the run's charging_revenue is: 3.7 kWh -> 7.40 + 1.00 = 8.40 NOK.
TEST(OcpiSessions, ALiveCdrIsPricedUnderTheScenariosChargingTariff) {
    const auto file = evtwin::test::temp_dir("ocpi_drivers_tariff") / "drivers.json";
    std::ofstream(file)
        << R"({"country_code": "DE", "party_id": "EVT", "id": "drivers-flat", "currency": "NOK",
        "elements": [{"price_components": [{"type": "ENERGY", "price": 2.00, "step_size": 1},
                                           {"type": "FLAT", "price": 1.00, "step_size": 1}]}],
        "last_updated": "2024-06-01T00:00:00Z"})";
    std::string site = live_test::kSite;
    site += "economics { charging_tariff = \"" + file.string() + "\" }\n";
    Transcript transcript;
    Emsp emsp(transcript);
    OcpiSite ocpi_site(transcript, false, "uncontrolled", {}, site);
    const std::string token = register_emsp(ocpi_site, emsp);
    const Time t0 = ocpi_site.now();
    auto client = ocpi_site.connect("CP-A");
    ASSERT_TRUE(client);
    {
        AnsweringStation station(*client, 0);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        ASSERT_EQ(station.call("2", "TransactionEvent", transaction_event("Started", "TX-1", 1, t0, 0))[0],
                  3);
        ocpi_site.step_to(t0 + Duration::minutes(30));
        ASSERT_EQ(
            station.call("3", "TransactionEvent",
                         transaction_event("Ended", "TX-1", 1, ocpi_site.now(), 3700, std::nullopt, 1))[0],
            3);
        client->close();
    }
    const json cdr = data_of(ocpi_site.call("GET", "/ocpi/2.2.1/cdrs", token))[0];
    EXPECT_NEAR(cdr["total_energy"].get<double>(), 3.7, 1e-9);
    EXPECT_NEAR(cdr["total_cost"]["excl_vat"].get<double>(), 8.40, 1e-9);
    EXPECT_NEAR(cdr["total_fixed_cost"]["excl_vat"].get<double>(), 1.00, 1e-9);
    EXPECT_EQ(cdr["charging_periods"][0]["tariff_id"], "drivers-flat");
    EXPECT_EQ(data_of(ocpi_site.call("GET", "/ocpi/2.2.1/tariffs", token))[0]["id"], "drivers-flat");
}

// Three sessions on CP1, the k-th from hour k for 10 minutes: the CDRs page by two with a Link to the
// rest, and the dates filter on last_updated (each CDR's end), date_from inclusive, date_to exclusive.
TEST(OcpiSessions, CdrsArePagedAndFilteredByLastUpdated) {
    Transcript transcript;
    Emsp emsp(transcript);
    OcpiSite site(transcript, false);
    const std::string token = register_emsp(site, emsp);
    const Time t0 = site.now();
    auto client = site.connect("CP-A");
    ASSERT_TRUE(client);
    {
        AnsweringStation station(*client, 0);
        ASSERT_EQ(station.call("b", "BootNotification", boot_notification())[0], 3);
        for (int k = 0; k < 3; ++k) {
            const std::string tx = "TX-" + std::to_string(k + 1);
            site.step_to(t0 + Duration::hours(k));
            ASSERT_EQ(station.call(tx + "s", "TransactionEvent",
                                   transaction_event("Started", tx, 1, site.now(), 1000.0 * k))[0],
                      3);
            site.step_to(t0 + Duration::hours(k) + Duration::minutes(10));
            ASSERT_EQ(station.call(tx + "e", "TransactionEvent",
                                   transaction_event("Ended", tx, 1, site.now(), 1000.0 * k + 500,
                                                     std::nullopt, 1))[0],
                      3);
        }
        client->close();
    }
    const auto first = site.call("GET", "/ocpi/2.2.1/cdrs?limit=2", token);
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(data_of(first).size(), 2u);
    EXPECT_EQ(first.headers.at("x-total-count"), "3");
    EXPECT_EQ(first.headers.at("x-limit"), "100");
    const std::string next = site.base() + "/ocpi/2.2.1/cdrs?offset=2&limit=2";
    EXPECT_EQ(first.headers.at("link"), "<" + next + ">; rel=\"next\"");
    const auto second = site.call("GET", next.substr(site.base().size()), token);
    ASSERT_EQ(data_of(second).size(), 1u);
    EXPECT_EQ(data_of(second)[0]["id"], "3");
    EXPECT_EQ(second.headers.count("link"), 0u);
    for (const json& cdr : data_of(first)) EXPECT_NEAR(cdr["total_energy"].get<double>(), 0.5, 1e-9);

    const auto dated = site.call(
        "GET", "/ocpi/2.2.1/cdrs?date_from=2024-07-01T01:10:00Z&date_to=2024-07-01T02:10:00Z", token);
    ASSERT_EQ(data_of(dated).size(), 1u);
    EXPECT_EQ(data_of(dated)[0]["id"], "2");
    EXPECT_EQ(dated.headers.at("x-total-count"), "1");
    const auto later = site.call("GET", "/ocpi/2.2.1/cdrs?date_from=2024-07-01T01:10:00Z&limit=1", token);
    EXPECT_EQ(later.headers.at("x-total-count"), "2");
    EXPECT_EQ(later.headers.at("link"),
              "<" + site.base() +
                  "/ocpi/2.2.1/cdrs?offset=1&limit=1&date_from=2024-07-01T01:10:00Z>; rel=\"next\"");
    // The location's last change (CP1 free again at 02:10) is within a filter from then on, not after.
    EXPECT_EQ(data_of(site.call("GET", "/ocpi/2.2.1/locations?date_from=2024-07-01T02:10:00Z", token)).size(),
              1u);
    EXPECT_EQ(data_of(site.call("GET", "/ocpi/2.2.1/locations?date_from=2024-07-01T02:10:01Z", token)).size(),
              0u);
    // The tariff: the site's flat 1.20 NOK/kWh.
    const json tariff = data_of(site.call("GET", "/ocpi/2.2.1/tariffs", token))[0];
    EXPECT_EQ(tariff["currency"], "NOK");
    EXPECT_NEAR(tariff["elements"][0]["price_components"][0]["price"].get<double>(), 1.2, 1e-9);
}

}  // namespace
}  // namespace evtwin::serve
