// `--observation-log FILE` of `evtwin run` and `evtwin serve` (host/observation_log.hpp): one JSON
// line per decision of the run, the same bytes for the same run, and a file that cannot be made
// refused before the run begins.
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
