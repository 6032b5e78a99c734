// `--observation-log FILE` of `evtwin run` and `evtwin serve` (host/observation_log.hpp): one JSON
// line per decision of the run, the same bytes for the same run, and a file that cannot be made
// refused before the run begins.
#include "support/feeder_site.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>
#include <string>

namespace evtwin {
namespace {

using nlohmann::json;
using test::run_command;

std::string run_logged(const std::filesystem::path& dir, const std::string& name,
                       const std::string& strategy) {
    const auto r = run_command(test::evtwin_command() + " run " +
                               test::source_file("tests/interop/twin_site.lua").string() + " --strategy " +
                               strategy + " --db " + (dir / (name + ".db")).string() + " --observation-log " +
                               (dir / (name + ".jsonl")).string() + " --quiet");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return r.output;
}

TEST(ObservationLogCli, RunWritesEveryDecisionOnceAndTheSameBytesAgain) {
    const auto dir = test::temp_dir("observation_log_cli");
    const std::string printed = run_logged(dir, "first", "edf");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(printed, m, std::regex("([0-9]+) decisions"))) << printed;
    const std::string text = test::read_file(dir / "first.jsonl");
    std::istringstream lines(text);
    std::size_t count = 0;
    std::int64_t last_ms = 0;
    for (std::string line; std::getline(lines, line); ++count) {
        const json j = json::parse(line);
        EXPECT_GE(j["t_ms"].get<std::int64_t>(), last_ms);
        last_ms = j["t_ms"].get<std::int64_t>();
        EXPECT_EQ(j["observation"]["connectors"].size(), 4u);
        // edf decides subtrees between ticks; logged, every decision is of the whole site.
        EXPECT_EQ(j["observation"]["nodes"].size(), 10u);
        EXPECT_EQ(j["decision"]["connector_kw"].size(), 4u);
    }
    EXPECT_EQ(count, std::stoul(m[1])) << "one line per decision the run counted";

    run_logged(dir, "second", "edf");
    EXPECT_EQ(test::read_file(dir / "second.jsonl"), text);
}

// The one-cable feeder (support/feeder_site.hpp): the vehicle's 30 kW from 10:00 to 12:00 leave bus
// b at 0.9809 per unit, which each decision after the feeder's solve shows with what the site drew.
TEST(ObservationLogCli, OnAFeederEachLineHoldsTheVoltagesAndWhatTheSiteDrew) {
    const auto dir = test::temp_dir("observation_log_cli_feeder");
    const auto scenario = test::one_line_feeder(dir / "cable.lua", 0.1);
    const auto r = run_command(test::evtwin_command() + " run " + scenario.string() +
                               " --strategy uncontrolled --db " + (dir / "run.db").string() +
                               " --observation-log " + (dir / "obs.jsonl").string() + " --quiet");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::istringstream lines(test::read_file(dir / "obs.jsonl"));
    int loaded = 0;
    for (std::string line; std::getline(lines, line);) {
        const json j = json::parse(line);
        if (!j["observation"].contains("feeder")) continue;  // before the first solve
        const json& feeder = j["observation"]["feeder"];
        ASSERT_EQ(feeder["voltages"].size(), 3u);
        ASSERT_EQ(feeder["attached"].size(), 1u);
        EXPECT_EQ(feeder["attached"][0]["node"], 1);  // transformer T
        const double kw = feeder["attached"][0]["import_kw"].get<double>();
        const double v_pu = feeder["voltages"][0]["v_pu"].get<double>();
        if (kw > 0.0) {
            EXPECT_NEAR(kw, 30.0, 1e-9);
            EXPECT_NEAR(v_pu, test::far_end_pu(0.1, 10'000.0), 0.5e-4 + 1e-12);
            ++loaded;
        } else {
            EXPECT_EQ(v_pu, 1.0);
        }
    }
    EXPECT_GT(loaded, 0);
}

TEST(ObservationLogCli, AFileThatCannotBeMadeFailsTheRunBeforeItBegins) {
    const auto dir = test::temp_dir("observation_log_cli_refused");
    const auto r = run_command(test::evtwin_command() + " run " +
                               test::source_file("tests/interop/twin_site.lua").string() +
                               " --strategy edf --db " + (dir / "run.db").string() + " --observation-log " +
                               (dir / "missing" / "obs.jsonl").string() + " --quiet");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("cannot create the observation log"), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "run.db")) << "no run began";
}

TEST(ObservationLogCli, ServeTakesItInLiveModeOnly) {
    const auto dir = test::temp_dir("observation_log_cli_serve");
    const auto r =
        run_command(test::evtwin_command() + " serve --listen 127.0.0.1:0 --db " +
                    (dir / "plans.db").string() + " --observation-log " + (dir / "obs.jsonl").string());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("--observation-log needs --strategy (live mode)"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace evtwin
