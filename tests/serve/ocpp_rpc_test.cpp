// OCPP-J frames: subprotocols, every frame error of both versions with the code and message id it
// is answered with, well-formed messages, and the frames the central system writes.
#include "serve/csms/ocpp_rpc.hpp"

#include <gtest/gtest.h>

#include <string>

namespace evtwin::serve {
namespace {

using nlohmann::json;

using enum OcppVersion;

// The code and id of the CALLERROR a message is answered with ("ok" for a message).
std::string rpc_answer(OcppVersion v, std::string_view text) {
    const Parsed p = parse_message(v, text);
    if (p) return "ok";
    const json frame = json::parse(p.reply);
    EXPECT_TRUE(frame.is_array() && frame.size() == 5) << p.reply;
    EXPECT_EQ(frame[0], 4);
    EXPECT_EQ(frame[2], p.error.code);
    EXPECT_TRUE(is_error_code(v, p.error.code)) << p.error.code;
    EXPECT_TRUE(frame[4].is_object());
    return frame[1].get<std::string>() + " " + p.error.code + (p.answer ? "" : " (unanswered)");
}

TEST(OcppRpc, SubprotocolsNameTheVersions) {
    EXPECT_EQ(version_of_subprotocol("ocpp1.6"), v16);
    EXPECT_EQ(version_of_subprotocol("ocpp2.0.1"), v201);
    EXPECT_FALSE(version_of_subprotocol("ocpp2.0"));
    EXPECT_FALSE(version_of_subprotocol("OCPP1.6"));
    EXPECT_FALSE(version_of_subprotocol(""));
    EXPECT_STREQ(subprotocol_name(v16), "ocpp1.6");
    EXPECT_STREQ(subprotocol_name(v201), "ocpp2.0.1");
    EXPECT_STREQ(version_name(v201), "2.0.1");
    EXPECT_EQ(version_of_subprotocol("ocpp2.1"), v21);
    EXPECT_STREQ(subprotocol_name(v21), "ocpp2.1");
    EXPECT_STREQ(version_name(v21), "2.1");
    EXPECT_FALSE(is_ocpp2(v16));
    EXPECT_TRUE(is_ocpp2(v201));
    EXPECT_TRUE(is_ocpp2(v21));
}

// OCPP-J 2.1's CALLRESULTERROR and SEND are never answered; to 2.0.1 they are unknown types.
TEST(OcppRpc, TwoOnesUnansweredMessageTypesGetNoAnswer) {
    for (
        const char* text :
        {R"([6, "s1", "NotifyPeriodicEventStream", {"id": 1, "pending": 0, "basetime": "2024-01-01T00:00:00Z", "data": []}])",
         R"([5, "r1", "FormatViolation", "bad result", {}])"}) {
        const Parsed p21 = parse_message(v21, text);
        EXPECT_FALSE(p21);
        EXPECT_FALSE(p21.answer) << text;
        const Parsed p201 = parse_message(v201, text);
        EXPECT_TRUE(p201.answer) << text;
        EXPECT_EQ(p201.error.code, "MessageTypeNotSupported") << text;
    }
}

TEST(OcppRpc, ErrorCodesAreEachVersionsOwn) {
    EXPECT_TRUE(is_error_code(v16, "FormationViolation"));
    EXPECT_FALSE(is_error_code(v16, "FormatViolation"));
    EXPECT_FALSE(is_error_code(v16, "RpcFrameworkError"));
    EXPECT_TRUE(is_error_code(v201, "FormatViolation"));
    EXPECT_TRUE(is_error_code(v201, "MessageTypeNotSupported"));
    EXPECT_FALSE(is_error_code(v201, "FormationViolation"));
    EXPECT_TRUE(is_error_code(v21, "FormatViolation"));
    EXPECT_FALSE(is_error_code(v21, "FormationViolation"));
    EXPECT_STREQ(format_violation_code(v21), "FormatViolation");
    EXPECT_TRUE(is_error_code(v21, "OccurrenceConstraintViolation"));
    EXPECT_FALSE(is_error_code(v21, "OccurenceConstraintViolation"));
    EXPECT_FALSE(is_error_code(v201, "OccurrenceConstraintViolation"));
    EXPECT_STREQ(occurrence_constraint_code(v201), "OccurenceConstraintViolation");
    EXPECT_STREQ(occurrence_constraint_code(v21), "OccurrenceConstraintViolation");
    for (const OcppVersion v : {v16, v201}) {
        EXPECT_TRUE(is_error_code(v, "OccurenceConstraintViolation"));
        EXPECT_TRUE(is_error_code(v, "TypeConstraintViolation"));
        EXPECT_FALSE(is_error_code(v, "Timeout"));
    }
}

TEST(OcppRpc, BadJsonIsAFormatViolationWithIdMinusOne) {
    for (const char* text :
         {"", "[2, \"1\", \"Heartbeat\", {}", "{{", "[2,'1','Heartbeat',{}]", "\xff\xfe"}) {
        EXPECT_EQ(rpc_answer(v16, text), "-1 FormationViolation") << text;
        EXPECT_EQ(rpc_answer(v201, text), "-1 FormatViolation") << text;
    }
}

TEST(OcppRpc, JsonThatIsNotAnRpcArrayIsAnRpcFrameworkError) {
    for (const char* text : {"{}", "[]", "\"text\"", "42", "null", "{\"id\": \"1\"}"}) {
        EXPECT_EQ(rpc_answer(v16, text), "-1 FormationViolation") << text;
        EXPECT_EQ(rpc_answer(v201, text), "-1 RpcFrameworkError") << text;
    }
}

TEST(OcppRpc, WrongElementTypesAreAnsweredWithTheIdWhenItCanBeRead) {
    // The message type is not an integer.
    EXPECT_EQ(rpc_answer(v201, R"(["2", "a1", "Heartbeat", {}])"), "a1 RpcFrameworkError");
    EXPECT_EQ(rpc_answer(v201, R"([2.0, "a1", "Heartbeat", {}])"), "a1 RpcFrameworkError");
    EXPECT_EQ(rpc_answer(v16, R"([null, "a1", "Heartbeat", {}])"), "a1 FormationViolation");
    // The id is not a string, empty, or longer than 36 characters.
    EXPECT_EQ(rpc_answer(v201, R"([2, 17, "Heartbeat", {}])"), "-1 RpcFrameworkError");
    EXPECT_EQ(rpc_answer(v201, R"([2, "", "Heartbeat", {}])"), "-1 RpcFrameworkError");
    EXPECT_EQ(rpc_answer(v16, "[2, \"" + std::string(37, 'x') + "\", \"Heartbeat\", {}]"),
              "-1 FormationViolation");
    EXPECT_EQ(rpc_answer(v16, "[2, \"" + std::string(36, 'x') + "\", \"Heartbeat\", {}]"), "ok");
    EXPECT_EQ(rpc_answer(v201, R"([2])"), "-1 RpcFrameworkError");
    // The action is not a string; the payload not an object; elements missing or too many.
    EXPECT_EQ(rpc_answer(v201, R"([2, "a2", 5, {}])"), "a2 RpcFrameworkError");
    EXPECT_EQ(rpc_answer(v201, R"([2, "a2", "", {}])"), "a2 RpcFrameworkError");
    EXPECT_EQ(rpc_answer(v16, R"([2, "a2", ["Heartbeat"], {}])"), "a2 FormationViolation");
    EXPECT_EQ(rpc_answer(v201, R"([2, "a3", "Heartbeat", []])"), "a3 FormatViolation");
    EXPECT_EQ(rpc_answer(v201, R"([2, "a3", "Heartbeat", null])"), "a3 FormatViolation");
    EXPECT_EQ(rpc_answer(v16, R"([2, "a3", "Heartbeat", "{}"])"), "a3 FormationViolation");
    EXPECT_EQ(rpc_answer(v201, R"([2, "a4", "Heartbeat"])"), "a4 RpcFrameworkError");
    EXPECT_EQ(rpc_answer(v16, R"([2, "a4", "Heartbeat", {}, {}])"), "a4 FormationViolation");
}

TEST(OcppRpc, AnUnknownMessageTypeIsMessageTypeNotSupportedIn201) {
    EXPECT_EQ(rpc_answer(v201, R"([5, "b1", {}])"), "b1 MessageTypeNotSupported");
    EXPECT_EQ(rpc_answer(v201, R"([6, "b1", "Heartbeat", {}])"), "b1 MessageTypeNotSupported");
    EXPECT_EQ(rpc_answer(v201, R"([-1])"), "-1 MessageTypeNotSupported");
    EXPECT_EQ(rpc_answer(v16, R"([1, "b1", "Heartbeat", {}])"), "b1 FormationViolation");
}

TEST(OcppRpc, BrokenAnswersAreReportedButNeverAnswered) {
    EXPECT_EQ(rpc_answer(v201, R"([3, "c1"])"), "c1 RpcFrameworkError (unanswered)");
    EXPECT_EQ(rpc_answer(v201, R"([3, "c1", "Accepted"])"), "c1 FormatViolation (unanswered)");
    EXPECT_EQ(rpc_answer(v16, R"([3, 4, {}])"), "-1 FormationViolation (unanswered)");
    EXPECT_EQ(rpc_answer(v201, R"([4, "c2", "GenericError"])"), "c2 RpcFrameworkError (unanswered)");
    EXPECT_EQ(rpc_answer(v201, R"([4, "c2", 7, "oops", {}])"), "c2 RpcFrameworkError (unanswered)");
    EXPECT_EQ(rpc_answer(v16, R"([4, "c2", "GenericError", "oops", "details"])"),
              "c2 FormationViolation (unanswered)");
}

TEST(OcppRpc, WellFormedMessagesAreRead) {
    const Parsed call =
        parse_message(v16, R"([2,"19223201","BootNotification",{"chargePointVendor":"VendorX"}])");
    ASSERT_TRUE(call);
    EXPECT_EQ(call.message->type, ocpp::MessageType::call);
    EXPECT_EQ(call.message->id, "19223201");
    EXPECT_EQ(call.message->action, "BootNotification");
    EXPECT_EQ(call.message->payload, json({{"chargePointVendor", "VendorX"}}));
    // Its text is compact with the keys sorted, whatever the sender's layout.
    const Parsed spaced = parse_message(v16, R"([2, "5", "Authorize", { "z" : 1, "idTag" : "A" }])");
    ASSERT_TRUE(spaced);
    EXPECT_EQ(spaced.message->payload_text, R"({"idTag":"A","z":1})");

    const Parsed result = parse_message(v201, R"([3, "id-7", {"status": "Accepted"}])");
    ASSERT_TRUE(result);
    EXPECT_EQ(result.message->type, ocpp::MessageType::call_result);
    EXPECT_EQ(result.message->id, "id-7");
    EXPECT_TRUE(result.message->action.empty());
    EXPECT_EQ(result.message->payload["status"], "Accepted");

    const Parsed error = parse_message(v201, R"([4, "id-8", "NotSupported", "no smart charging", {"x": 1}])");
    ASSERT_TRUE(error);
    EXPECT_EQ(error.message->type, ocpp::MessageType::call_error);
    EXPECT_EQ(error.message->error.code, "NotSupported");
    EXPECT_EQ(error.message->error.description, "no smart charging");
    EXPECT_EQ(error.message->error.details, json({{"x", 1}}));
    // Details left out are taken as {}.
    const Parsed bare = parse_message(v16, R"([4, "id-9", "InternalError", ""])");
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare.message->error.details, json::object());
}

TEST(OcppRpc, DeepNestingIsRefusedBeforeParsing) {
    // 64 KiB, the WebSocket limit, of nesting: the frame is refused without its id.
    const std::string deep = std::string(32 * 1024, '[') + std::string(32 * 1024, ']');
    EXPECT_EQ(rpc_answer(v201, deep), "-1 FormatViolation");
    const auto data_transfer = [](int levels) {
        return R"([2, "d1", "DataTransfer", {"vendorId": "x", "data": )" + std::string(levels, '[') +
               std::string(levels, ']') + "}]";
    };
    EXPECT_EQ(rpc_answer(v16, data_transfer(62)), "ok");  // 64 levels with the frame and the payload
    EXPECT_EQ(rpc_answer(v16, data_transfer(63)), "-1 FormationViolation");
    // Brackets inside strings do not count.
    EXPECT_EQ(rpc_answer(v16, R"([2, "d2", "DataTransfer", {"vendorId": "[[[[\"[[[[", "data": "{{{{"}])"),
              "ok");
}

TEST(OcppRpc, FramesAreCompactOcppJArrays) {
    EXPECT_EQ(call_frame("m-1", "SetChargingProfile", {{"connectorId", 1}}),
              R"([2,"m-1","SetChargingProfile",{"connectorId":1}])");
    EXPECT_EQ(result_frame("m-2", R"({"currentTime":"2024-01-01T00:00:00.000Z"})"),
              R"([3,"m-2",{"currentTime":"2024-01-01T00:00:00.000Z"}])");
    EXPECT_EQ(error_frame("m-3", {"NotImplemented", "no such action", json::object()}),
              R"([4,"m-3","NotImplemented","no such action",{}])");
    // Details that are not an object become {}; a long description is cut at 255 bytes without
    // splitting a character; bytes that are not UTF-8 do not make it throw.
    const std::string frame =
        error_frame("m-4", {"GenericError", std::string(254, 'a') + "é", json::array()});
    const json parsed = json::parse(frame);
    EXPECT_EQ(parsed[3].get<std::string>(), std::string(254, 'a'));
    EXPECT_EQ(parsed[4], json::object());
    EXPECT_TRUE(json::accept(error_frame("\xff", {"GenericError", "\xfe\xfd", {{"k", "\xc3"}}})));
}

}  // namespace
}  // namespace evtwin::serve
