// Live mode's OCPI charging profiles receiver, end to end, and what the OCPI endpoints answer to bad
// input: a smart-charging provider's profile caps a live session in the twin's next decision (the
// strategy sees the cap and the charger is told it, the profile is recorded in live_charging_profiles),
// its result is POSTed to the response_url, and clearing it lifts the cap.
#include "ocpi_emsp.hpp"

#include <gtest/gtest.h>

#include <random>

namespace evtwin::serve {
namespace {

using live_test::AnsweringStation;
using live_test::boot_notification;
using nlohmann::json;
using ocpi_test::data_of;
using ocpi_test::Emsp;
using ocpi_test::kTokenA;
using ocpi_test::OcpiSite;
using ocpi_test::Received;
using ocpi_test::register_emsp;
using ocpi_test::transaction_event;
using ocpi_test::Transcript;

json profile_body(const std::string& unit, double limit, const std::string& response_url) {
    return {{"charging_profile",
             {{"charging_rate_unit", unit},
              {"charging_profile_period", json::array({{{"start_period", 0}, {"limit", limit}}})}}},
            {"response_url", response_url}};
}

// The TxProfile limits EVSE 1 was sent, in the charge point's unit (A: the live{} block's default).
std::vector<double> tx_limits(const AnsweringStation& station) {
    std::vector<double> out;
    for (const json& frame : station.received())
        if (frame[2] == "SetChargingProfile" && frame[3]["evseId"] == 1 &&
            frame[3]["chargingProfile"]["chargingProfilePurpose"] == "TxProfile")
            out.push_back(
                frame[3]["chargingProfile"]["chargingSchedule"][0]["chargingSchedulePeriod"][0]["limit"]);
    return out;
}

// Uncontrolled, the vehicle on CP1 (11 kW) gets 11 kW. A cap of 3,000 W makes the next decision 3 kW:
// 3,000 / (230 V x 3 phases) = 4.35 A per phase, sent as 4.3 A (rounded down to one decimal). A cap
// of 8 A replaces it: 8 x 230 x 3 = 5.52 kW. Cleared, the vehicle gets its 11 kW again. The strategy
// sees each cap as the session's max_charge_kw, so it asks no more and nothing is clipped (the clip
// is for a strategy that asks more anyway: DecisionCheck.ASessionsCapClipsBothWays...).
TEST(OcpiChargingProfiles, AProfileCapsTheSessionInTheNextDecisionAndIsRecordedUntilCleared) {
    Transcript transcript;
    Emsp emsp(transcript);
    OcpiSite site(transcript);
    const std::string token = register_emsp(site, emsp);
    const Time t0 = site.now();
    const std::string results = emsp.base() + "/results/";
    auto client = site.connect("CP-A");
    ASSERT_TRUE(client);
    {
        AnsweringStation station(*client, 0);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        ASSERT_EQ(station.call("2", "TransactionEvent", transaction_event("Started", "TX-1", 1, t0, 0))[0],
                  3);
        site.step_to(t0);
        EXPECT_NEAR(site.live_state()["connectors"][0]["limit_kw"].get<double>(), 11.0, 1e-9);

        const auto set = site.call("PUT", "/ocpi/2.2.1/chargingprofiles/1", token,
                                   profile_body("W", 3000, results + "set-1").dump());
        ASSERT_EQ(set.status, 200) << set.body;
        EXPECT_EQ(data_of(set), (json{{"result", "ACCEPTED"}, {"timeout", 30}}));
        site.step_to(t0 + Duration::minutes(5));
        EXPECT_NEAR(site.live_state()["connectors"][0]["limit_kw"].get<double>(), 3.0, 1e-9);
        EXPECT_EQ(tx_limits(station).back(), 4.3);

        // The active profile, asked: what the charger was told, in W.
        const auto got = site.call(
            "GET", "/ocpi/2.2.1/chargingprofiles/1?duration=900&response_url=" + results + "get-1", token);
        EXPECT_EQ(data_of(got)["result"], "ACCEPTED");
        site.drain();
        const auto active =
            emsp.wait_for([](const Received& r) { return r.target == "/emsp/results/get-1"; });
        ASSERT_EQ(active.size(), 1u);
        EXPECT_EQ(active[0].body["result"], "ACCEPTED");
        EXPECT_EQ(active[0].body["profile"]["charging_profile"]["charging_rate_unit"], "W");
        EXPECT_EQ(active[0].body["profile"]["charging_profile"]["charging_profile_period"][0]["limit"],
                  3000.0);

        ASSERT_EQ(site.call("PUT", "/ocpi/2.2.1/chargingprofiles/1", token,
                            profile_body("A", 8, results + "set-2").dump())
                      .status,
                  200);
        site.step_to(t0 + Duration::minutes(10));
        EXPECT_NEAR(site.live_state()["connectors"][0]["limit_kw"].get<double>(), 5.52, 1e-9);

        const auto cleared =
            site.call("DELETE", "/ocpi/2.2.1/chargingprofiles/1?response_url=" + results + "clear-1", token);
        EXPECT_EQ(data_of(cleared)["result"], "ACCEPTED");
        site.step_to(t0 + Duration::minutes(15));
        EXPECT_NEAR(site.live_state()["connectors"][0]["limit_kw"].get<double>(), 11.0, 1e-9);

        // A session the CPO does not have.
        const auto unknown = site.call("PUT", "/ocpi/2.2.1/chargingprofiles/77", token,
                                       profile_body("W", 3000, results + "x").dump());
        EXPECT_EQ(data_of(unknown)["result"], "UNKNOWN_SESSION");
        client->close();
    }
    site.drain();
    for (const char* id : {"set-1", "set-2"}) {
        const auto posted =
            emsp.wait_for([&](const Received& r) { return r.target == std::string("/emsp/results/") + id; });
        ASSERT_EQ(posted.size(), 1u) << id;
        EXPECT_EQ(posted[0].method, "POST");
        EXPECT_EQ(posted[0].body, (json{{"result", "ACCEPTED"}}));  // a ChargingProfileResult
        EXPECT_EQ(posted[0].authorization, "Token " + test::base64(ocpi_test::kTokenB));
    }
    EXPECT_EQ(emsp.wait_for([](const Received& r) { return r.target == "/emsp/results/clear-1"; })[0].body,
              (json{{"result", "ACCEPTED"}}));  // a ClearProfileResult
    site.stop();

    sqlite::Db db(site.db(), sqlite::Db::Mode::read_only);
    sqlite::Stmt caps(
        db, "SELECT t_ms, requested_kw, applied_kw FROM violations WHERE kind = 'session_cap' ORDER BY seq");
    std::vector<std::string> clipped;
    while (caps.step())
        clipped.push_back(std::to_string((caps.int64(0) - t0.ms()) / 60000) +
                          " min: " + json(caps.real(1)).dump() + " -> " + json(caps.real(2)).dump());
    EXPECT_TRUE(clipped.empty()) << clipped.front();
    sqlite::Stmt rows(db,
                      "SELECT t_ms, session, action, cap_kw, party FROM live_charging_profiles ORDER BY seq");
    std::vector<std::string> recorded;
    while (rows.step())
        recorded.push_back(std::to_string((rows.int64(0) - t0.ms()) / 60000) + " min session " +
                           std::to_string(rows.int64(1)) + " " + rows.text(2) + " " +
                           (rows.is_null(3) ? std::string("-") : json(rows.real(3)).dump()) + " " +
                           rows.text(4));
    EXPECT_EQ(recorded,
              (std::vector<std::string>{"0 min session 1 set 3.0 NL*MSP", "5 min session 1 set 5.52 NL*MSP",
                                        "10 min session 1 cleared - NL*MSP"}));
}

// Every malformed body or parameter is answered HTTP 400, OCPI status 2001, naming the field.
TEST(OcpiBadInput, AMalformedBodyOrParameterAnswers2001NamingTheField) {
    Transcript transcript;
    Emsp emsp(transcript);
    OcpiSite site(transcript);
    auto refused = [&](const std::string& method, const std::string& target, const std::string& token,
                       const std::string& body, const std::string& field) {
        const auto reply = site.call(method, target, token, body);
        EXPECT_EQ(reply.status, 400) << target << " " << body;
        const json e = json::parse(reply.body);
        EXPECT_EQ(e["status_code"], 2001) << reply.body;
        EXPECT_EQ(e["status_message"].get<std::string>().rfind(field + ": ", 0), 0u) << reply.body;
    };
    json creds = emsp.credentials();
    refused("POST", "/ocpi/2.2.1/credentials", kTokenA, "{not json", "body");
    refused("POST", "/ocpi/2.2.1/credentials", kTokenA, "[1]", "body");
    creds.erase("roles");
    refused("POST", "/ocpi/2.2.1/credentials", kTokenA, creds.dump(), "roles");
    creds = emsp.credentials();
    creds["roles"][0]["party_id"] = "TOOLONG";
    refused("POST", "/ocpi/2.2.1/credentials", kTokenA, creds.dump(), "roles[0].party_id");
    creds = emsp.credentials();
    creds["roles"][0]["role"] = "DRIVER";
    refused("POST", "/ocpi/2.2.1/credentials", kTokenA, creds.dump(), "roles[0].role");
    creds = emsp.credentials();
    creds["token"] = 42;
    refused("POST", "/ocpi/2.2.1/credentials", kTokenA, creds.dump(), "token");

    const std::string token = register_emsp(site, emsp);  // token A was not spent by the refusals
    const std::string url = emsp.base() + "/results/r";
    refused("PUT", "/ocpi/2.2.1/chargingprofiles/1", token, profile_body("kW", 3, url).dump(),
            "charging_profile.charging_rate_unit");
    refused("PUT", "/ocpi/2.2.1/chargingprofiles/1", token, profile_body("W", -1, url).dump(),
            "charging_profile.charging_profile_period[0].limit");
    json two = profile_body("W", 3000, url);
    two["charging_profile"]["charging_profile_period"].push_back({{"start_period", 0}, {"limit", 1000}});
    refused("PUT", "/ocpi/2.2.1/chargingprofiles/1", token, two.dump(),
            "charging_profile.charging_profile_period[1].start_period");
    json no_url = profile_body("W", 3000, url);
    no_url.erase("response_url");
    refused("PUT", "/ocpi/2.2.1/chargingprofiles/1", token, no_url.dump(), "response_url");
    refused("GET", "/ocpi/2.2.1/chargingprofiles/1?response_url=" + url, token, "", "duration");
    refused("GET", "/ocpi/2.2.1/sessions", token, "", "date_from");
    refused("GET", "/ocpi/2.2.1/sessions?date_from=yesterday", token, "", "date_from");
    refused("GET", "/ocpi/2.2.1/cdrs?offset=-1", token, "", "offset");
    refused("GET", "/ocpi/2.2.1/cdrs?limit=ten", token, "", "limit");
    refused("GET", "/ocpi/2.2.1/tariffs?page=2", token, "", "page");
    // Still serving.
    EXPECT_EQ(site.call("GET", "/ocpi/2.2.1/tariffs", token).status, 200);
}

// Bodies and queries cut, spliced and garbled at random (seeded) never crash the endpoints nor get
// an internal error: every answer is 200, 400, 401, 404 or 405, in OCPI's envelope.
TEST(OcpiBadInput, GarbledBodiesAndQueriesNeverGetAnInternalError) {
    Transcript transcript;
    Emsp emsp(transcript);
    OcpiSite site(transcript, false);
    const std::string token = register_emsp(site, emsp);
    const std::vector<std::pair<std::string, std::string>> valid = {
        {"PUT /ocpi/2.2.1/chargingprofiles/1", profile_body("W", 3000, emsp.base() + "/results/f").dump()},
        {"PUT /ocpi/2.2.1/credentials", emsp.credentials().dump()},
        {"GET /ocpi/2.2.1/cdrs?offset=1&limit=2&date_from=2024-07-01T00:00:00Z", ""},
        {"GET /ocpi/2.2.1/locations/live-site/CP1/1", ""},
    };
    std::mt19937 rng(69);
    const std::string noise = "{}[]\":,0123456789.-eE nulltruefalse%?&=/\\\x01\xff";
    for (int i = 0; i < 240; ++i) {
        const auto& [line, body] = valid[i % valid.size()];
        const std::string method = line.substr(0, line.find(' '));
        std::string target = line.substr(line.find(' ') + 1), mangled = body;
        std::string& victim = body.empty() ? target : mangled;
        for (int edits = 1 + static_cast<int>(rng() % 4); edits > 0 && !victim.empty(); --edits) {
            const std::size_t at = rng() % victim.size();
            switch (rng() % 3) {
                case 0:
                    victim.erase(at, 1 + rng() % 8);
                    break;
                case 1:
                    victim.insert(at, 1, noise[rng() % noise.size()]);
                    break;
                default:
                    victim = victim.substr(0, at);
                    break;
            }
        }
        if (target.rfind("/ocpi/", 0) != 0) target.insert(0, "/ocpi/");  // the server's other routes aside
        for (char& c : target)
            if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '_';
        // A PUT of credentials that still parses would register again with the eMSP: only the garbled.
        if (line.find("credentials") != std::string::npos &&
            !json::parse(mangled, nullptr, false).is_discarded())
            continue;
        const auto reply = site.call(method, target, token, mangled);
        EXPECT_TRUE(reply.status == 200 || reply.status == 400 || reply.status == 401 ||
                    reply.status == 404 || reply.status == 405)
            << method << " " << target << " " << mangled << " -> " << reply.status << " " << reply.body;
        const json e = json::parse(reply.body, nullptr, false);
        EXPECT_TRUE(e.is_object() && e.contains("status_code") && e.contains("timestamp")) << reply.body;
    }
    EXPECT_EQ(site.call("GET", "/ocpi/2.2.1/tariffs", token).status, 200);
}

}  // namespace
}  // namespace evtwin::serve
