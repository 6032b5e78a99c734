// Structured log lines (one JSON object each) as the text the general line-log reader reads.
#include "ocpp/json_log_line.hpp"

#include <gtest/gtest.h>

namespace evtwin::ocpp {
namespace {

TEST(JsonLogLine, PinoWithTheFrameAsAString) {
    EXPECT_EQ(json_log_line(R"({"level":30,"time":1795511520013,"identity":"CP1","msg":"receive",)"
                            R"("message":"[2,\"1\",\"Heartbeat\",{}]"})"),
              R"(1795511520013 identity=CP1 level=30 msg=receive [2,"1","Heartbeat",{}])");
}

TEST(JsonLogLine, ZapWithSecondsAndTheFrameOneObjectDown) {
    EXPECT_EQ(json_log_line(R"({"ts":1795511520.0131,"msg":"message sent","id":"CP9",)"
                            R"("ocpp":{"frame":[3,"1",{}],"size":12}})"),
              R"(1795511520013 id=CP9 msg=message sent size=12 [3,"1",{}])");
}

TEST(JsonLogLine, DockersJsonFileLogHoldsTheApplicationsLine) {
    EXPECT_EQ(
        json_log_line(
            R"({"log":"2026-11-24 09:12:00,013 - ocpp - INFO - CP1: send [2,\"1\",\"Heartbeat\",{}]\n",)"
            R"("stream":"stderr","time":"2026-11-24T09:12:00.013987Z"})"),
        "2026-11-24T09:12:00.013987Z stream=stderr 2026-11-24 09:12:00,013 - ocpp - INFO - CP1: send "
        "[2,\"1\",\"Heartbeat\",{}]\n");
}

TEST(JsonLogLine, ALogLineInAnObjectWithoutATimeIsThatLine) {
    EXPECT_EQ(
        json_log_line(
            R"({"stream":"stdout","log":"2026-11-24T09:12:00Z CP1 -> CSMS [2,\"1\",\"Heartbeat\",{}]"})"),
        R"(2026-11-24T09:12:00Z CP1 -> CSMS [2,"1","Heartbeat",{}])");
}

TEST(JsonLogLine, ABrokenFrameInAStringIsLeftToTheReaderToReport) {
    EXPECT_EQ(json_log_line(R"({"time":1795511520013,"message":"[2, not json"})"),
              "1795511520013 [2, not json");
}

TEST(JsonLogLine, IsoTimesAsWritten) {
    EXPECT_EQ(json_log_line(R"({"@timestamp":"2026-11-24T09:12:00.013Z","frame":[2,"1","Heartbeat",{}]})"),
              R"(2026-11-24T09:12:00.013Z [2,"1","Heartbeat",{}])");
    EXPECT_EQ(
        json_log_line(R"({"time":"2026-11-24T09:12:00Z","v":0,"frame":[4,"1","NotImplemented","",{}]})"),
        R"(2026-11-24T09:12:00Z v=0 [4,"1","NotImplemented","",{}])");
}

TEST(JsonLogLine, ATimeKeyWhoseValueIsNoTimeIsAField) {
    EXPECT_EQ(json_log_line(R"({"time":0.0123,"timestamp":"2026-11-24T09:12:00Z","frame":[3,"1",{}]})"),
              R"(2026-11-24T09:12:00Z time=0.0123 [3,"1",{}])");
}

TEST(JsonLogLine, SecondsAreTruncatedToTheMillisecondAsWritten) {
    for (int ms = 0; ms < 1000; ++ms) {
        const std::string line = "{\"ts\":1795511520." +
                                 std::string(ms < 10    ? "00"
                                             : ms < 100 ? "0"
                                                        : "") +
                                 std::to_string(ms) + ",\"frame\":[2,\"1\",\"Heartbeat\",{}]}";
        EXPECT_EQ(json_log_line(line)->substr(0, 13), std::to_string(1795511520000LL + ms)) << line;
    }
}

TEST(JsonLogLine, NanosecondsAndMicroseconds) {
    EXPECT_EQ(json_log_line(R"({"time":1795511520013999999,"frame":[2,"1","Heartbeat",{}]})"),
              R"(1795511520013 [2,"1","Heartbeat",{}])");
    EXPECT_EQ(json_log_line(R"({"time":1795511520013999,"frame":[2,"1","Heartbeat",{}]})"),
              R"(1795511520013 [2,"1","Heartbeat",{}])");
}

TEST(JsonLogLine, WhatIsNotAStructuredMessageStaysAsItIs) {
    for (const char* line : {
             R"(2026-11-24T09:12:00Z CP1 -> CSMS [2,"1","Heartbeat",{}])",  // text
             R"({"time":1795511520013,"msg":"ping"})",                      // no frame
             R"({"level":30,"frame":[2,"1","Heartbeat",{}]})",              // no time
             R"({"time":true,"frame":[2,"1","Heartbeat",{}]})",             // no time either
             R"({"time":1795511520013,"frame":[5,"1","Heartbeat",{}]})",    // not a message type
             R"({"time":1795511520013,"frame":[2,"1","Heartbeat",{}])",     // cut off
             R"([2,"1","Heartbeat",{}])",                                   // not an object
         })
        EXPECT_FALSE(json_log_line(line)) << line;
}

}  // namespace
}  // namespace evtwin::ocpp
