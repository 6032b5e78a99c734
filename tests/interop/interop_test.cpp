// Interop with a real OCPP implementation: ocpp-rpc (tests/interop/play.mjs, installed by
// scripts/install-deps from package-lock.json) plays scripted 1.6J and 2.0.1 sessions over
// WebSockets on 127.0.0.1 and logs its traffic; `evtwin ocpp import` must rebuild exactly the
// transactions, energies, sampled values and status changes the script played.
#include "interop/interop_check.hpp"
#include "interop/log_styles.hpp"
#include "ocpp/log_reader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace evtwin::test {
namespace {

using nlohmann::json;

std::string lines(const std::vector<std::string>& list) {
    std::string s;
    for (const auto& l : list) s += "  " + l + "\n";
    return s;
}

TEST(OcppInterop, EvtwinRebuildsWhatOcppRpcPlayed) {
    EVTWIN_REQUIRE_TOOL(have_program("node"),
                        "node is not installed: this test needs Node.js and ocpp-rpc (scripts/install-deps)");
    ASSERT_TRUE(std::filesystem::exists(source_file("tests/interop/node_modules/ocpp-rpc/package.json")))
        << "ocpp-rpc is not installed: run scripts/install-deps (npm ci --prefix tests/interop)";

    const auto dir = temp_dir("ocpp_interop");
    const auto play =
        run_command("node " + source_file("tests/interop/play.mjs").string() + " " + dir.string());
    ASSERT_EQ(play.exit_code, 0) << play.output;
    const json expected = json::parse(read_file(dir / "expected.json"));

    ASSERT_EQ(expected.at("logs").size(), 4u);  // both protocols, each seen from both ends
    for (const auto& [file, want] : expected.at("logs").items()) {
        SCOPED_TRACE(file);
        ASSERT_GE(want.at("transactions").size(), 4u);  // the script really played sessions
        const auto db_file = dir / (file + ".db");
        const auto import =
            run_command(evtwin_binary().string() + " ocpp import " + (dir / file).string() + " --db " +
                        db_file.string() + " --schemas " + data_file("ocpp/schemas").string());
        ASSERT_EQ(import.exit_code, 0) << import.output;
        sqlite::Db db(db_file, sqlite::Db::Mode::read_only);
        const auto differences = interop_differences(db, 1, want);
        EXPECT_TRUE(differences.empty()) << differences.size() << " differences:\n" << lines(differences);
        const auto violations = physics_violations(db, 1);
        EXPECT_TRUE(violations.empty()) << lines(violations);
    }

    // The comparison sees a wrong energy, a lost sampled value, an invented status change and a
    // wrong frame count.
    json tampered = expected.at("logs").at("csms16.jsonl");
    tampered["transactions"][0]["meter_stop_wh"] =
        tampered["transactions"][0]["meter_stop_wh"].get<double>() + 1;
    tampered["transactions"][0]["energy_kwh"] =
        tampered["transactions"][0]["energy_kwh"].get<double>() + 0.001;
    tampered["meterValues"].erase(tampered["meterValues"].begin() + 3);
    tampered["status"].push_back(json{{"cs", "CP16-A"},
                                      {"connector", 1},
                                      {"ts_ms", 0},
                                      {"status", "Faulted"},
                                      {"error_code", "OtherError"},
                                      {"fault", true}});
    tampered["frames"] = tampered["frames"].get<int>() + 1;
    tampered["call_errors"] = tampered["call_errors"].get<int>() + 1;  // so only the frame count differs
    sqlite::Db db(dir / "csms16.jsonl.db", sqlite::Db::Mode::read_only);
    const auto found = interop_differences(db, 1, tampered);
    ASSERT_EQ(found.size(), 5u) << lines(found);
    EXPECT_NE(found[0].find("frames: "), std::string::npos) << found[0];
    EXPECT_NE(found[1].find("meter_stop_wh"), std::string::npos) << found[1];
    EXPECT_NE(found[2].find("energy_kwh"), std::string::npos) << found[2];
    EXPECT_NE(found[3].find("rebuilt, but the script never played it"), std::string::npos) << found[3];
    EXPECT_NE(found[4].find("played, but not rebuilt"), std::string::npos) << found[4];
}

// The same traffic written as ten other stacks' line logs: the general line-log reader finds every
// frame with its time, charge point and direction, and the import rebuilds what the JSON Lines
// import rebuilds.
TEST(OcppInterop, EveryLineLogStyleRebuildsWhatTheJsonLinesLogDoes) {
    if (run_command("command -v node").exit_code != 0)
        GTEST_SKIP() << "node is not installed: this test needs Node.js and ocpp-rpc (scripts/install-deps)";
    const auto dir = temp_dir("ocpp_interop_styles");
    const auto play =
        run_command("node " + source_file("tests/interop/play.mjs").string() + " " + dir.string());
    ASSERT_EQ(play.exit_code, 0) << play.output;
    const json expected = json::parse(read_file(dir / "expected.json"));

    for (const auto& [file, want] : expected.at("logs").items()) {
        const std::string jsonl = read_file(dir / file);
        const ocpp::LogRead canonical = ocpp::read_log(file, jsonl);
        for (const LogStyle& style : log_styles()) {
            SCOPED_TRACE(file + " as " + style.name + " (" + style.example + ")");
            const auto styled = write_file(dir / (style.name + "_" + file + ".log"),
                                           render_log(style.name, jsonl, file.rfind("csms", 0) == 0));
            const ocpp::LogRead read = ocpp::read_log_file(styled);
            EXPECT_EQ(read.format, ocpp::Format::lines);
            EXPECT_TRUE(read.problems.empty())
                << read.problems.front().kind << ": " << read.problems.front().message;
            ASSERT_EQ(read.frames.size(), canonical.frames.size());
            for (std::size_t i = 0; i < read.frames.size(); ++i) {
                const ocpp::Frame& a = read.frames[i];
                const ocpp::Frame& b = canonical.frames[i];
                ASSERT_TRUE(a.ts_ms == b.ts_ms && a.cs == b.cs && a.dir == b.dir && a.type == b.type &&
                            a.message_id == b.message_id && a.action == b.action && a.payload == b.payload)
                    << "frame " << i << " (line " << a.line << "): " << a.cs << " " << ocpp::to_string(a.dir)
                    << " " << a.message_id << " " << a.action << ", the JSON Lines log has " << b.cs << " "
                    << ocpp::to_string(b.dir) << " " << b.message_id << " " << b.action;
            }
            const auto db_file = dir / (style.name + "_" + file + ".db");
            const auto import =
                run_command(evtwin_binary().string() + " ocpp import " + styled.string() + " --db " +
                            db_file.string() + " --schemas " + data_file("ocpp/schemas").string());
            ASSERT_EQ(import.exit_code, 0) << import.output;
            sqlite::Db db(db_file, sqlite::Db::Mode::read_only);
            const auto differences = interop_differences(db, 1, want);
            EXPECT_TRUE(differences.empty()) << differences.size() << " differences:\n" << lines(differences);
        }
    }
}

}  // namespace
}  // namespace evtwin::test
