#include "ocpp/schema_check.hpp"
#include "ocpp/import.hpp"

#include "record/schema/sqlite_db.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin::ocpp {
namespace {

const std::filesystem::path kSchemas = test::data_file("ocpp/schemas");

std::string line(const char* dir, const std::string& frame) {
    return std::string(R"({"ts": "2024-01-01T10:00:00Z", "cs": "CP1", "dir": ")") + dir + R"(", "frame": )" +
           frame + "}\n";
}

Import validated(const std::string& text) {
    return import_text("test.jsonl", text, {}, SchemaOptions{true, kSchemas});
}

const SchemaTypeSummary& summary(const SchemaReport& r, const std::string& action, MessageType type) {
    for (const auto& s : r.by_type)
        if (s.action == action && s.type == type) return s;
    throw std::runtime_error("no summary for " + action);
}

// OCPP 1.6 StartTransaction.json: idTag is a string of at most 20 characters (CiString20Type);
// StartTransactionResponse.json: idTagInfo.status is one of Accepted, Blocked, Expired, Invalid,
// ConcurrentTx.
TEST(OcppSchema, V16ValidAndInvalidFrames) {
    const std::string text =
        line(
            "cs2csms",
            R"([2, "1", "StartTransaction", {"connectorId": 1, "idTag": "TAG1", "meterStart": 0, "timestamp": "2024-01-01T10:00:00Z"}])") +
        line("csms2cs", R"([3, "1", {"idTagInfo": {"status": "Accepted"}, "transactionId": 7}])") +
        line(
            "cs2csms",
            R"([2, "2", "StartTransaction", {"connectorId": 2, "idTag": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "meterStart": 0, "timestamp": "2024-01-01T10:00:00Z"}])") +
        line("csms2cs", R"([3, "2", {"idTagInfo": {"status": "Maybe"}, "transactionId": 8}])") +
        line("cs2csms", R"([2, "3", "Heartbeat", {}])") +
        line("csms2cs", R"([3, "3", {"currentTime": "yesterday"}])") +
        line("csms2cs", R"([4, "9", "NotImplemented", "", {}])");
    const Import im = validated(text);
    ASSERT_EQ(im.log.ocpp_version, "1.6");
    ASSERT_TRUE(im.schema);
    const SchemaReport& r = *im.schema;
    EXPECT_EQ(r.dir.filename(), "v16");
    EXPECT_EQ(r.checked, 6u);  // the CALLERROR has no schema and is not counted
    EXPECT_EQ(r.invalid, 3u);
    ASSERT_EQ(r.violations.size(), 3u);
    EXPECT_EQ(r.violations[0].line, 3u);
    EXPECT_EQ(r.violations[0].seq, 2u);
    EXPECT_EQ(r.violations[0].path, "$.idTag");
    EXPECT_EQ(r.violations[0].type, MessageType::call);
    EXPECT_EQ(r.violations[1].line, 4u);
    EXPECT_EQ(r.violations[1].path, "$.idTagInfo.status");
    EXPECT_EQ(r.violations[1].action, "StartTransaction");
    EXPECT_EQ(r.violations[1].type, MessageType::call_result);
    EXPECT_EQ(r.violations[2].path, "$.currentTime");  // date-time format
    EXPECT_EQ(r.violations[2].message, "String should be an RFC 3339 date-time.");
    const auto& call = summary(r, "StartTransaction", MessageType::call);
    EXPECT_EQ(call.checked, 2u);
    EXPECT_EQ(call.invalid, 1u);
    EXPECT_EQ(call.first_line, 3u);
    EXPECT_EQ(call.first_path, "$.idTag");
    EXPECT_EQ(summary(r, "Heartbeat", MessageType::call).invalid, 0u);
    EXPECT_EQ(summary(r, "Heartbeat", MessageType::call_result).invalid, 1u);
    // Never fatal: the invalid frames are kept and rebuilt.
    EXPECT_EQ(im.log.frames.size(), 7u);
    EXPECT_EQ(im.site.transactions.size(), 2u);
}

// OCPP 2.0.1 TransactionEventRequest.json: sampledValue.value is a number; a required property missing
// is reported on the object that lacks it.
TEST(OcppSchema, V201ValidAndInvalidFrames) {
    const std::string started =
        R"({"eventType": "Started", "timestamp": "2024-01-01T10:00:00Z", "triggerReason": "Authorized", "seqNo": 0,
            "transactionInfo": {"transactionId": "T1"}, "evse": {"id": 1, "connectorId": 1},
            "meterValue": [{"timestamp": "2024-01-01T10:00:00Z", "sampledValue": [{"value": 10.5}]}]})";
    const std::string bad_value =
        R"({"eventType": "Updated", "timestamp": "2024-01-01T10:05:00Z", "triggerReason": "MeterValuePeriodic", "seqNo": 1,
            "transactionInfo": {"transactionId": "T1"},
            "meterValue": [{"timestamp": "2024-01-01T10:05:00Z", "sampledValue": [{"value": 20}, {"value": "high"}]}]})";
    const std::string no_id =
        R"({"eventType": "Ended", "timestamp": "2024-01-01T10:09:00Z", "triggerReason": "EVDeparted", "seqNo": 2,
            "transactionInfo": {"stoppedReason": "EVDisconnected"}})";
    std::string text;
    auto compact = [](std::string s) { return nlohmann::json::parse(s).dump(); };
    text += line("cs2csms", R"([2, "a", "TransactionEvent", )" + compact(started) + "]");
    text += line("csms2cs", R"([3, "a", {}])");
    text += line("cs2csms", R"([2, "b", "TransactionEvent", )" + compact(bad_value) + "]");
    text += line("csms2cs", R"([3, "b", {"totalCost": "free"}])");
    text += line("cs2csms", R"([2, "c", "TransactionEvent", )" + compact(no_id) + "]");
    const Import im = validated(text);
    ASSERT_EQ(im.log.ocpp_version, "2.0.1");
    ASSERT_TRUE(im.schema);
    const SchemaReport& r = *im.schema;
    EXPECT_EQ(r.dir.filename(), "v201");
    EXPECT_EQ(r.checked, 5u);
    ASSERT_EQ(r.invalid, 3u);
    EXPECT_EQ(r.violations[0].line, 3u);
    EXPECT_EQ(r.violations[0].path, "$.meterValue[0].sampledValue[1].value");
    EXPECT_EQ(r.violations[1].line, 4u);
    EXPECT_EQ(r.violations[1].path, "$.totalCost");
    EXPECT_EQ(r.violations[1].type, MessageType::call_result);
    EXPECT_EQ(r.violations[2].line, 5u);
    EXPECT_EQ(r.violations[2].path, "$.transactionInfo");
    EXPECT_NE(r.violations[2].message.find("transactionId"), std::string::npos) << r.violations[2].message;
    EXPECT_EQ(summary(r, "TransactionEvent", MessageType::call).invalid, 2u);
    EXPECT_EQ(summary(r, "TransactionEvent", MessageType::call_result).checked, 2u);
}

// A megabyte-long date-time used to overflow the stack in std::regex; and the RFC 3339 variants.
TEST(OcppSchema, DateTimeIsCheckedWithoutRecursionOnLongStrings) {
    const std::string start =
        R"([2, "1", "StartTransaction", {"connectorId": 1, "idTag": "A", "meterStart": 0, "timestamp": "2024-01-01T10:00:00Z"}])";
    std::string text = line("cs2csms", start);
    int n = 1;
    const std::string times[] = {
        std::string(1'000'000, '2'),     "2024-01-01T10:00:00." + std::string(1'000'000, '5') + "Z",
        "2024-01-01T10:00:00.123+02:00", "2024-01-01t10:00:00,5Z",
        "2024-01-01T10:00:00",           "24-01-01T10:00:00Z",
        "2024-01-01T10:00:00.123456789Z"};
    for (const std::string& t : times) {
        const std::string id = std::to_string(++n);
        text += line("cs2csms", R"([2, ")" + id + R"(", "Heartbeat", {}])");
        text += line("csms2cs", R"([3, ")" + id + R"(", {"currentTime": ")" + t + R"("}])");
    }
    const Import im = validated(text);
    ASSERT_TRUE(im.schema);
    const auto& result = summary(*im.schema, "Heartbeat", MessageType::call_result);
    EXPECT_EQ(result.checked, 7u);
    std::vector<std::size_t> invalid_lines;
    for (const auto& v : im.schema->violations) invalid_lines.push_back(v.line);
    // lines 3, 5, 7, 9, 11, 13, 15 hold the results; valid: +02:00 (7) and 9 fraction digits (15)
    EXPECT_EQ(invalid_lines, (std::vector<std::size_t>{3, 5, 9, 11, 13}));
}

TEST(OcppSchema, UnknownVersionOrFolderIsANoteNotAnError) {
    const Import unknown = validated(line("cs2csms", R"([2, "1", "Heartbeat", {}])"));
    ASSERT_TRUE(unknown.schema);
    EXPECT_TRUE(unknown.schema->dir.empty());
    EXPECT_EQ(unknown.schema->checked, 0u);
    EXPECT_FALSE(unknown.schema->notes.empty());
    const Import missing = import_text(
        "t.jsonl",
        line(
            "cs2csms",
            R"([2, "1", "StartTransaction", {"connectorId": 1, "idTag": "A", "meterStart": 0, "timestamp": "2024-01-01T10:00:00Z"}])"),
        {}, SchemaOptions{true, "/nonexistent/schemas"});
    ASSERT_TRUE(missing.schema);
    EXPECT_EQ(missing.schema->checked, 0u);
    ASSERT_FALSE(missing.schema->notes.empty());
    EXPECT_NE(missing.schema->notes[0].find("/nonexistent/schemas/v16"), std::string::npos);
    EXPECT_EQ(missing.log.frames.size(), 1u);
}

// OCPP 2.1's schemas (v21/, draft-06 as 2.0.1's): a discharge setpoint is valid, a positive
// dischargeLimit is not (its schema's maximum is 0); no other version is known.
TEST(OcppSchema, V21SchemasAreTheirOwnFolder) {
    SchemaSet v21(kSchemas, "2.1");
    EXPECT_EQ(v21.dir().filename(), "v21");
    const auto verdict = [&](double discharge_limit) {
        const nlohmann::json payload = {
            {"evseId", 1},
            {"chargingProfile",
             {{"id", 1},
              {"stackLevel", 0},
              {"chargingProfilePurpose", "TxProfile"},
              {"chargingProfileKind", "Absolute"},
              {"transactionId", "TX-1"},
              {"chargingSchedule",
               nlohmann::json::array(
                   {{{"id", 1},
                     {"chargingRateUnit", "W"},
                     {"startSchedule", "2024-07-01T08:00:00Z"},
                     {"chargingSchedulePeriod",
                      nlohmann::json::array({{{"startPeriod", 0},
                                              {"operationMode", "CentralSetpoint"},
                                              {"setpoint", -7000.0},
                                              {"dischargeLimit", discharge_limit}}})}}})}}}};
        PayloadCheck check;
        std::string note;
        EXPECT_TRUE(v21.check_payload("SetChargingProfile", MessageType::call, payload, check, note)) << note;
        return check.valid ? std::string("valid") : check.path + " " + to_string(check.kind);
    };
    EXPECT_EQ(verdict(-7000.0), "valid");
    EXPECT_EQ(verdict(7000.0),
              "$.chargingProfile.chargingSchedule[0].chargingSchedulePeriod[0].dischargeLimit range");
    EXPECT_THROW(SchemaSet(kSchemas, "2.2"), DataError);
}

// A log that names its charge point's version ("ocpp", as `evtwin serve` writes it) is checked
// against that version: a 2.1 station's NotifyEVChargingNeeds with V2X parameters is valid in 2.1;
// in a log that does not say, the same frame shows 2.1 by those parameters.
TEST(OcppSchema, TheRecordedVersionChoosesTheSchemas) {
    const std::string frame =
        R"([2, "n", "NotifyEVChargingNeeds", {"evseId": 1, "timestamp": "2024-01-01T10:00:00Z", "chargingNeeds": {"requestedEnergyTransfer": "AC_BPT", "v2xChargingParameters": {"maxDischargePower": 7000}}}])";
    const std::string recorded = R"({"cs":"CS21","dir":"cs2csms","frame":)" + frame +
                                 R"(,"ocpp":"2.1","ts":"2024-01-01T10:00:00Z"})" + "\n";
    const Import v21 = validated(recorded);
    EXPECT_EQ(v21.log.ocpp_version, "2.1");
    EXPECT_EQ(v21.log.cs_versions, (std::map<std::string, std::string>{{"CS21", "2.1"}}));
    ASSERT_TRUE(v21.schema);
    EXPECT_EQ(v21.schema->dir.filename(), "v21");
    EXPECT_EQ(v21.schema->checked, 1u);
    EXPECT_EQ(v21.schema->invalid, 0u);
    const Import unsaid = validated(line("cs2csms", frame));
    EXPECT_EQ(unsaid.log.ocpp_version, "2.1");
    ASSERT_TRUE(unsaid.schema);
    EXPECT_EQ(unsaid.schema->invalid, 0u);
}

std::string cp_line(const char* cs, const char* ts, const char* dir, const std::string& frame) {
    return std::string(R"({"ts": ")") + ts + R"(", "cs": ")" + cs + R"(", "dir": ")" + dir +
           R"(", "frame": )" + frame + "}\n";
}

// A central system serving a 1.6 charge point (CP16) and a 2.0.1 charging station (CS201), their
// frames interleaved: each is checked against its own version's schemas.
std::string mixed_versions_log(const std::string& cs201_ended_meter_value) {
    const auto cp16 = [](const char* ts, const char* dir, const std::string& frame) {
        return cp_line("CP16", ts, dir, frame);
    };
    const auto cs201 = [](const char* ts, const char* dir, const std::string& frame) {
        return cp_line("CS201", ts, dir, frame);
    };
    const std::string boot_answer =
        R"([3, "b", {"currentTime": "2024-01-01T10:00:00Z", "interval": 300, "status": "Accepted"}])";
    return cp16("2024-01-01T10:00:00Z", "cs2csms",
                R"([2, "b", "BootNotification", {"chargePointVendor": "V", "chargePointModel": "M"}])") +
           cs201(
               "2024-01-01T10:00:01Z", "cs2csms",
               R"([2, "b", "BootNotification", {"chargingStation": {"model": "M", "vendorName": "V"}, "reason": "PowerUp"}])") +
           cp16("2024-01-01T10:00:02Z", "csms2cs", boot_answer) +
           cs201("2024-01-01T10:00:03Z", "csms2cs", boot_answer) +
           cp16(
               "2024-01-01T10:01:00Z", "cs2csms",
               R"([2, "s", "StartTransaction", {"connectorId": 1, "idTag": "TAG1", "meterStart": 1000, "timestamp": "2024-01-01T10:01:00Z"}])") +
           cs201(
               "2024-01-01T10:01:01Z", "cs2csms",
               R"([2, "t1", "TransactionEvent", {"eventType": "Started", "timestamp": "2024-01-01T10:01:01Z", "triggerReason": "Authorized", "seqNo": 0, "transactionInfo": {"transactionId": "T1"}, "evse": {"id": 1, "connectorId": 1}, "meterValue": [{"timestamp": "2024-01-01T10:01:01Z", "sampledValue": [{"value": 500}]}]}])") +
           cp16("2024-01-01T10:01:02Z", "csms2cs",
                R"([3, "s", {"idTagInfo": {"status": "Accepted"}, "transactionId": 7}])") +
           cs201("2024-01-01T10:01:03Z", "csms2cs", R"([3, "t1", {}])") +
           cp16(
               "2024-01-01T10:30:00Z", "cs2csms",
               R"([2, "m", "MeterValues", {"connectorId": 1, "transactionId": 7, "meterValue": [{"timestamp": "2024-01-01T10:30:00Z", "sampledValue": [{"value": "3000"}]}]}])") +
           cs201(
               "2024-01-01T10:30:01Z", "cs2csms",
               R"([2, "t2", "TransactionEvent", {"eventType": "Updated", "timestamp": "2024-01-01T10:30:01Z", "triggerReason": "MeterValuePeriodic", "seqNo": 1, "transactionInfo": {"transactionId": "T1"}, "meterValue": [{"timestamp": "2024-01-01T10:30:01Z", "sampledValue": [{"value": 2500}]}]}])") +
           cp16("2024-01-01T10:30:02Z", "csms2cs", R"([3, "m", {}])") +
           cs201("2024-01-01T10:30:03Z", "csms2cs", R"([3, "t2", {}])") +
           cp16(
               "2024-01-01T11:00:00Z", "cs2csms",
               R"([2, "e", "StopTransaction", {"meterStop": 6000, "timestamp": "2024-01-01T11:00:00Z", "transactionId": 7, "reason": "EVDisconnected"}])") +
           cs201(
               "2024-01-01T11:00:01Z", "cs2csms",
               R"([2, "t3", "TransactionEvent", {"eventType": "Ended", "timestamp": "2024-01-01T11:00:01Z", "triggerReason": "EVDeparted", "seqNo": 2, "transactionInfo": {"transactionId": "T1", "stoppedReason": "EVDisconnected"}, "meterValue": [{"timestamp": "2024-01-01T11:00:01Z", "sampledValue": [{"value": )" +
                   cs201_ended_meter_value + R"(}]}]}])") +
           cp16("2024-01-01T11:00:02Z", "csms2cs", R"([3, "e", {"idTagInfo": {"status": "Accepted"}}])") +
           cs201("2024-01-01T11:00:03Z", "csms2cs", R"([3, "t3", {}])");
}

// A log that names no version, with a 2.0.1 station (CS201) and a 2.1 one (CS21) whose boot looks
// like 2.0.1's: the 2.1 station is known by its bidirectional needs and by an action only 2.1 has,
// and checked against 2.1's schemas, where its V2X fields are valid.
TEST(OcppSchema, A21StationIsKnownByWhatOnly21Has) {
    const auto cs = [](const char* id, const char* ts, const char* dir, const std::string& frame) {
        return cp_line(id, ts, dir, frame);
    };
    const std::string boot =
        R"([2, "b", "BootNotification", {"chargingStation": {"model": "M", "vendorName": "V"}, "reason": "PowerUp"}])";
    const std::string boot_answer =
        R"([3, "b", {"currentTime": "2024-01-01T10:00:00Z", "interval": 300, "status": "Accepted"}])";
    const std::string needs =
        R"([2, "n", "NotifyEVChargingNeeds", {"evseId": 1, "chargingNeeds": {"requestedEnergyTransfer": "AC_BPT", "v2xChargingParameters": {"maxDischargePower": 7000, "evTargetEnergyRequest": 15000}}}])";
    const std::string settlement =
        R"([2, "s", "NotifySettlement", {"pspRef": "r1", "status": "Settled", "settlementAmount": 4.2, "settlementTime": "2024-01-01T10:02:00Z"}])";
    const Import im =
        validated(cs("CS201", "2024-01-01T10:00:00Z", "cs2csms", boot) +
                  cs("CS201", "2024-01-01T10:00:01Z", "csms2cs", boot_answer) +
                  cs("CS21", "2024-01-01T10:00:02Z", "cs2csms", boot) +
                  cs("CS21", "2024-01-01T10:00:03Z", "csms2cs", boot_answer) +
                  cs("CS21", "2024-01-01T10:01:00Z", "cs2csms", needs) +
                  cs("CS21", "2024-01-01T10:01:01Z", "csms2cs", R"([3, "n", {"status": "Accepted"}])") +
                  cs("CS21", "2024-01-01T10:02:00Z", "cs2csms", settlement) +
                  cs("CS21", "2024-01-01T10:02:01Z", "csms2cs", R"([3, "s", {}])"));
    EXPECT_EQ(im.log.ocpp_version, "2.0.1+2.1");
    EXPECT_EQ(im.log.cs_versions, (std::map<std::string, std::string>{{"CS201", "2.0.1"}, {"CS21", "2.1"}}));
    for (const Problem& p : im.log.problems) EXPECT_NE(p.kind, "unknown_action") << p.message;
    ASSERT_TRUE(im.schema);
    EXPECT_EQ(im.schema->checked, 8u);
    EXPECT_EQ(im.schema->invalid, 0u)
        << (im.schema->violations.empty()
                ? ""
                : im.schema->violations[0].path + ": " + im.schema->violations[0].message);
    EXPECT_EQ(im.schema->unchecked, 0u);
}

TEST(OcppSchema, MixedVersionsEachChargePointAgainstItsOwnSchemas) {
    const Import im = validated(mixed_versions_log("4500"));
    EXPECT_EQ(im.log.ocpp_version, "1.6+2.0.1");
    EXPECT_EQ(im.log.cs_versions, (std::map<std::string, std::string>{{"CP16", "1.6"}, {"CS201", "2.0.1"}}));
    ASSERT_TRUE(im.schema);
    const SchemaReport& r = *im.schema;
    EXPECT_EQ(r.dir, kSchemas);
    EXPECT_EQ(r.checked, 16u);
    EXPECT_EQ(r.invalid, 0u) << (r.violations.empty()
                                     ? ""
                                     : r.violations[0].path + ": " + r.violations[0].message);
    EXPECT_EQ(r.unchecked, 0u);
    EXPECT_TRUE(r.notes.empty()) << r.notes[0];
    ASSERT_EQ(im.site.transactions.size(), 2u);
    std::map<std::string, double> energy;
    for (const Transaction& t : im.site.transactions) energy[t.cs] = t.energy_kwh.value_or(-1);
    EXPECT_NEAR(energy["CP16"], 5.0, 1e-9);
    EXPECT_NEAR(energy["CS201"], 4.0, 1e-9);

    // Not weakened: a 2.0.1 sampled value given as a string (as 1.6 has it) is invalid.
    const Import bad = validated(mixed_versions_log("\"4500\""));
    ASSERT_TRUE(bad.schema);
    EXPECT_EQ(bad.schema->checked, 16u);
    ASSERT_EQ(bad.schema->invalid, 1u);
    EXPECT_EQ(bad.schema->violations[0].line, 14u);
    EXPECT_EQ(bad.schema->violations[0].path, "$.meterValue[0].sampledValue[0].value");
}

// Cross-checked with python3 jsonschema 4 (Draft4Validator / Draft6Validator with a FormatChecker)
// over the same frames: every CALL and answered CALLRESULT of both shared logs is valid.
TEST(OcppSchema, SharedLogsAreValid) {
    const Import csv = import_log(test::data_file("ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv"), {},
                                  SchemaOptions{true, kSchemas});
    ASSERT_TRUE(csv.schema);
    EXPECT_EQ(csv.schema->checked, 17670u);
    EXPECT_EQ(csv.schema->invalid, 0u);
    EXPECT_EQ(csv.schema->unchecked, 0u);
    EXPECT_EQ(summary(*csv.schema, "StatusNotification", MessageType::call).checked, 523u);
    EXPECT_EQ(summary(*csv.schema, "StatusNotification", MessageType::call_result).checked, 283u);
    const Import tc = import_log(test::data_file("ocpp/logs/idaho_ocpp201_real_tc_e_44.log"), {},
                                 SchemaOptions{true, kSchemas});
    ASSERT_TRUE(tc.schema);
    EXPECT_EQ(tc.schema->dir.filename(), "v201");
    EXPECT_EQ(tc.schema->checked, 30u);
    EXPECT_EQ(tc.schema->invalid, 0u);
}

TEST(OcppSchema, StoredPerMessageTypeAndPerFrame) {
    const auto dir = test::temp_dir("ocpp_schema_store");
    const std::string text =
        line(
            "cs2csms",
            R"([2, "1", "StartTransaction", {"connectorId": 1, "idTag": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "meterStart": 0, "timestamp": "2024-01-01T10:00:00Z"}])") +
        line("csms2cs", R"([3, "1", {"idTagInfo": {"status": "Accepted"}, "transactionId": 7}])");
    sqlite::Db db(dir / "r.db", sqlite::Db::Mode::read_write_create);
    const std::int64_t id = store(db, validated(text));
    EXPECT_EQ(db.query_int("SELECT checked_frames FROM ocpp_imports WHERE import_id = " + std::to_string(id)),
              2);
    EXPECT_EQ(db.query_int("SELECT invalid_frames FROM ocpp_imports"), 1);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM ocpp_schema_summary"), 2);
    EXPECT_EQ(
        db.query_int(
            "SELECT invalid FROM ocpp_schema_summary WHERE action = 'StartTransaction' AND message_type = 2"),
        1);
    sqlite::Stmt e(db, "SELECT seq, line, action, message_type, path FROM ocpp_schema_errors");
    ASSERT_TRUE(e.step());
    EXPECT_EQ(e.int64(0), 0);
    EXPECT_EQ(e.int64(1), 1);
    EXPECT_EQ(e.text(2), "StartTransaction");
    EXPECT_EQ(e.int64(3), 2);
    EXPECT_EQ(e.text(4), "$.idTag");
    EXPECT_FALSE(e.step());
    // Not validated: NULL counts, no rows.
    store(db, import_text("t.jsonl", text));
    EXPECT_EQ(db.query_int("SELECT count(*) FROM ocpp_imports WHERE checked_frames IS NULL"), 1);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM ocpp_schema_errors"), 1);
}

// valijson would refuse 16.0 and 7.3 as multiples of 0.1 (|remainder| > DBL_EPSILON): the 1.6
// schedule limits are checked within 1e-6 of a multiple instead.
TEST(OcppSchema, MultipleOfAcceptsDecimalLimits) {
    SchemaSet set(kSchemas, "1.6");
    const auto request = [](nlohmann::json limit) {
        return nlohmann::json{
            {"connectorId", 1},
            {"csChargingProfiles",
             {{"chargingProfileId", 1},
              {"stackLevel", 0},
              {"chargingProfilePurpose", "TxDefaultProfile"},
              {"chargingProfileKind", "Absolute"},
              {"chargingSchedule",
               {{"startSchedule", "2024-01-01T00:00:00.000Z"},
                {"chargingRateUnit", "A"},
                {"chargingSchedulePeriod",
                 {{{"startPeriod", 0}, {"limit", 6}}, {{"startPeriod", 60}, {"limit", limit}}}}}}}}};
    };
    PayloadCheck out;
    std::string note;
    for (const nlohmann::json& limit : {nlohmann::json(16.0), nlohmann::json(7.3), nlohmann::json(32),
                                        nlohmann::json(11000.0), nlohmann::json(0.1), nlohmann::json(22.1)}) {
        ASSERT_TRUE(set.check_payload("SetChargingProfile", MessageType::call, request(limit), out, note))
            << note;
        EXPECT_TRUE(out.valid) << limit << ": " << out.path << " " << out.message;
    }
    for (const nlohmann::json& limit : {nlohmann::json(7.35), nlohmann::json(0.01)}) {
        ASSERT_TRUE(set.check_payload("SetChargingProfile", MessageType::call, request(limit), out, note));
        EXPECT_FALSE(out.valid) << limit;
        EXPECT_EQ(out.kind, ViolationKind::multiple_of);
        EXPECT_EQ(out.path, "$.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[1].limit");
        EXPECT_EQ(out.message, "Value should be a multiple of 0.1.");
    }
}

TEST(OcppSchema, PayloadCheckNamesWhatTheFirstErrorBroke) {
    SchemaSet v16(kSchemas, "1.6");
    SchemaSet v201(kSchemas, "2.0.1");
    const auto kind = [](SchemaSet& set, const char* action, const char* payload,
                         std::string* path = nullptr) {
        PayloadCheck out;
        std::string note;
        EXPECT_TRUE(set.check_payload(action, MessageType::call, nlohmann::json::parse(payload), out, note))
            << note;
        if (path) *path = out.path;
        return out.valid ? std::string("valid") : std::string(to_string(out.kind));
    };
    std::string path;
    EXPECT_EQ(kind(v16, "Heartbeat", "{}"), "valid");
    EXPECT_EQ(kind(v16, "BootNotification", R"({"chargePointVendor": "V"})", &path), "required");
    EXPECT_EQ(path, "$");
    EXPECT_EQ(kind(v16, "BootNotification", R"({"chargePointVendor": 5, "chargePointModel": "M"})", &path),
              "type");
    EXPECT_EQ(path, "$.chargePointVendor");
    EXPECT_EQ(kind(v16, "BootNotification",
                   R"({"chargePointVendor": "V", "chargePointModel": "0123456789012345678901"})"),
              "maxLength");
    EXPECT_EQ(
        kind(v16, "BootNotification", R"({"chargePointVendor": "V", "chargePointModel": "M", "colour": 1})"),
        "additionalProperties");
    EXPECT_EQ(
        kind(v16, "StatusNotification", R"({"connectorId": 1, "errorCode": "Error", "status": "Available"})"),
        "enum");
    EXPECT_EQ(
        kind(v16, "MeterValues",
             R"({"connectorId": 1, "meterValue": [{"timestamp": "noon", "sampledValue": [{"value": "1"}]}]})",
             &path),
        "date-time");
    EXPECT_EQ(path, "$.meterValue[0].timestamp");
    EXPECT_EQ(kind(v16, "MeterValues", R"({"connectorId": 1, "meterValue": []})"), "items");
    // A number where a 2.0.1 enum wants a string: the type, not the enum.
    EXPECT_EQ(kind(v201, "BootNotification",
                   R"({"reason": 3, "chargingStation": {"model": "M", "vendorName": "V"}})", &path),
              "type");
    EXPECT_EQ(path, "$.reason");
    PayloadCheck out;
    std::string note;
    EXPECT_FALSE(
        v201.check_payload("StartTransaction", MessageType::call, nlohmann::json::object(), out, note));
    EXPECT_NE(note.find("no schema for StartTransaction CALL"), std::string::npos) << note;
}

}  // namespace
}  // namespace evtwin::ocpp
