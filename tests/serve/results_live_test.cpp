// A live run read through --results while it is written: `evtwin serve` is the central system of the
// quickstart site on a stepped clock and serves its own database's runs; as the clock moves, the
// run's data end (and so its windows) grows with it, and the run stays `running`.
#include "http_client.hpp"

#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <regex>

namespace evtwin::serve {
namespace {

using test::http_request;

TEST(ResultsLive, ALiveRunsDataEndFollowsItsClock) {
    const auto dir = evtwin::test::temp_dir("serve_results_live");
    const auto db = dir / "live.db";
    const auto server = evtwin::test::start_background(
        {evtwin::test::evtwin_binary().string(), "serve", "--listen", "127.0.0.1:0", "--db", db.string(),
         "--scenario", evtwin::test::source_file("scenarios/quickstart.lua").string(), "--strategy", "edf",
         "--clock", "step", "--results", db.string()},
        dir / "out.txt");
    const auto printed = [&] {
        return std::filesystem::exists(dir / "out.txt") ? evtwin::test::read_file(dir / "out.txt")
                                                        : std::string();
    };
    ASSERT_TRUE(evtwin::test::wait_until(
        [&] { return printed().find("central system") != std::string::npos; }, std::chrono::minutes(1)))
        << printed();
    std::smatch port;
    const std::string out = printed();
    ASSERT_TRUE(std::regex_search(out, port, std::regex(R"(listening on http://127\.0\.0\.1:(\d+)/)")))
        << out;
    const auto p = static_cast<unsigned short>(std::stoi(port[1]));
    std::string token = evtwin::test::read_file(db.string() + ".token");
    token.erase(token.find_last_not_of("\r\n") + 1);

    const auto run = [&] {
        const auto reply = http_request(p, "GET", "/v1/results/runs/1-1", "", token);
        EXPECT_EQ(reply.status, 200) << reply.body;
        return nlohmann::json::parse(reply.body);
    };
    const auto move_clock = [&](const std::string& to) {
        const auto reply = http_request(p, "POST", "/v1/clock", nlohmann::json({{"to", to}}).dump(), token);
        EXPECT_EQ(reply.status, 200) << reply.body;
    };
    const nlohmann::json first = run();
    EXPECT_EQ(first["status"], "running");
    const std::int64_t start = first["start_ms"];
    EXPECT_EQ(first["data_end_ms"], start);

    // The clock settles an instant when it moves on from it, and the writer commits behind it: the
    // data reaches 06:00 once the clock has moved on to 12:00, then 12:00 once it is at 18:00.
    move_clock("2024-07-01T06:00:00+09:00");
    std::int64_t data_end = start;
    for (const auto& [to, settled_h] :
         {std::pair{"2024-07-01T12:00:00+09:00", 6}, std::pair{"2024-07-01T18:00:00+09:00", 12}}) {
        move_clock(to);
        const std::int64_t expected = start + settled_h * 3'600'000;
        EXPECT_TRUE(evtwin::test::wait_until(
            [&] {
                data_end = run()["data_end_ms"];
                return data_end == expected;
            },
            std::chrono::seconds(30)))
            << to << ": the data ends at " << data_end << ", " << expected << " expected";
        EXPECT_EQ(run()["status"], "running");
    }
    const auto power = http_request(p, "GET", "/v1/results/runs/1-1/power?points=4", "", token);
    ASSERT_EQ(power.status, 200) << power.body;
    EXPECT_EQ(nlohmann::json::parse(power.body)["to_ms"], data_end);

    ::kill(server.pid, SIGTERM);
    EXPECT_EQ(evtwin::test::wait_for_exit(server), 0) << printed();
}

}  // namespace
}  // namespace evtwin::serve
