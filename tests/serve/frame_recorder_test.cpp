// The live run's frame log and its ocpp_frames rows: every line is what the importer's jsonl
// format reads, the rows hold each frame's payload, and the log goes on after a restart.
#include "serve/csms/frame_recorder.hpp"
#include "model/local_time.hpp"
#include "ocpp/import.hpp"
#include "ocpp/log_reader.hpp"
#include "record/schema/sqlite_db.hpp"
#include "serve/net/json_text.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace evtwin::serve {
namespace {

using nlohmann::json;

const Time kT = Time(1'719'820'800'123);  // 2024-07-01T08:00:00.123Z

std::vector<std::string> lines_of(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

void record_one_of_each(FrameRecorder& r) {
    const json meter = {{"connectorId", 1},
                        {"meterValue", json::array({{{"timestamp", "2024-07-01T08:00:00Z"}}})}};
    r.record(kT, "CP-\"1\"", ocpp::Direction::cs_to_csms, ocpp::MessageType::call, "m-1", "MeterValues",
             json_text(meter));
    r.record(kT, "CP-\"1\"", ocpp::Direction::csms_to_cs, ocpp::MessageType::call_result, "m-1",
             "MeterValues", "{}");
    r.record(kT, "CP-2", ocpp::Direction::csms_to_cs, ocpp::MessageType::call_error, "m-2", "Heartbeat",
             json_text(json::array({"FormationViolation", "payload is not an object", json::object()})));
    r.record_malformed(kT, "CP-2", "[2, \"m-3\", ");
}

TEST(FrameRecorder, EachLineIsTheObjectTheImporterReads) {
    const auto dir = evtwin::test::temp_dir("frame_recorder_lines");
    FrameRecorder recorder(dir / "live.ocpp.jsonl");
    record_one_of_each(recorder);

    const std::vector<std::string> lines = lines_of(dir / "live.ocpp.jsonl");
    ASSERT_EQ(lines.size(), 4u);
    const std::vector<json> frames = {
        json::array(
            {2,
             "m-1",
             "MeterValues",
             {{"connectorId", 1}, {"meterValue", json::array({{{"timestamp", "2024-07-01T08:00:00Z"}}})}}}),
        json::array({3, "m-1", json::object()}),
        json::array({4, "m-2", "FormationViolation", "payload is not an object", json::object()}),
        json("[2, \"m-3\", ")};
    const std::vector<std::string> cs = {"CP-\"1\"", "CP-\"1\"", "CP-2", "CP-2"};
    const std::vector<std::string> dirs = {"cs2csms", "csms2cs", "csms2cs", "cs2csms"};
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const json expected = {{"ts", format_utc(kT)}, {"cs", cs[i]}, {"dir", dirs[i]}, {"frame", frames[i]}};
        EXPECT_EQ(lines[i], expected.dump()) << i;
    }
    // The importer reads the three frames back and names the malformed line as a problem.
    const ocpp::LogRead read = ocpp::read_log_file(dir / "live.ocpp.jsonl");
    EXPECT_EQ(read.format, ocpp::Format::jsonl);
    ASSERT_EQ(read.frames.size(), 3u);
    EXPECT_EQ(read.frames[2].type, ocpp::MessageType::call_error);
    EXPECT_EQ(ocpp::payload_json(read.frames[2])[0], "FormationViolation");
    ASSERT_EQ(read.problems.size(), 1u);
    EXPECT_EQ(read.problems[0].line, 4u);
}

// Bytes that are not UTF-8 (a broken message is logged as it came) are written as U+FFFD, so that
// every line stays JSON.
TEST(FrameRecorder, BytesThatAreNotUtf8KeepTheLineJson) {
    const auto dir = evtwin::test::temp_dir("frame_recorder_utf8");
    FrameRecorder recorder(dir / "live.ocpp.jsonl");
    recorder.record_malformed(kT, "CP-1", "[2, \"m-\xff\"");
    recorder.record(kT, "CP-1", ocpp::Direction::csms_to_cs, ocpp::MessageType::call_error, "m-2", "",
                    json_text(json::array({"FormationViolation", "near \xfe", json::object()})));
    const std::vector<std::string> lines = lines_of(dir / "live.ocpp.jsonl");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(json::parse(lines[0])["frame"], "[2, \"m-\xef\xbf\xbd\"");
    EXPECT_EQ(json::parse(lines[1])["frame"][3], "near \xef\xbf\xbd");
}

TEST(FrameRecorder, WriteStoresTheFramesSinceTheLastWriteAndARestartContinuesTheLog) {
    const auto dir = evtwin::test::temp_dir("frame_recorder_rows");
    sqlite::Db db(dir / "live.db", sqlite::Db::Mode::read_write_create);
    ocpp::create_or_check_schema(db);
    {
        FrameRecorder recorder(dir / "live.db.ocpp.jsonl");
        recorder.attach(db);
        record_one_of_each(recorder);
        recorder.write();
        recorder.write();  // nothing new
    }
    EXPECT_EQ(db.query_int("SELECT count(*) FROM ocpp_frames"), 3);
    EXPECT_EQ(db.query_int("SELECT frames FROM ocpp_imports WHERE import_id = 1"), 3);
    sqlite::Stmt rows(
        db,
        "SELECT line, cs, direction, message_type, message_id, action, payload FROM ocpp_frames "
        "ORDER BY seq");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.int64(0), 1);
    EXPECT_EQ(rows.text(1), "CP-\"1\"");
    EXPECT_EQ(rows.text(2), "cs2csms");
    EXPECT_EQ(rows.int64(3), 2);
    EXPECT_EQ(rows.text(5), "MeterValues");
    EXPECT_EQ(json::parse(rows.text(6))["connectorId"], 1);
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.text(6), "{}");
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.int64(0), 3);
    EXPECT_EQ(json::parse(rows.text(6)),
              json::array({"FormationViolation", "payload is not an object", json::object()}));
    rows = sqlite::Stmt();

    // A second server start on the same log: its lines count on, and its frames are a new import.
    FrameRecorder again(dir / "live.db.ocpp.jsonl");
    again.attach(db);
    again.record(kT, "CP-2", ocpp::Direction::cs_to_csms, ocpp::MessageType::call, "m-4", "Heartbeat", "{}");
    again.write();
    EXPECT_EQ(lines_of(dir / "live.db.ocpp.jsonl").size(), 5u);
    EXPECT_EQ(db.query_int("SELECT line FROM ocpp_frames WHERE import_id = 2"), 5);
}

}  // namespace
}  // namespace evtwin::serve
