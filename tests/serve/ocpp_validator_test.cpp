// A charge point's CALLs against the official schemas (../shared/data/ocpp/schemas): the CALLERROR
// code of each kind of violation in both versions, valid messages, CALLRESULTs of our CALLs, and a
// property test of parser and validator on random and mutated messages.
#include "serve/csms/ocpp_validator.hpp"

#include "serve/csms/ocpp_rpc.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

namespace evtwin::serve {
namespace {

using nlohmann::json;

using enum OcppVersion;

OcppValidator& shared_validator() {
    static OcppValidator v(evtwin::test::data_file("ocpp/schemas"));
    return v;
}

// "ok" or the CALLERROR code and details.path.
std::string call_verdict(OcppVersion v, const char* action, const json& payload) {
    const auto e = shared_validator().check_call(v, action, payload);
    if (!e) return "ok";
    if (e->details.contains("path")) return e->code + " " + e->details["path"].get<std::string>();
    return e->code;
}

const json kBoot16 = {{"chargePointVendor", "VendorX"}, {"chargePointModel", "ModelY"}};
const json kBoot201 = {{"reason", "PowerUp"},
                       {"chargingStation", {{"model", "ModelY"}, {"vendorName", "VendorX"}}}};
const json kMeterValues16 = json::parse(R"({"connectorId": 1, "transactionId": 7, "meterValue": [
    {"timestamp": "2024-01-01T10:00:00.000Z", "sampledValue": [
      {"value": "1234.5", "measurand": "Energy.Active.Import.Register", "unit": "Wh", "context": "Sample.Periodic"},
      {"value": "7200", "measurand": "Power.Active.Import", "unit": "W"}]}]})");
const json kMeterValues201 = json::parse(R"({"evseId": 1, "meterValue": [
    {"timestamp": "2024-01-01T10:00:00Z", "sampledValue": [
      {"value": 1234.5, "measurand": "Energy.Active.Import.Register", "unitOfMeasure": {"unit": "Wh"}}]}]})");
const json kTransactionEvent = json::parse(R"({"eventType": "Started", "timestamp": "2024-01-01T10:00:00Z",
    "triggerReason": "CablePluggedIn", "seqNo": 0, "transactionInfo": {"transactionId": "tx-1",
    "chargingState": "EVConnected"}, "evse": {"id": 1, "connectorId": 1},
    "idToken": {"idToken": "TAG1", "type": "ISO14443"}})");
const json kChargingNeeds = json::parse(R"({"evseId": 1, "maxScheduleTuples": 3, "chargingNeeds": {
    "requestedEnergyTransfer": "AC_three_phase", "departureTime": "2024-01-01T18:00:00Z",
    "acChargingParameters": {"energyAmount": 20000, "evMinCurrent": 6, "evMaxCurrent": 32, "evMaxVoltage": 400}}})");

TEST(OcppValidator, ValidCallsPass) {
    EXPECT_EQ(call_verdict(v16, "BootNotification", kBoot16), "ok");
    EXPECT_EQ(call_verdict(v16, "Heartbeat", json::object()), "ok");
    EXPECT_EQ(call_verdict(v16, "MeterValues", kMeterValues16), "ok");
    EXPECT_EQ(call_verdict(v16, "DataTransfer", {{"vendorId", "evtwin"}}), "ok");
    EXPECT_EQ(call_verdict(v201, "BootNotification", kBoot201), "ok");
    EXPECT_EQ(call_verdict(v201, "MeterValues", kMeterValues201), "ok");
    EXPECT_EQ(call_verdict(v201, "TransactionEvent", kTransactionEvent), "ok");
    EXPECT_EQ(call_verdict(v201, "NotifyEVChargingNeeds", kChargingNeeds), "ok");
    EXPECT_EQ(call_verdict(v21, "BootNotification", kBoot201), "ok");
    EXPECT_EQ(call_verdict(v21, "MeterValues", kMeterValues201), "ok");
    EXPECT_EQ(call_verdict(v21, "TransactionEvent", kTransactionEvent), "ok");
    EXPECT_EQ(call_verdict(v21, "NotifyEVChargingNeeds", kChargingNeeds), "ok");
}

// 2.1 frames are checked against 2.1's own schemas: what 2.1 added is valid there and a
// FormatViolation (an unknown property) in 2.0.1; an action only 2.1 has is NotImplemented in 2.0.1.
TEST(OcppValidator, OcppTwoOneFramesAreCheckedAgainstItsOwnSchemas) {
    json needs = kChargingNeeds;
    needs["timestamp"] = "2024-07-01T08:00:00Z";
    needs["chargingNeeds"]["v2xChargingParameters"] = {{"maxDischargePower", 11000},
                                                       {"evTargetEnergyRequest", 20000}};
    EXPECT_EQ(call_verdict(v21, "NotifyEVChargingNeeds", needs), "ok");
    EXPECT_EQ(call_verdict(v201, "NotifyEVChargingNeeds", needs), "FormatViolation $.chargingNeeds");
    const json battery_swap = {{"eventType", "BatteryIn"},
                               {"requestId", 1},
                               {"idToken", {{"idToken", "T"}, {"type", "ISO14443"}}},
                               {"batteryData", json::array()}};
    EXPECT_EQ(call_verdict(v201, "BatterySwap", battery_swap), "NotImplemented");
    needs["chargingNeeds"]["v2xChargingParameters"]["targetSoC"] = "80";
    EXPECT_EQ(call_verdict(v21, "NotifyEVChargingNeeds", needs),
              "TypeConstraintViolation $.chargingNeeds.v2xChargingParameters.targetSoC");
}

TEST(OcppValidator, UnknownActionsAreNotImplementedAndOursNotSupported) {
    EXPECT_EQ(call_verdict(v16, "Teleport", json::object()), "NotImplemented");
    EXPECT_EQ(call_verdict(v201, "../v16/Heartbeat", json::object()), "NotImplemented");
    EXPECT_EQ(call_verdict(v16, "TransactionEvent", kTransactionEvent), "NotImplemented");  // 2.0.1 only
    EXPECT_EQ(call_verdict(v201, "StartTransaction", json::object()), "NotImplemented");    // 1.6 only
    EXPECT_EQ(call_verdict(v201, "RemoteStartTransaction", json::object()), "NotImplemented");
    // Known to the version, but a central system's CALL.
    EXPECT_EQ(call_verdict(v16, "SetChargingProfile", json::object()), "NotSupported");
    EXPECT_EQ(call_verdict(v201, "GetCompositeSchedule", json::object()), "NotSupported");
}

TEST(OcppValidator, AMissingRequiredFieldIsAnOccurrenceViolation) {
    json boot = kBoot16;
    boot.erase("chargePointModel");
    EXPECT_EQ(call_verdict(v16, "BootNotification", boot), "OccurenceConstraintViolation $");
    json mv = kMeterValues201;
    mv["meterValue"][0].erase("timestamp");
    EXPECT_EQ(call_verdict(v201, "MeterValues", mv), "OccurenceConstraintViolation $.meterValue[0]");
    // An array below its minimum count: also the occurrence.
    mv = kMeterValues201;
    mv["meterValue"] = json::array();
    EXPECT_EQ(call_verdict(v201, "MeterValues", mv), "OccurenceConstraintViolation $.meterValue");
}

TEST(OcppValidator, AWrongTypeIsATypeConstraintViolation) {
    json boot = kBoot16;
    boot["chargePointVendor"] = 42;
    EXPECT_EQ(call_verdict(v16, "BootNotification", boot), "TypeConstraintViolation $.chargePointVendor");
    json mv = kMeterValues16;
    mv["connectorId"] = "1";
    EXPECT_EQ(call_verdict(v16, "MeterValues", mv), "TypeConstraintViolation $.connectorId");
    json tx = kTransactionEvent;
    tx["seqNo"] = 1.5;
    EXPECT_EQ(call_verdict(v201, "TransactionEvent", tx), "TypeConstraintViolation $.seqNo");
    tx = kTransactionEvent;
    tx["eventType"] = 1;  // an enum's value of the wrong type: the type is what is wrong
    EXPECT_EQ(call_verdict(v201, "TransactionEvent", tx), "TypeConstraintViolation $.eventType");
}

TEST(OcppValidator, EnumLengthAndFormatViolationsArePropertyConstraintViolations) {
    json status = {{"connectorId", 1}, {"errorCode", "Error"}, {"status", "Available"}};
    EXPECT_EQ(call_verdict(v16, "StatusNotification", status), "PropertyConstraintViolation $.errorCode");
    json boot = kBoot16;
    boot["chargePointModel"] = std::string(21, 'M');  // CiString20Type
    EXPECT_EQ(call_verdict(v16, "BootNotification", boot), "PropertyConstraintViolation $.chargePointModel");
    json tx = kTransactionEvent;
    tx["transactionInfo"]["transactionId"] = std::string(37, 't');
    EXPECT_EQ(call_verdict(v201, "TransactionEvent", tx),
              "PropertyConstraintViolation $.transactionInfo.transactionId");
    tx = kTransactionEvent;
    tx["triggerReason"] = "Whim";
    EXPECT_EQ(call_verdict(v201, "TransactionEvent", tx), "PropertyConstraintViolation $.triggerReason");
    json mv = kMeterValues16;
    mv["meterValue"][0]["timestamp"] = "2024-01-01 10:00";
    EXPECT_EQ(call_verdict(v16, "MeterValues", mv), "PropertyConstraintViolation $.meterValue[0].timestamp");
    json needs = kChargingNeeds;
    needs["chargingNeeds"]["requestedEnergyTransfer"] = "Wireless";
    EXPECT_EQ(call_verdict(v201, "NotifyEVChargingNeeds", needs),
              "PropertyConstraintViolation $.chargingNeeds.requestedEnergyTransfer");
}

TEST(OcppValidator, AnUnknownPropertyIsAFormatViolation) {
    json boot = kBoot16;
    boot["colour"] = "red";
    EXPECT_EQ(call_verdict(v16, "BootNotification", boot), "FormationViolation $");
    json boot201 = kBoot201;
    boot201["chargingStation"]["colour"] = "red";
    EXPECT_EQ(call_verdict(v201, "BootNotification", boot201), "FormatViolation $.chargingStation");
}

TEST(OcppValidator, TheErrorCarriesPathAndMessage) {
    json boot = kBoot16;
    boot.erase("chargePointVendor");
    const auto e = shared_validator().check_call(v16, "BootNotification", boot);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->details["path"], "$");
    EXPECT_EQ(e->details["message"], "Missing required property 'chargePointVendor'.");
    EXPECT_NE(e->description.find("BootNotification"), std::string::npos) << e->description;
    EXPECT_NE(e->description.find("chargePointVendor"), std::string::npos) << e->description;
}

TEST(OcppValidator, ResultsOfOurCallsAreChecked) {
    EXPECT_TRUE(
        shared_validator().check_result(v16, "SetChargingProfile", {{"status", "NotSupported"}}).valid);
    EXPECT_TRUE(shared_validator().check_result(v201, "SetChargingProfile", {{"status", "Accepted"}}).valid);
    const PayloadVerdict bad =
        shared_validator().check_result(v201, "SetChargingProfile", {{"status", "NotSupported"}});
    EXPECT_FALSE(bad.valid);
    EXPECT_EQ(bad.message, "$.status: Failed to match against any enum values.");
    const PayloadVerdict none = shared_validator().check_result(v16, "NotifyEVChargingNeeds", json::object());
    EXPECT_FALSE(none.valid);
    EXPECT_NE(none.message.find("no OCPP 1.6 schema"), std::string::npos) << none.message;
    EXPECT_TRUE(shared_validator()
                    .check_request(v201, "GetCompositeSchedule", {{"evseId", 1}, {"duration", 3600}})
                    .valid);
}

TEST(OcppValidator, IsSafeToShareBetweenThreads) {
    std::vector<std::thread> threads;
    std::vector<int> failures(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([t, &failures] {
            for (int i = 0; i < 200; ++i) {
                const bool odd = (i + t) % 2 == 1;
                json boot = odd ? kBoot16 : kBoot201;
                const bool valid = i % 3 != 0;
                if (!valid) boot["extra"] = i;
                const auto e = shared_validator().check_call(odd ? v16 : v201, "BootNotification", boot);
                if (e.has_value() == valid) ++failures[t];
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST(OcppValidator, DeeplyNestedPayloadsAreChecked) {
    json data = json::array();
    // Deeper than parse_message lets through (64), shallow enough for nlohmann::json's recursive
    // copies under AddressSanitizer's larger stack frames.
    for (int i = 0; i < 500; ++i) data = json::array({std::move(data)});
    EXPECT_EQ(call_verdict(v16, "DataTransfer", {{"vendorId", "x"}, {"data", data}}),
              "TypeConstraintViolation $.data");
    EXPECT_EQ(call_verdict(v201, "DataTransfer", {{"vendorId", "x"}, {"data", data}}),
              "ok");  // data: any JSON
}

TEST(OcppValidator, AMissingSchemaFolderIsAnError) {
    EXPECT_THROW(OcppValidator(evtwin::test::temp_dir("ocpp_validator_empty")), std::exception);
}

// What the central system does with one text message: parse, then validate a CALL.
struct CsmsOutcome {
    bool message = false;
    std::string reply;  // a CALLERROR frame, when there is one
};

CsmsOutcome csms_handle(OcppVersion v, const std::string& text) {
    CsmsOutcome h;
    const Parsed p = parse_message(v, text);
    if (!p) {
        h.reply = p.reply;
        return h;
    }
    if (p.message->type == ocpp::MessageType::call) {
        if (const auto e = shared_validator().check_call(v, p.message->action, p.message->payload)) {
            h.reply = error_frame(p.message->id, *e);
            return h;
        }
    }
    h.message = true;
    return h;
}

json random_json(std::mt19937& rng, int depth) {
    switch (rng() % (depth > 2 ? 6 : 8)) {
        case 0:
            return nullptr;
        case 1:
            return static_cast<bool>(rng() % 2);
        case 2:
            return static_cast<int>(rng() % 2001) - 1000;
        case 3:
            return static_cast<double>(rng() % 100000) / 7.0;
        case 4:
            return std::string(rng() % 40, static_cast<char>('a' + rng() % 26));
        case 5:
            return "2024-01-01T10:00:00Z";
        case 6: {
            json a = json::array();
            for (unsigned i = rng() % 3; i > 0; --i) a.push_back(random_json(rng, depth + 1));
            return a;
        }
        default: {
            json o = json::object();
            for (unsigned i = rng() % 3; i > 0; --i)
                o["k" + std::to_string(rng() % 5)] = random_json(rng, depth + 1);
            return o;
        }
    }
}

// Replaces one value somewhere inside `j` (or removes a member) at random.
void mutate_json(json& j, std::mt19937& rng) {
    json* at = &j;
    for (int depth = 0; depth < 6; ++depth) {
        if (at->is_object() && !at->empty()) {
            auto it = at->begin();
            std::advance(it, rng() % at->size());
            if (rng() % 4 == 0) {
                if (rng() % 2) {
                    at->erase(it);
                } else {
                    *it = random_json(rng, 0);
                }
                return;
            }
            at = &it.value();
        } else if (at->is_array() && !at->empty()) {
            at = &(*at)[rng() % at->size()];
        } else {
            break;
        }
    }
    *at = random_json(rng, 0);
}

std::string mutate_bytes(std::string s, std::mt19937& rng) {
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
        const std::size_t at = rng() % s.size();
        switch (rng() % 4) {
            case 0:
                s[at] = static_cast<char>(rng() % 256);
                break;
            case 1:
                s.erase(at, 1 + rng() % 8);
                break;
            case 2:
                s.insert(at, 1, "[]{},:\"\\0-9e"[rng() % 12]);
                break;
            default:
                s.resize(at);
                break;
        }
    }
    return s;
}

TEST(OcppValidator, RandomAndMutatedMessagesGetAMessageOrAKnownCallError) {
    std::mt19937 rng(20240601);
    const std::vector<std::pair<OcppVersion, json>> seeds = {
        {v16, json::array({2, "1", "BootNotification", kBoot16})},
        {v16, json::array({2, "2", "MeterValues", kMeterValues16})},
        {v16, json::array({2, "3", "Heartbeat", json::object()})},
        {v16, json::array({3, "4", {{"status", "Accepted"}}})},
        {v201, json::array({2, "5", "BootNotification", kBoot201})},
        {v201, json::array({2, "6", "TransactionEvent", kTransactionEvent})},
        {v201, json::array({2, "7", "NotifyEVChargingNeeds", kChargingNeeds})},
        {v201, json::array({2, "8", "MeterValues", kMeterValues201})},
        {v201, json::array({4, "9", "GenericError", "x", json::object()})},
    };
    int messages = 0, errors = 0;
    const auto check = [&](OcppVersion v, const std::string& text) {
        CsmsOutcome h;
        ASSERT_NO_THROW(h = csms_handle(v, text)) << text;
        if (h.message) {
            ++messages;
            return;
        }
        ++errors;
        json frame;
        ASSERT_NO_THROW(frame = json::parse(h.reply)) << h.reply;
        ASSERT_TRUE(frame.is_array() && frame.size() == 5) << h.reply;
        EXPECT_EQ(frame[0], 4) << h.reply;
        EXPECT_TRUE(frame[1].is_string() && frame[3].is_string() && frame[4].is_object()) << h.reply;
        ASSERT_TRUE(frame[2].is_string()) << h.reply;
        EXPECT_TRUE(is_error_code(v, frame[2].get<std::string>())) << h.reply;
    };
    for (const auto& [v, frame] : seeds) check(v, frame.dump());
    for (int i = 0; i < 400; ++i) {
        const auto& [v, seed] = seeds[rng() % seeds.size()];
        json frame = seed;
        switch (i % 4) {
            case 0:  // a mutated field, as valid JSON
                mutate_json(frame, rng);
                check(v, frame.dump());
                break;
            case 1:  // a mutated payload only
                if (frame.size() >= 3) mutate_json(frame.back(), rng);
                check(v, frame.dump());
                break;
            case 2:  // mutated bytes
                check(v, mutate_bytes(frame.dump(), rng));
                break;
            default: {  // random bytes
                std::string bytes(rng() % 64, '\0');
                for (char& c : bytes) c = static_cast<char>(rng() % 256);
                check(v, bytes);
            }
        }
    }
    EXPECT_GT(messages, 20);
    EXPECT_GT(errors, 200);
}

}  // namespace
}  // namespace evtwin::serve
