// The general line log: times in many styles, frames anywhere on a line or pretty-printed over
// several, the charge point from the line, and the direction from endpoint names, send/receive
// words and, where no word tells, from the messages themselves.
#include "ocpp/log_reader.hpp"

#include <evtwin/errors.hpp>

#include <gtest/gtest.h>

namespace evtwin::ocpp {
namespace {

LogRead read_station_log(std::string_view text, const std::string& default_cs = "CS") {
    ReadOptions o;
    o.default_cs = default_cs;
    return read_log("station.log", text, o);
}

struct Seen {
    std::string cs;
    Direction dir;
    MessageType type;
    std::string id;
};

std::vector<Seen> seen(const LogRead& r) {
    std::vector<Seen> out;
    for (const Frame& f : r.frames) out.push_back({f.cs, f.dir, f.type, f.message_id});
    return out;
}

void expect_boot_exchange(const LogRead& r, const std::string& cs, std::int64_t first_ms) {
    EXPECT_EQ(r.format, Format::lines);
    EXPECT_TRUE(r.problems.empty()) << r.problems.front().kind << ": " << r.problems.front().message;
    ASSERT_EQ(r.frames.size(), 4u);
    const auto s = seen(r);
    EXPECT_EQ(s[0].cs, cs);
    EXPECT_EQ(s[0].dir, Direction::cs_to_csms);  // BootNotification
    EXPECT_EQ(s[1].dir, Direction::csms_to_cs);  // its answer
    EXPECT_EQ(s[1].type, MessageType::call_result);
    EXPECT_EQ(s[2].dir, Direction::csms_to_cs);  // RemoteStartTransaction
    EXPECT_EQ(s[3].dir, Direction::cs_to_csms);  // its answer
    for (const Seen& x : s) EXPECT_EQ(x.cs, cs);
    EXPECT_EQ(r.frames[0].ts_ms, first_ms);
    EXPECT_EQ(r.frames[0].action, "BootNotification");
    EXPECT_EQ(payload_json(r.frames[0])["chargePointVendor"], "V");
}

constexpr std::int64_t k0920 = 1795511520000;  // 2026-11-24T09:12:00Z

TEST(OcppLineLog, PythonOcppLibraryOnTheCentralSystem) {
    // The writer is the CSMS: what it receives comes from the station.
    expect_boot_exchange(
        read_station_log(
            R"(2026-11-24 09:12:00,000 - ocpp - INFO - CP-7: receive message [2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
2026-11-24 09:12:00,013 - ocpp - INFO - CP-7: send [3,"1",{"status":"Accepted","currentTime":"2026-11-24T09:12:00Z","interval":300}]
2026-11-24 09:12:05,000 - ocpp - INFO - CP-7: send [2,"2","RemoteStartTransaction",{"idTag":"T1","connectorId":1}]
2026-11-24 09:12:05,110 - ocpp - INFO - CP-7: receive message [3,"2",{"status":"Accepted"}]
)"),
        "CP-7", k0920);
}

TEST(OcppLineLog, PythonOcppLibraryOnTheStation) {
    // The writer is the station: the same words mean the other direction.
    expect_boot_exchange(
        read_station_log(
            R"(2026-11-24 10:12:00,000 INFO CP-7: send [2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
2026-11-24 10:12:00,013 INFO CP-7: receive message [3,"1",{"status":"Accepted","currentTime":"2026-11-24T09:12:00Z","interval":300}]
2026-11-24 10:12:05,000 INFO CP-7: receive message [2,"2","RemoteStartTransaction",{"idTag":"T1","connectorId":1}]
2026-11-24 10:12:05,110 INFO CP-7: send [3,"2",{"status":"Accepted"}]
)"),
        "CP-7", k0920 + 3'600'000);
}

TEST(OcppLineLog, ArrowsBetweenNamedEndpointsAndOffsets) {
    expect_boot_exchange(
        read_station_log(
            R"([2026-11-24T10:12:00.000+01:00] CP-7 -> CSMS [2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
[2026-11-24T10:12:00.013+01:00] CSMS -> CP-7 [3,"1",{"status":"Accepted","currentTime":"2026-11-24T09:12:00Z","interval":300}]
[2026-11-24T10:12:05.000+0100] CSMS → CP-7 [2,"2","RemoteStartTransaction",{"idTag":"T1","connectorId":1}]
[2026-11-24T10:12:05.110+0100] CP-7 → CSMS [3,"2",{"status":"Accepted"}]
)"),
        "CP-7", k0920);
}

TEST(OcppLineLog, JournaldLinesWithKeyValueIdsAndInOutArrows) {
    expect_boot_exchange(
        read_station_log(
            R"(2026-11-24T09:12:00+0000 host csms[812]: chargeBoxId=CP-7 << [2, "1", "BootNotification", {"chargePointVendor": "V", "chargePointModel": "M"}]
2026-11-24T09:12:00+0000 host csms[812]: chargeBoxId=CP-7 >> [3, "1", {"status": "Accepted", "currentTime": "2026-11-24T09:12:00Z", "interval": 300}]
2026-11-24T09:12:05+0000 host csms[812]: chargeBoxId=CP-7 >> [2, "2", "RemoteStartTransaction", {"idTag": "T1", "connectorId": 1}]
2026-11-24T09:12:05+0000 host csms[812]: chargeBoxId=CP-7 << [3, "2", {"status": "Accepted"}]
)"),
        "CP-7", k0920);
}

TEST(OcppLineLog, PrettyPrintedFramesAreJoinedFromTheFollowingLines) {
    const LogRead r = read_station_log(R"(2026-11-24 09:12:00.000 [INFO] ocpp.ws station=CP-7 rx
[
  2,
  "1",
  "BootNotification",
  {"chargePointVendor": "V", "chargePointModel": "M"}
]
2026-11-24 09:12:00.013 [INFO] ocpp.ws station=CP-7 tx [3, "1", {"status": "Accepted",
    "currentTime": "2026-11-24T09:12:00Z", "interval": 300}]
2026-11-24 09:12:02.000 [DEBUG] ocpp.ws keep-alive
2026-11-24 09:12:05.000 [INFO] ocpp.ws station=CP-7 tx [2, "2", "RemoteStartTransaction", {"idTag": "T1", "connectorId": 1}]
2026-11-24 09:12:05.110 [INFO] ocpp.ws station=CP-7 rx
  [3, "2", {"status": "Accepted"}]
)");
    expect_boot_exchange(r, "CP-7", k0920);
    EXPECT_EQ(r.frames[0].line, 1u);
    EXPECT_EQ(r.frames[1].line, 8u);
    EXPECT_EQ(r.frames[3].line, 12u);
}

TEST(OcppLineLog, WithoutWordsTheMessagesTellTheDirection) {
    // No direction word anywhere: a CALL's sender is fixed by its action, an answer goes back.
    const LogRead r = read_station_log(
        R"(2026/11/24 09:12:00.000 [2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
2026/11/24 09:12:00.013 [3,"1",{"status":"Accepted","currentTime":"2026-11-24T09:12:00Z","interval":300}]
2026/11/24 09:12:05.000 [2,"2","RemoteStartTransaction",{"idTag":"T1","connectorId":1}]
2026/11/24 09:12:05.110 [3,"2",{"status":"Accepted"}]
)",
        "CP-7");
    expect_boot_exchange(r, "CP-7", k0920);
}

TEST(OcppLineLog, OcppCoreStyleWithChargePointInParentheses) {
    expect_boot_exchange(
        read_station_log(
            R"(2026-11-24 09:12:00.0001|TRACE|OCPP.Core.Server.OCPPMiddleware|ChargePoint(CP-7) => In: [2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
2026-11-24 09:12:00.0131|TRACE|OCPP.Core.Server.OCPPMiddleware|ChargePoint(CP-7) => Out: [3,"1",{"status":"Accepted","currentTime":"2026-11-24T09:12:00Z","interval":300}]
2026-11-24 09:12:05.0001|TRACE|OCPP.Core.Server.OCPPMiddleware|ChargePoint(CP-7) => Out: [2,"2","RemoteStartTransaction",{"idTag":"T1","connectorId":1}]
2026-11-24 09:12:05.1101|TRACE|OCPP.Core.Server.OCPPMiddleware|ChargePoint(CP-7) => In: [3,"2",{"status":"Accepted"}]
)"),
        "CP-7", k0920);
}

TEST(OcppLineLog, SyslogTimesTakeTheirYearFromTheMessages) {
    // journalctl's default: no year; the BootNotification's answer states the date.
    expect_boot_exchange(
        read_station_log(
            R"(Nov 24 09:12:00.000412 host csms[812]: chargeBoxId=CP-7 << [2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
Nov 24 09:12:00.013412 host csms[812]: chargeBoxId=CP-7 >> [3,"1",{"status":"Accepted","currentTime":"2026-11-24T09:12:00Z","interval":300}]
Nov 24 09:12:05 host csms[812]: chargeBoxId=CP-7 >> [2,"2","RemoteStartTransaction",{"idTag":"T1","connectorId":1}]
Nov 24 09:12:05 host csms[812]: chargeBoxId=CP-7 << [3,"2",{"status":"Accepted"}]
)"),
        "CP-7", k0920);
}

TEST(OcppLineLog, SyslogTimesWithoutADateNeedTheYear) {
    const std::string log =
        "Nov  4 09:12:00 host csms[812]: chargeBoxId=CP-7 << [2,\"1\",\"Heartbeat\",{}]\n";
    try {
        read_station_log(log);
        FAIL() << "no DataError";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("station.log: line 1:"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("--year"), std::string::npos) << e.what();
    }
    ReadOptions o;
    o.year = 2026;
    const LogRead r = read_log("station.log", log, o);
    ASSERT_EQ(r.frames.size(), 1u);
    EXPECT_EQ(r.frames[0].ts_ms, k0920 - 20 * 86'400'000LL);  // 4 November
}

TEST(OcppLineLog, SyslogYearsComeFromDatesAfter2000) {
    // A station that has not set its clock yet states 1970: the central system's date counts.
    const LogRead r = read_station_log(
        R"(Nov 24 09:11:59 csms: CP-7 -> CSMS [2,"1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"1970-01-01T00:00:07Z"}]
Nov 24 09:12:00 csms: CSMS -> CP-7 [3,"1",{}]
Nov 24 09:12:00 csms: CP-7 -> CSMS [2,"2","Heartbeat",{}]
Nov 24 09:12:00 csms: CSMS -> CP-7 [3,"2",{"currentTime":"2026-11-24T09:12:00Z"}]
)");
    ASSERT_EQ(r.frames.size(), 4u);
    EXPECT_EQ(r.frames[0].ts_ms, k0920 - 1'000);
}

TEST(OcppLineLog, SyslogTimesCountOnAcrossNewYear) {
    // The date stated after New Year dates the lines before it too; 29 February 2027 does not exist.
    const LogRead r = read_station_log(
        R"(Dec 31 23:59:59 csms: CP-7 -> CSMS [2,"1","Heartbeat",{}]
Jan  1 00:00:01 csms: CSMS -> CP-7 [3,"1",{"currentTime":"2027-01-01T00:00:01Z"}]
Feb 29 12:00:00 csms: CP-7 -> CSMS [2,"2","Heartbeat",{}]
Mar  1 12:00:00 csms: CP-7 -> CSMS [2,"3","Heartbeat",{}]
)");
    ASSERT_EQ(r.frames.size(), 3u);
    EXPECT_EQ(r.frames[0].ts_ms, 1'798'761'599'000);  // 2026-12-31T23:59:59Z
    EXPECT_EQ(r.frames[1].ts_ms, 1'798'761'601'000);
    EXPECT_EQ(r.frames[2].ts_ms, 1'803'902'400'000);  // 2027-03-01T12:00:00Z
    ASSERT_EQ(r.problems.size(), 1u);
    const Problem& feb29 = r.problems[0];
    EXPECT_EQ(feb29.kind, "bad_timestamp");
    EXPECT_EQ(feb29.line, 3u);
    EXPECT_EQ(feb29.message, "no day 29 in month 2 of 2027");
}

TEST(OcppLineLog, LocalTimesAndSyslogTimesInTheLogsZone) {
    // Python's logging writes local time without an offset; so does syslog.
    ReadOptions o;
    o.timezone = TimeZone("Europe/Amsterdam");
    expect_boot_exchange(
        read_log(
            "station.log",
            R"(2026-11-24 10:12:00,000 - ocpp - INFO - CP-7: receive message [2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
Nov 24 10:12:00 host csms[812]: CP-7: send [3,"1",{"status":"Accepted","currentTime":"2026-11-24T09:12:00Z","interval":300}]
1795511525000 CP-7: send [2,"2","RemoteStartTransaction",{"idTag":"T1","connectorId":1}]
[2026-11-24T09:12:05.110Z] CP-7: receive message [3,"2",{"status":"Accepted"}]
)",
            o),
        "CP-7", k0920);
}

TEST(OcppLineLog, UnixTimesInSecondsMillisecondsAndMicroseconds) {
    const LogRead r = read_station_log(
        R"(1795511520 CP-7 -> CSMS [2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
1795511520.0139 CSMS -> CP-7 [3,"1",{"status":"Accepted","currentTime":"2026-11-24T09:12:00Z","interval":300}]
[1795511525000] CSMS -> CP-7 [2,"2","RemoteStartTransaction",{"idTag":"T1","connectorId":1}]
ts=1795511525110999: CP-7 -> CSMS [3,"2",{"status":"Accepted"}]
)");
    expect_boot_exchange(r, "CP-7", k0920);
    EXPECT_EQ(r.frames[1].ts_ms, k0920 + 13);
    EXPECT_EQ(r.frames[2].ts_ms, k0920 + 5'000);
    EXPECT_EQ(r.frames[3].ts_ms, k0920 + 5'110);
    const LogRead ns = read_station_log("1795511526000999999 CP-7 -> CSMS [2,\"3\",\"Heartbeat\",{}]\n");
    ASSERT_EQ(ns.frames.size(), 1u);
    EXPECT_EQ(ns.frames[0].ts_ms, k0920 + 6'000);
}

TEST(OcppLineLog, ATimeMustStandBeforeTheFrame) {
    // A number of the right length inside the message, or one outside 2000-2100, is not a time.
    const LogRead r = read_station_log(
        R"(CP-7 -> CSMS [2,"1795511520000","Heartbeat",{}]
9999999999 CP-7 -> CSMS [2,"2","Heartbeat",{}]
9999999999999999999 CP-7 -> CSMS [2,"3","Heartbeat",{}]
2026-11-24T09:12:00Z CP-7 -> CSMS [2,"4","Heartbeat",{}]
)");
    ASSERT_EQ(r.frames.size(), 1u);
    EXPECT_EQ(r.frames[0].message_id, "4");
    ASSERT_EQ(r.problems.size(), 3u);
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(r.problems[k].kind, "bad_timestamp");
        EXPECT_EQ(r.problems[k].line, k + 1);
    }
}

TEST(OcppLineLog, StructuredJsonLogsOfPinoAndZap) {
    // pino on the central system, the frame logged as a string; the words of "msg" tell the direction.
    expect_boot_exchange(
        read_station_log(
            R"({"level":30,"time":1795511520000,"pid":812,"identity":"CP-7","msg":"receive","message":"[2,\"1\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]"}
{"level":30,"time":1795511520013,"pid":812,"identity":"CP-7","msg":"send","message":"[3,\"1\",{\"status\":\"Accepted\",\"currentTime\":\"2026-11-24T09:12:00Z\",\"interval\":300}]"}
{"level":20,"time":1795511521000,"pid":812,"msg":"ping"}
{"level":30,"time":1795511525000,"pid":812,"identity":"CP-7","msg":"send","message":"[2,\"2\",\"RemoteStartTransaction\",{\"idTag\":\"T1\",\"connectorId\":1}]"}
{"level":30,"time":1795511525110,"pid":812,"identity":"CP-7","msg":"receive","message":"[3,\"2\",{\"status\":\"Accepted\"}]"}
)"),
        "CP-7", k0920);
    // zap, seconds in "ts" and the frame as an array: a "frame" key does not make it JSON Lines.
    const LogRead zap = read_station_log(
        R"({"level":"info","ts":1795511520.0131,"msg":"message received","chargeStationId":"CP-9","frame":[2,"1","Heartbeat",{}]}
)");
    EXPECT_EQ(zap.format, Format::lines);
    ASSERT_EQ(zap.frames.size(), 1u);
    EXPECT_EQ(zap.frames[0].ts_ms, k0920 + 13);
    EXPECT_EQ(zap.frames[0].cs, "CP-9");
    EXPECT_EQ(zap.frames[0].dir, Direction::cs_to_csms);
}

TEST(OcppLineLog, BadLinesAreProblemsAndReadingGoesOn) {
    const LogRead r = read_station_log(
        R"(2026-11-24T09:12:00Z CP-7 -> CSMS [2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]
CP-7 -> CSMS [2,"9","Heartbeat",{}]
2026-11-24T09:12:01Z CP-7 -> CSMS [2,"3","Heartbeat",{}
2026-11-24T09:12:02Z CP-7 -> CSMS [2,"4","NoSuchAction",{}]
2026-11-24T09:12:03Z CP-7 -> CSMS [2,"5","Heartbeat",{}]
)");
    EXPECT_EQ(r.format, Format::lines);
    ASSERT_EQ(r.frames.size(), 2u);
    EXPECT_EQ(r.frames[1].message_id, "5");
    ASSERT_EQ(r.problems.size(), 3u);
    EXPECT_EQ(r.problems[0].line, 2u);
    EXPECT_EQ(r.problems[0].kind, "bad_timestamp");
    EXPECT_EQ(r.problems[1].line, 3u);
    EXPECT_EQ(r.problems[1].kind, "truncated");
    EXPECT_EQ(r.problems[2].line, 4u);
    EXPECT_EQ(r.problems[2].kind, "unknown_action");
}

TEST(OcppLineLog, ExactFormatsAreStillDetectedFirst) {
    // A SteVe line has a time and a frame too, but its own reader knows its direction words.
    const LogRead steve = read_station_log(
        "2024-01-01 10:00:00.123 INFO [chargeBoxId=CP1, sessionId=abc] Received: "
        "[2,\"a\",\"Heartbeat\",{}]\n");
    EXPECT_EQ(steve.format, Format::steve);
    const LogRead jsonl = read_station_log(
        R"({"ts":"2024-01-01T10:00:00Z","cs":"CP1","dir":"cs2csms","frame":[2,"a","Heartbeat",{}]})"
        "\n");
    EXPECT_EQ(jsonl.format, Format::jsonl);
    EXPECT_THROW(read_station_log("2024-01-01 10:00:00 nothing here\nno frames either\n"), DataError);
}

}  // namespace
}  // namespace evtwin::ocpp
