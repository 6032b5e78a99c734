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
    EXPECT_EQ(r.frames[0].payload["chargePointVendor"], "V");
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
