// OCPP 2.1 charging stations at the live central system: the `ocpp2.1` subprotocol, every frame
// checked against 2.1's own schemas, and the 2.0.1 messages both versions share served to 2.1.
#include "live_station.hpp"

#include "ocpp/schema_check.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace evtwin::serve {
namespace {

using live_test::AnsweringStation;
using live_test::boot_notification;
using live_test::call;
using live_test::LiveSite;
using live_test::started_on_evse_1;
using nlohmann::json;

// Each CALL the central system sent, against the 2.1 request schema of its action: "" when all are
// valid, else the first that is not and why.
std::string first_invalid_v21_call(const std::vector<json>& calls) {
    ocpp::SchemaSet schemas(evtwin::test::data_file("ocpp/schemas"), "2.1");
    for (const json& frame : calls) {
        ocpp::PayloadCheck check;
        std::string note;
        if (!schemas.check_payload(frame[2].get<std::string>(), ocpp::MessageType::call, frame[3], check,
                                   note))
            return frame.dump() + ": no 2.1 schema " + note;
        if (!check.valid) return frame.dump() + ": " + check.path + ": " + check.message;
    }
    return "";
}

TEST(LiveOcpp21, AStationBootsOverOcpp21AndGetsProfilesValidIn21) {
    LiveSite site;
    test::WsHandshakeReply reply;
    test::WsClientOptions options;
    options.subprotocols = {"ocpp2.1", "ocpp2.0.1"};
    auto client = test::WsClient::connect(site.port(), "/ocpp/CP-A", options, &reply);
    ASSERT_TRUE(client);
    EXPECT_EQ(reply.headers["sec-websocket-protocol"], "ocpp2.1");
    const Time now = site.now();
    {
        AnsweringStation station(*client, 0);
        ASSERT_EQ(station.call("1", "BootNotification", boot_notification())[0], 3);
        ASSERT_EQ(station.call("2", "TransactionEvent", started_on_evse_1(now))[0], 3);
        site.step_to(now);
        const std::vector<json> received = station.received();
        const std::vector<std::string> calls = station.calls();
        EXPECT_NE(std::find(calls.begin(), calls.end(), "SetChargingProfile TxProfile 1"), calls.end())
            << testing::PrintToString(calls);
        EXPECT_EQ(first_invalid_v21_call(received), "");
        client->close();
    }
    const json sessions = site.state()["sessions"];
    EXPECT_EQ(sessions.size(), 1u) << sessions.dump();
}

// A field only 2.1 has is valid from a 2.1 station and refused from a 2.0.1 one; a 2.1 frame that
// breaks its schema gets 2.1's CALLERROR and changes nothing.
TEST(LiveOcpp21, FramesAreCheckedAgainstTheStationsOwnVersion) {
    LiveSite site;
    const Time now = site.now();
    json needs = {
        {"evseId", 1},
        {"timestamp", format_utc(now)},
        {"chargingNeeds",
         {{"requestedEnergyTransfer", "AC_three_phase"},
          {"departureTime", format_utc(now + Duration::hours(3))},
          {"acChargingParameters",
           {{"energyAmount", 22'000}, {"evMinCurrent", 0}, {"evMaxCurrent", 16}, {"evMaxVoltage", 400}}}}}};
    auto v21 = site.connect("CP-A", "ocpp2.1");
    auto v201 = site.connect("CP-B", "ocpp2.0.1");
    ASSERT_TRUE(v21 && v201);
    ASSERT_EQ(call(*v21, "1", "BootNotification", boot_notification())[0], 3);
    ASSERT_EQ(call(*v201, "1", "BootNotification", boot_notification())[0], 3);
    const json accepted = call(*v21, "2", "NotifyEVChargingNeeds", needs);
    EXPECT_EQ(accepted[0], 3) << accepted.dump();
    const json refused = call(*v201, "2", "NotifyEVChargingNeeds", needs);
    ASSERT_EQ(refused[0], 4) << refused.dump();
    EXPECT_EQ(refused[2], "FormatViolation") << refused.dump();

    needs["chargingNeeds"]["v2xChargingParameters"] = {{"targetSoC", "80"}};
    const json wrong_type = call(*v21, "3", "NotifyEVChargingNeeds", needs);
    ASSERT_EQ(wrong_type[0], 4) << wrong_type.dump();
    EXPECT_EQ(wrong_type[2], "TypeConstraintViolation") << wrong_type.dump();
    const json missing = call(*v21, "4", "NotifyEVChargingNeeds", {{"evseId", 1}});
    ASSERT_EQ(missing[0], 4) << missing.dump();
    EXPECT_EQ(missing[2], "OccurrenceConstraintViolation") << missing.dump();
    const json not_an_object = call(*v21, "5", "Heartbeat", json::array());
    ASSERT_EQ(not_an_object[0], 4) << not_an_object.dump();
    EXPECT_EQ(not_an_object[2], "FormatViolation") << not_an_object.dump();
    EXPECT_TRUE(site.state()["sessions"].empty());
    v21->close();
    v201->close();
}

}  // namespace
}  // namespace evtwin::serve
