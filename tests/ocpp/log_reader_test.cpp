#include "ocpp/log_reader.hpp"

#include <evtwin/errors.hpp>

#include <gtest/gtest.h>

#include <random>

namespace evtwin::ocpp {
namespace {

LogRead read_text(std::string_view text, std::optional<Format> format = std::nullopt) {
    ReadOptions o;
    o.format = format;
    return read_log("test.log", text, o);
}

TEST(OcppTimestamp, ParsesIsoVariants) {
    std::int64_t ms = 0;
    ASSERT_TRUE(parse_timestamp("1970-01-01T00:00:00Z", ms));
    EXPECT_EQ(ms, 0);
    ASSERT_TRUE(parse_timestamp("2024-05-17T09:20:44:561", ms));  // compliance tool: ':' before ms
    EXPECT_EQ(
        ms,
        1715937644561);  // python3: datetime(2024,5,17,9,20,44,561000,tzinfo=timezone.utc).timestamp()*1000
    ASSERT_TRUE(parse_timestamp("2024-05-17T11:20:44.561+02:00", ms));
    EXPECT_EQ(ms, 1715937644561);
    ASSERT_TRUE(parse_timestamp("2024-05-17 09:20:44.5", ms));
    EXPECT_EQ(ms, 1715937644500);
    for (const char* bad : {"", "2024-05-17", "2024-13-01T00:00:00Z", "2024-05-17T09:20:44.Z",
                            "2024-05-17T09:20:44Zx", "yesterday", "2024-05-17T09:20:44+2"})
        EXPECT_FALSE(parse_timestamp(bad, ms)) << bad;
}

TEST(OcppTimestamp, FormatsUtcWithMillisecondsAndReadsBack) {
    EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(format_timestamp(1715937644561), "2024-05-17T09:20:44.561Z");
    EXPECT_EQ(format_timestamp(951782400000), "2000-02-29T00:00:00.000Z");  // a leap day
    EXPECT_EQ(format_timestamp(-1), "1969-12-31T23:59:59.999Z");
    std::mt19937_64 rng(7);
    for (int i = 0; i < 1000; ++i) {
        const auto t = static_cast<std::int64_t>(rng() % 8'000'000'000'000ULL);  // up to 2223
        std::int64_t back = 0;
        ASSERT_TRUE(parse_timestamp(format_timestamp(t), back)) << format_timestamp(t);
        EXPECT_EQ(back, t);
    }
}

TEST(OcppReader, JsonLinesCanonicalFormat) {
    const LogRead r = read_text(
        R"({"ts":"2024-01-01T10:00:00Z","cs":"CP1","dir":"cs2csms","frame":[2,"a","Heartbeat",{}]})"
        "\n\n"
        R"({"ts":"2024-01-01T10:00:00.250Z","cs":"CP1","dir":"csms2cs","frame":[3,"a",{"currentTime":"2024-01-01T10:00:00Z"}]})"
        "\n");
    EXPECT_EQ(r.format, Format::jsonl);
    ASSERT_EQ(r.frames.size(), 2u);
    EXPECT_TRUE(r.problems.empty());
    EXPECT_EQ(r.frames[0].line, 1u);
    EXPECT_EQ(r.frames[0].action, "Heartbeat");
    EXPECT_EQ(r.frames[0].dir, Direction::cs_to_csms);
    EXPECT_EQ(r.frames[1].line, 3u);
    EXPECT_EQ(r.frames[1].type, MessageType::call_result);
    EXPECT_EQ(r.frames[1].ts_ms - r.frames[0].ts_ms, 250);
    EXPECT_EQ(r.frames[1].dir, Direction::csms_to_cs);
}

TEST(OcppReader, CsvWithoutDirection) {
    const LogRead r = read_text(
        "timestamp,id,action,msg\n"
        "2025-10-01T08:00:00.000Z,CH-001,Heartbeat,\"[2, \"\"x1\"\", \"\"Heartbeat\"\", {}]\"\n"
        "2025-10-01T08:00:00.100Z,CH-001,,\"[3, \"\"x1\"\", {\"\"currentTime\"\": "
        "\"\"2025-10-01T08:00:00.000Z\"\"}]\"\n");
    EXPECT_EQ(r.format, Format::csv);
    ASSERT_EQ(r.frames.size(), 2u);
    EXPECT_EQ(r.frames[0].cs, "CH-001");
    EXPECT_EQ(r.frames[0].dir, Direction::unknown);  // inferred later, by reconstruction
    EXPECT_EQ(r.frames[1].line, 3u);
}

// A record spanning lines (a quoted line break), a record with too many fields, CRLF line ends, a
// missing trailing field and a quote left open at the end: problems with their lines, reading goes on.
TEST(OcppReader, CsvBadRecordsAreProblems) {
    const LogRead r = read_text(
        "\xEF\xBB\xBFtimestamp , id,action,msg\r\n"
        "2025-10-01T08:00:00Z,CH-1,Heartbeat,\"[2, \"\"a\"\",\n \"\"Heartbeat\"\", {}]\"\r\n"
        "2025-10-01T08:00:01Z,CH-1,Heartbeat,\"[2, \"\"b\"\", \"\"Heartbeat\"\", {}]\",extra\r\n"
        "\r\n"
        "2025-10-01T08:00:02Z,CH-2,Heartbeat,[2]\n"
        "2025-10-01T08:00:03Z,CH-2\n"
        "2025-10-01T08:00:04Z,CH-2,Heartbeat,\"[3, \"\"a\"\", {}]\n",
        Format::csv);
    ASSERT_EQ(r.frames.size(), 1u);
    EXPECT_EQ(r.frames[0].line, 2u);
    EXPECT_EQ(r.frames[0].message_id, "a");
    ASSERT_EQ(r.problems.size(), 4u);
    EXPECT_EQ(r.problems[0].line, 4u);
    EXPECT_EQ(r.problems[0].kind, "bad_record");
    EXPECT_EQ(r.problems[1].line, 6u);
    EXPECT_EQ(r.problems[1].kind, "bad_frame");
    EXPECT_EQ(r.problems[2].line, 7u);  // no msg: an empty frame text
    EXPECT_EQ(r.problems[2].kind, "truncated");
    EXPECT_EQ(r.problems[3].line, 8u);
    EXPECT_EQ(r.problems[3].kind, "truncated");
    EXPECT_THROW(read_text("time,msg\n", Format::csv), DataError);
}

// A frame left unquoted in the last column (msg) splits at its commas: the line is reported and
// the frame read from the rest of the line; with msg not last, the record is dropped. Reading goes on.
TEST(OcppReader, CsvUnquotedFrameInTheLastColumnIsReportedAndRead) {
    const LogRead r = read_text(
        "timestamp,id,action,msg\n"
        "2025-10-01T08:00:01Z,CH-1,Heartbeat,[2, \"b\", \"Heartbeat\", {}]\n"
        "2025-10-01T08:00:02Z,CH-1,,\"[3, \"\"b\"\", {\"\"currentTime\"\": \"\"2025-10-01T08:00:00Z\"\"}]\"\n"
        "2025-10-01T08:00:03Z,CH-1,Heartbeat,[2, \"c\", \"Heartbeat\", {\"x\": 1, \"y\": [1,2]}]\n",
        Format::csv);
    ASSERT_EQ(r.frames.size(), 3u);
    EXPECT_EQ(r.frames[0].message_id, "b");
    EXPECT_EQ(r.frames[2].payload, R"({"x":1,"y":[1,2]})");  // as JSON text, without the spaces
    EXPECT_EQ(payload_json(r.frames[2])["y"][1], 2);
    ASSERT_EQ(r.problems.size(), 2u);
    EXPECT_EQ(r.problems[0].line, 2u);
    EXPECT_EQ(r.problems[0].kind, "bad_record");
    EXPECT_EQ(r.problems[1].line, 4u);

    const LogRead dropped = read_text(
        "timestamp,msg,id\n"
        "2025-10-01T08:00:01Z,[2, \"b\", \"Heartbeat\", {}],CH-1\n"
        "2025-10-01T08:00:02Z,\"[2, \"\"c\"\", \"\"Heartbeat\"\", {}]\",CH-1\n",
        Format::csv);
    ASSERT_EQ(dropped.frames.size(), 1u);
    EXPECT_EQ(dropped.frames[0].line, 3u);
    ASSERT_EQ(dropped.problems.size(), 1u);
    EXPECT_EQ(dropped.problems[0].kind, "bad_record");
}

// Found by the libFuzzer target: nlohmann-json throws out_of_range (not parse_error) for a number
// beyond a double's range.
TEST(OcppReader, NumberOverflowIsInvalidJsonInEveryFormat) {
    const std::string frame = R"([2, "a", "Heartbeat", {"x": 650e8810}])";
    std::string quoted;
    for (char c : frame) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    const std::pair<Format, std::string> logs[] = {
        {Format::jsonl, R"({"ts": "2024-01-01T10:00:00Z", "frame": )" + frame + "}\n"},
        {Format::csv, "timestamp,id,action,msg\n2024-01-01T10:00:00Z,CP,Heartbeat,\"" + quoted + "\"\n"},
        {Format::compliance, "[2024-05-17T09:20:43:871] [msg-in] " + frame + "\n"},
        {Format::everest, "2024-01-01T10:00:00.000Z: ChargePoint>CentralSystem Heartbeat\n" + frame + "\n\n"},
        {Format::steve, "2024-01-01 10:00:00.123 Received: " + frame + "\n"},
    };
    for (const auto& [format, text] : logs) {
        const LogRead r = read_text(text, format);
        EXPECT_TRUE(r.frames.empty()) << to_string(format);
        ASSERT_EQ(r.problems.size(), 1u) << to_string(format);
        EXPECT_EQ(r.problems[0].kind, "invalid_json") << to_string(format);
        EXPECT_EQ(r.problems[0].line, format == Format::csv ? 2u : 1u) << to_string(format);
    }
}

TEST(OcppReader, ComplianceToolLogWithHeader) {
    const LogRead r = read_text(
        "Test Case Name : TC_X\n"
        "System Under Test (SUT) : CS \n"
        "OCPP Version : OCPP 2.0.1\n"
        "[2024-05-17T09:20:43:730] [started_testcase] X\n"
        "[2024-05-17T09:20:44:492] [msg-in] [2, \"m1\", \"Authorize\", {\"idToken\": {\"idToken\": \"V\", "
        "\"type\": \"KeyCode\"}}]\n"
        "[2024-05-17T09:20:44:503] [msg-out] [3, \"m1\", {\"idTokenInfo\":{\"status\":\"Accepted\"}}]\n");
    EXPECT_EQ(r.format, Format::compliance);
    EXPECT_EQ(r.ocpp_version, "2.0.1");
    ASSERT_EQ(r.frames.size(), 2u);
    EXPECT_EQ(r.frames[0].line, 5u);
    EXPECT_EQ(r.frames[0].dir, Direction::cs_to_csms);
    EXPECT_EQ(r.frames[1].dir, Direction::csms_to_cs);
    EXPECT_EQ(r.frames[0].ts_ms % 1000, 492);
}

TEST(OcppReader, EverestPrettyPrintedMessages) {
    const LogRead r = read_text(
        "2024-01-01T10:00:00.000Z: ChargePoint>CentralSystem BootNotification\n"
        "[\n  2,\n  \"b1\",\n  \"BootNotification\",\n  {\n    \"chargePointModel\": \"M\",\n    "
        "\"chargePointVendor\": \"V\"\n  }\n]\n"
        "\n"
        "2024-01-01T10:00:00.100Z: CentralSystem>ChargePoint BootNotification\n"
        "[\n  3,\n  \"b1\",\n  {\"status\": \"Accepted\", \"currentTime\": \"2024-01-01T10:00:00Z\", "
        "\"interval\": 300}\n]\n\n");
    EXPECT_EQ(r.format, Format::everest);
    ASSERT_EQ(r.frames.size(), 2u) << (r.problems.empty() ? "" : r.problems[0].message);
    EXPECT_EQ(r.frames[0].line, 1u);
    EXPECT_EQ(r.frames[0].dir, Direction::cs_to_csms);
    EXPECT_EQ(payload_json(r.frames[0])["chargePointModel"], "M");
    EXPECT_EQ(r.frames[1].line, 12u);
    EXPECT_EQ(r.frames[1].dir, Direction::csms_to_cs);
}

TEST(OcppReader, SteveReceivedAndSending) {
    const LogRead r = read_text(
        "2024-01-01 10:00:00.000 INFO [chargeBoxId=CP7, sessionId=1] Received: [2,\"s1\",\"Heartbeat\",{}]\n"
        "2024-01-01 10:00:00.020 INFO unrelated line\n"
        "2024-01-01 10:00:00.040 INFO [chargeBoxId=CP7, sessionId=1] Sending: "
        "[3,\"s1\",{\"currentTime\":\"2024-01-01T10:00:00Z\"}]\n");
    EXPECT_EQ(r.format, Format::steve);
    ASSERT_EQ(r.frames.size(), 2u);
    EXPECT_EQ(r.frames[0].cs, "CP7");
    EXPECT_EQ(r.frames[0].dir, Direction::cs_to_csms);
    EXPECT_EQ(r.frames[1].dir, Direction::csms_to_cs);
    EXPECT_EQ(r.frames[1].line, 3u);
    EXPECT_EQ(r.frames[1].ts_ms - r.frames[0].ts_ms, 40);
}

TEST(OcppReader, TimesWithoutAnOffsetAreInTheLogsZone) {
    // SteVe writes its server's local time; a time with an offset, or one a message carries, stays.
    ReadOptions o;
    o.timezone = TimeZone("Europe/Amsterdam");
    const LogRead steve = read_log(
        "steve.log",
        "2024-01-01 11:00:00.000 INFO [chargeBoxId=CP7, sessionId=1] Received: [2,\"s1\",\"Heartbeat\",{}]\n"
        "2024-07-01T12:00:00.000+02:00 INFO [chargeBoxId=CP7, sessionId=1] Sending: "
        "[3,\"s1\",{\"currentTime\":\"2024-01-01T10:00:00Z\"}]\n",
        o);
    ASSERT_EQ(steve.frames.size(), 2u);
    EXPECT_EQ(steve.frames[0].ts_ms, 1704103200000);  // 2024-01-01T10:00:00Z (CET)
    EXPECT_EQ(steve.frames[1].ts_ms, 1719828000000);  // 2024-07-01T10:00:00Z
    const LogRead csv = read_log("log.csv",
                                 "timestamp,id,action,msg\n"
                                 "2024-07-01 12:00:00,1,Heartbeat,\"[2,\"\"1\"\",\"\"Heartbeat\"\",{}]\"\n",
                                 o);
    ASSERT_EQ(csv.frames.size(), 1u);
    EXPECT_EQ(csv.frames[0].ts_ms, 1719828000000);  // CEST
}

TEST(OcppReader, ALocalTimeTheClocksRepeatIsItsFirstOccurrence) {
    // Los Angeles, 1 November 2026: 01:00-02:00 runs twice, first in PDT (UTC-7).
    std::int64_t ms = 0;
    const TimeZone la("America/Los_Angeles");
    ASSERT_TRUE(parse_log_time("2026-11-01 01:30:00", &la, ms));
    EXPECT_EQ(ms, 1793521800000);  // 08:30Z
    ASSERT_TRUE(parse_log_time("2026-11-01 01:30:00Z", &la, ms));
    EXPECT_EQ(ms, 1793496600000);
    ASSERT_TRUE(parse_log_time("2026-11-01 01:30:00", nullptr, ms));
    EXPECT_EQ(ms, 1793496600000);
}

TEST(OcppReader, BadLinesAreReportedWithTheirLineAndReadingGoesOn) {
    const LogRead r = read_text(R"({"ts":"2024-01-01T10:00:00Z","cs":"A","frame":[2,"1","Heartbeat",{}]})"
                                "\n"  // 1 ok
                                R"({"ts":"2024-01-01T10:00:01Z","cs":"A","frame":[2,"2","Heartb)"
                                "\n"  // 2 truncated
                                R"({"ts":"2024-01-01T10:00:02Z","cs":"A","frame":[2,"3","Heartbeat",{},]})"
                                "\n"  // 3 invalid JSON
                                R"({"ts":"2024-01-01T10:00:03Z","cs":"A","frame":[7,"4","Heartbeat",{}]})"
                                "\n"  // 4 unknown type
                                R"({"ts":"2024-01-01T10:00:04Z","cs":"A","frame":[2,"5","FlyToMoon",{}]})"
                                "\n"  // 5 unknown action
                                R"({"ts":"noon","cs":"A","frame":[2,"6","Heartbeat",{}]})"
                                "\n"  // 6 bad time
                                R"({"ts":"2024-01-01T10:00:06Z","cs":"A","frame":[2,"7","Heartbeat",{}]})"
                                "\n",  // 7 ok
                                Format::jsonl);
    ASSERT_EQ(r.frames.size(), 2u);
    EXPECT_EQ(r.frames[1].line, 7u);
    ASSERT_EQ(r.problems.size(), 5u);
    const std::vector<std::pair<std::size_t, std::string>> expected = {{2, "truncated"},
                                                                       {3, "invalid_json"},
                                                                       {4, "unknown_message_type"},
                                                                       {5, "unknown_action"},
                                                                       {6, "bad_timestamp"}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(r.problems[i].line, expected[i].first);
        EXPECT_EQ(r.problems[i].kind, expected[i].second);
    }
}

TEST(OcppReader, UnrecognisedLogNamesTheFile) {
    try {
        read_text("hello\nworld\n");
        FAIL() << "no DataError";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("test.log: not a recognised OCPP log"), std::string::npos)
            << e.what();
        EXPECT_EQ(std::string(e.what()).find("; line "), std::string::npos) << e.what();
    }
}

// A log whose only frame is cut off says so: the reason the general reader took nothing.
TEST(OcppReader, UnrecognisedLogSaysWhereAFrameWasCutOff) {
    try {
        read_text(
            "boot\n2024-01-01T10:00:00Z send [2,\"a\",\"BootNotification\",{\n  \"chargePointVendor\": "
            "\"x\",\n");
        FAIL() << "no DataError";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("; line 2: the frame's brackets are not closed; name a format"),
                  std::string::npos)
            << e.what();
    }
}

// Detection reads the first 64 KiB to the end of the line they cut: a first message longer than
// that (a DataTransfer with a large payload) does not hide the format.
TEST(OcppReader, AFirstMessageLongerThanTheDetectionSampleIsRecognised) {
    const std::string payload = R"({"vendorId":")" + std::string(100'000, 'a') + R"("})";
    const LogRead lines = read_text("2024-01-01T10:00:00Z send [2,\"a\",\"DataTransfer\"," + payload +
                                    "]\n2024-01-01T10:00:01Z receive [3,\"a\",{\"status\":\"Accepted\"}]\n");
    EXPECT_EQ(lines.format, Format::lines);
    ASSERT_EQ(lines.frames.size(), 2u);
    EXPECT_EQ(lines.frames[0].payload, payload);

    const LogRead jsonl = read_text(
        R"({"ts":"2024-01-01T10:00:00Z","cs":"CP1","dir":"cs2csms","frame":[2,"a","DataTransfer",)" +
        payload + "]}\n");
    EXPECT_EQ(jsonl.format, Format::jsonl);
    ASSERT_EQ(jsonl.frames.size(), 1u);
    EXPECT_TRUE(jsonl.problems.empty());
}

// Fuzz-style: random bytes and random cuts of valid lines never crash any reader; every problem
// names a line of the input.
TEST(OcppReader, MutatedInputNeverCrashes) {
    const std::string seeds[] = {
        R"({"ts":"2024-01-01T10:00:00Z","cs":"A","dir":"cs2csms","frame":[2,"1","MeterValues",{"connectorId":1,"meterValue":[]}]})"
        "\n",
        "timestamp,id,action,msg\n2025-10-01T08:00:00.000Z,C,Heartbeat,\"[2, \"\"x\"\", \"\"Heartbeat\"\", "
        "{}]\"\n",
        "[2024-05-17T09:20:44:492] [msg-in] [2, \"m1\", \"Heartbeat\", {}]\n",
        "2024-01-01T10:00:00.000Z: ChargePoint>CentralSystem Heartbeat\n[2,\"h\",\"Heartbeat\",{}]\n\n",
        "2024-01-01 10:00:00.000 Received: [2,\"s1\",\"Heartbeat\",{}]\n"};
    std::mt19937 rng(6);
    for (int round = 0; round < 3000; ++round) {
        std::string text = seeds[round % 5] + seeds[(round / 5) % 5];
        const int edits = 1 + static_cast<int>(rng() % 6);
        for (int e = 0; e < edits && !text.empty(); ++e) {
            const std::size_t at = rng() % text.size();
            switch (rng() % 3) {
                case 0:
                    text[at] = static_cast<char>(rng() % 256);
                    break;
                case 1:
                    text.erase(at, 1 + rng() % 8);
                    break;
                default:
                    text.insert(at, 1, "[]{}\",:\n2"[rng() % 9]);
                    break;
            }
        }
        const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
        for (Format f : {Format::jsonl, Format::csv, Format::compliance, Format::everest, Format::steve}) {
            LogRead r;
            try {
                r = read_text(text, f);
            } catch (const DataError&) {
                continue;  // e.g. a CSV without its header columns
            }
            for (const Problem& p : r.problems) EXPECT_LE(p.line, lines) << text;
            for (const Frame& fr : r.frames) EXPECT_TRUE(fr.line >= 1 && fr.line <= lines) << text;
        }
    }
}

}  // namespace
}  // namespace evtwin::ocpp
