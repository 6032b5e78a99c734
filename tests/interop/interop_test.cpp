// Interop with a real OCPP implementation: ocpp-rpc (tests/interop/play.mjs, installed by
// scripts/install-deps from package-lock.json) plays scripted 1.6J and 2.0.1 sessions over
// WebSockets on 127.0.0.1 and logs its traffic; `evtwin ocpp import` must rebuild exactly the
// transactions, energies, sampled values and status changes the script played.
#include "interop/interop_check.hpp"
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

}  // namespace
}  // namespace evtwin::test
